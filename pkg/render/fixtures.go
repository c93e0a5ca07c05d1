package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// FixtureList prints the built-in fixtures as a table: action, the sources
// that name it, and what it is.
func FixtureList(w io.Writer, st *Styles, infos []fixture.Info) {
	actionW, sourceW := len("ACTION"), len("NAMED BY")
	for _, info := range infos {
		actionW = max(actionW, len(info.Action))
		sourceW = max(sourceW, len(strings.Join(info.Sources, ", ")))
	}
	fmt.Fprintf(w, "%s  %s  %s\n", st.Bold.Render(pad("ACTION", actionW)), st.Bold.Render(pad("NAMED BY", sourceW)), st.Bold.Render("DESCRIPTION"))
	for _, info := range infos {
		fmt.Fprintf(w, "%s  %s  %s\n", st.ID.Render(pad(Safe(info.Action), actionW)), pad(Safe(strings.Join(info.Sources, ", ")), sourceW), Safe(info.Description))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Dim.Render(fmt.Sprintf("%s: Hospitable's webhook guide; %s: its v2 webhook reference. `fixtures show ACTION` prints one.",
		fixture.SourceGuide, fixture.SourceReference)))
}

// FixtureRecord is one fixture as `fixtures list --json` prints it.
type FixtureRecord struct {
	Action      string   `json:"action"`
	Sources     []string `json:"sources"`
	Description string   `json:"description"`
	Triggers    []string `json:"triggers"`
}

// NewFixtureRecord returns the `--json` form of a catalog entry.
func NewFixtureRecord(info fixture.Info) FixtureRecord {
	triggers := info.Triggers
	if triggers == nil {
		triggers = []string{}
	}
	return FixtureRecord{Action: info.Action, Sources: info.Sources, Description: info.Description, Triggers: triggers}
}

func pad(s string, width int) string {
	if n := len(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}
