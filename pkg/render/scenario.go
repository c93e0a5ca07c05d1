package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/scenario"
)

// ScenarioList prints the scenarios as a table: name, steps, source and
// what the story is.
func ScenarioList(w io.Writer, st *Styles, list []scenario.Scenario) {
	nameW, sourceW := len("NAME"), len("SOURCE")
	for _, sc := range list {
		nameW = max(nameW, len(Safe(sc.Name)))
		sourceW = max(sourceW, len(Safe(sc.Source)))
	}
	fmt.Fprintf(w, "%s  %s  %s  %s\n", st.Bold.Render(pad("NAME", nameW)), st.Bold.Render("STEPS"),
		st.Bold.Render(pad("SOURCE", sourceW)), st.Bold.Render("DESCRIPTION"))
	for _, sc := range list {
		fmt.Fprintf(w, "%s  %-5d  %s  %s\n", st.ID.Render(pad(Safe(sc.Name), nameW)), len(sc.Steps),
			pad(Safe(sc.Source), sourceW), Safe(sc.Description))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Dim.Render("`scenario show NAME` prints the steps; `scenario run NAME --to URL` plays them; a file of your own runs the same way (see the README)."))
}

// ScenarioListRecord is one scenario as `scenario list --json` prints it.
type ScenarioListRecord struct {
	Name        string `json:"name"`
	Steps       int    `json:"steps"`
	Source      string `json:"source"`
	Description string `json:"description"`
}

// NewScenarioListRecord returns the `--json` form of a scenario in a list.
func NewScenarioListRecord(sc scenario.Scenario) ScenarioListRecord {
	return ScenarioListRecord{Name: sc.Name, Steps: len(sc.Steps), Source: sc.Source, Description: sc.Description}
}

// ScenarioShow prints a scenario step by step: fixture, wait, overrides,
// triggers, chaos, expectation and note.
func ScenarioShow(w io.Writer, st *Styles, sc scenario.Scenario) {
	fmt.Fprintf(w, "%s %s\n", st.Bold.Render("scenario"), st.ID.Render(Safe(sc.Name)))
	fmt.Fprintf(w, "%s\n", st.Dim.Render(Safe(sc.Source)))
	if sc.Description != "" {
		fmt.Fprintf(w, "%s\n", Safe(sc.Description))
	}
	if !sc.Start.IsZero() {
		fmt.Fprintf(w, "starts at %s\n", sc.Start.UTC().Format(time.RFC3339))
	}
	for i, s := range sc.Steps {
		fmt.Fprintln(w)
		what := Safe(s.FixtureName())
		if s.Action != "" && s.Fixture != "" && s.Action != s.Fixture {
			what = fmt.Sprintf("%s sent as %s", Safe(s.Fixture), Safe(s.Action))
		}
		fmt.Fprintf(w, "%s %s  %s\n", st.Bold.Render(fmt.Sprintf("%d.", i+1)), st.ID.Render(Safe(s.Name)), what)
		if s.Wait > 0 {
			detail(w, st.Dim.Render("after "+deliver.FormatDuration(s.Wait)))
		}
		for _, set := range s.Set {
			detail(w, "--set "+Safe(set))
		}
		for _, u := range s.Unset {
			detail(w, "--unset "+Safe(u))
		}
		if s.Triggers != nil {
			detail(w, "triggers ["+Safe(strings.Join(s.Triggers, ", "))+"]")
		}
		if len(s.Chaos) > 0 {
			var names []string
			for _, c := range s.Chaos {
				names = append(names, string(c))
			}
			detail(w, "chaos "+strings.Join(names, ", "))
		}
		exp := fmt.Sprintf("expect %d", s.Expect.WantStatus())
		if s.Expect.Processed != nil {
			exp += fmt.Sprintf(", processed %d", *s.Expect.Processed)
		}
		if s.Note != "" {
			exp += ": " + Safe(s.Note)
		}
		detail(w, st.Dim.Render(exp))
	}
}
