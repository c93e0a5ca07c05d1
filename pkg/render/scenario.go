package render

import (
	"bytes"
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

// ScenarioPlan is what a run is about to do, for its header.
type ScenarioPlan struct {
	Name, Source, URL string
	Steps, Sends      int
	Seed              uint64
	// Chaos says in words which chaos was asked for ("" for none).
	Chaos string
	// Span is the virtual time the story covers.
	Span time.Duration
	// Widths of the name, action and chaos columns.
	NameW, ActionW, ChaosW int
}

// ScenarioHeader prints the plan and the column heads.
func ScenarioHeader(w io.Writer, st *Styles, p ScenarioPlan) {
	fmt.Fprintf(w, "%s %s %s → %s\n", st.Bold.Render("scenario"), st.ID.Render(Safe(p.Name)),
		st.Dim.Render("("+Safe(p.Source)+")"), SafeURL(p.URL))
	chaos := p.Chaos
	if chaos == "" {
		chaos = "no chaos"
	}
	fmt.Fprintf(w, "%s\n", st.Dim.Render(fmt.Sprintf("%d steps, %d deliveries over %s of virtual time · %s · seed %d (repeat with --seed %d)",
		p.Steps, p.Sends, deliver.FormatDuration(p.Span), chaos, p.Seed, p.Seed)))
	fmt.Fprintf(w, "  %s  %s  %s  %s  %s  %s  %s\n", st.Bold.Render(fmt.Sprintf("%-4s", "#")),
		st.Bold.Render(pad("STEP", p.NameW)), st.Bold.Render(pad("ACTION", p.ActionW)), st.Bold.Render(pad("ID", 26)),
		st.Bold.Render(pad("CHAOS", p.ChaosW)), st.Bold.Render("STATUS"), st.Bold.Render("VERDICT"))
}

// ScenarioResult prints one copy of one send: a mark, the step, action, id,
// chaos, status and verdict; the attempts when it was retried; and, dimmed,
// what the app is expected to do with it.
func ScenarioResult(w io.Writer, st *Styles, p ScenarioPlan, r scenario.Result) {
	seq := fmt.Sprintf("#%d", r.Seq)
	if r.Send.Copies > 1 {
		seq += string(rune('a' + r.Copy - 1))
	}
	chaos := strings.Join(r.Send.Labels(), ", ")
	if chaos == "" {
		chaos = "-"
	}
	status := "none"
	if s := r.Status(); s != 0 {
		status = st.Status(s).Render(fmt.Sprintf("%-6d", s))
	} else {
		status = fmt.Sprintf("%-6s", status)
	}
	verdict := st.OK.Render(r.Verdict)
	if !r.Met {
		verdict = st.Fail.Render(r.Verdict)
	}
	fmt.Fprintf(w, "%s %-4s  %s  %s  %s  %s  %s  %s\n", st.Mark(r.Met), seq, st.ID.Render(pad(Safe(r.Name), p.NameW)),
		pad(Safe(r.Action), p.ActionW), st.Dim.Render(pad(Safe(r.ID), 26)), pad(chaos, p.ChaosW), status, verdict)
	if len(r.Outcome.Attempts) > 1 {
		var b bytes.Buffer
		for _, a := range r.Outcome.Attempts {
			TimelineAttempt(&b, st, a)
		}
		for _, line := range strings.SplitAfter(b.String(), "\n") {
			if line != "" {
				fmt.Fprint(w, "        "+line)
			}
		}
	}
	fmt.Fprintf(w, "        %s\n", st.Dim.Render("expect: "+Safe(r.Expected)))
}

// ScenarioObservation prints what the app said it processed for a step.
func ScenarioObservation(w io.Writer, st *Styles, o scenario.Observation) {
	got := fmt.Sprintf("processed %d, expected %d", o.Got, o.Want)
	if o.Err != nil {
		got = "--observe failed: " + Safe(o.Err.Error())
	}
	text := st.OK.Render(got)
	if !o.Met {
		text = st.Fail.Render(got)
	}
	fmt.Fprintf(w, "%s %s %s %s\n", st.Mark(o.Met), st.ID.Render(Safe(o.Name)), st.Dim.Render(Safe(o.ID)), text)
}

// ScenarioSummary prints how the run went, in a line.
func ScenarioSummary(w io.Writer, st *Styles, rep scenario.Report) {
	n := len(rep.Results) + len(rep.Observations)
	if rep.OK() {
		fmt.Fprintf(w, "%s %s\n", st.Tick(), st.OK.Render(fmt.Sprintf("every expectation met (%d deliveries, %d observations)", len(rep.Results), len(rep.Observations))))
		return
	}
	fmt.Fprintf(w, "%s %s\n", st.Cross(), st.Fail.Render(fmt.Sprintf("%d of %d expectations missed", rep.Failed(), n)))
}

// ScenarioDeliveryRecord is one copy of one send as `scenario run --json`
// prints it.
type ScenarioDeliveryRecord struct {
	Type           string   `json:"type"`
	Seq            int      `json:"seq"`
	Copy           int      `json:"copy"`
	Step           string   `json:"step"`
	Action         string   `json:"action"`
	ID             string   `json:"id"`
	Chaos          []string `json:"chaos"`
	Status         int      `json:"status"`
	Attempts       int      `json:"attempts"`
	LatencyMS      float64  `json:"latency_ms"`
	Error          string   `json:"error,omitempty"`
	ExpectedStatus int      `json:"expected_status"`
	Met            bool     `json:"met"`
	Verdict        string   `json:"verdict"`
	Expected       string   `json:"expected"`
}

// NewScenarioDeliveryRecord returns the `--json` form of a result.
func NewScenarioDeliveryRecord(r scenario.Result) ScenarioDeliveryRecord {
	rec := ScenarioDeliveryRecord{Type: "delivery", Seq: r.Seq, Copy: r.Copy, Step: r.Name, Action: r.Action, ID: r.ID,
		Chaos: r.Chaos(), Status: r.Status(), Attempts: len(r.Outcome.Attempts), ExpectedStatus: r.Want,
		Met: r.Met, Verdict: r.Verdict, Expected: r.Expected}
	if rec.Chaos == nil {
		rec.Chaos = []string{}
	}
	if n := len(r.Outcome.Attempts); n > 0 {
		last := r.Outcome.Attempts[n-1].Result
		rec.LatencyMS = ms(last.Latency)
		if last.Err != nil {
			rec.Error = errorMessage(last.Err)
		}
	}
	return rec
}

// ScenarioObservationRecord is an observation as `--json` prints it.
type ScenarioObservationRecord struct {
	Type      string `json:"type"`
	Step      string `json:"step"`
	Action    string `json:"action"`
	ID        string `json:"id"`
	Processed int    `json:"processed"`
	Expected  int    `json:"expected"`
	Error     string `json:"error,omitempty"`
	Met       bool   `json:"met"`
}

// NewScenarioObservationRecord returns the `--json` form of an observation.
func NewScenarioObservationRecord(o scenario.Observation) ScenarioObservationRecord {
	rec := ScenarioObservationRecord{Type: "observation", Step: o.Name, Action: o.Action, ID: o.ID,
		Processed: o.Got, Expected: o.Want, Met: o.Met}
	if o.Err != nil {
		rec.Error = o.Err.Error()
	}
	return rec
}

// ScenarioSummaryRecord ends `scenario run --json`.
type ScenarioSummaryRecord struct {
	Type       string `json:"type"`
	Scenario   string `json:"scenario"`
	Seed       uint64 `json:"seed"`
	Deliveries int    `json:"deliveries"`
	Missed     int    `json:"missed"`
	OK         bool   `json:"ok"`
}

// NewScenarioSummaryRecord returns the `--json` summary of a run.
func NewScenarioSummaryRecord(name string, seed uint64, rep scenario.Report) ScenarioSummaryRecord {
	return ScenarioSummaryRecord{Type: "summary", Scenario: name, Seed: seed, Deliveries: len(rep.Results),
		Missed: rep.Failed(), OK: rep.OK()}
}
