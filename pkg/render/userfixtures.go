package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/anonymize"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// UserFixtureList prints the user fixtures after the built-in ones: name,
// the action each is sent under, and its file. It prints nothing when
// there are none.
func UserFixtureList(w io.Writer, st *Styles, entries []fixture.Entry) {
	if len(entries) == 0 {
		return
	}
	nameW, actionW := len("USER FIXTURE"), len("ACTION")
	for _, e := range entries {
		nameW = max(nameW, len(Safe(e.Name)))
		actionW = max(actionW, len(Safe(e.Action)))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%s  %s  %s\n", st.Bold.Render(pad("USER FIXTURE", nameW)), st.Bold.Render(pad("ACTION", actionW)), st.Bold.Render("FILE"))
	for _, e := range entries {
		file := Safe(e.Path)
		if e.Shadows {
			file += st.Warn.Render(" (used instead of the built-in " + Safe(e.Name) + ")")
		}
		fmt.Fprintf(w, "%s  %s  %s\n", st.ID.Render(pad(Safe(e.Name), nameW)), pad(Safe(e.Action), actionW), file)
	}
}

// UserFixtureRecord is a user fixture as `fixtures list --json` prints it:
// the keys of FixtureRecord, with the name and file.
type UserFixtureRecord struct {
	Name string `json:"name"`
	FixtureRecord
	Path string `json:"path"`
}

// NewUserFixtureRecord returns the `--json` form of a user fixture.
func NewUserFixtureRecord(e fixture.Entry) UserFixtureRecord {
	triggers := e.Triggers
	if triggers == nil {
		triggers = []string{}
	}
	return UserFixtureRecord{Name: e.Name, Path: e.Path, FixtureRecord: FixtureRecord{
		Action: e.Action, Sources: []string{fixture.SourceUser}, Description: e.Description, Triggers: triggers}}
}

// FixtureImport is what `fixtures import` did.
type FixtureImport struct {
	// From is the capture file; Line the record's line, 0 for a body file.
	From string
	Line int
	// Action and ID are the delivery's.
	Action, ID string
	// Name and Path are the new fixture's.
	Name, Path string
	// Report says what was replaced.
	Report anonymize.Report
	// Messages says whether free text was replaced too.
	Messages bool
}

// FixtureImported prints what `fixtures import` wrote and how to use it.
func FixtureImported(w io.Writer, st *Styles, f FixtureImport) {
	from := Safe(f.From)
	if f.Line > 0 {
		from = fmt.Sprintf("line %d of %s", f.Line, from)
	}
	fmt.Fprintf(w, "%s imported %s (%s %s) as user fixture %s\n", st.Tick(), from, st.ID.Render(Safe(f.Action)),
		st.Dim.Render(Safe(f.ID)), st.Bold.Render(Safe(f.Name)))
	detail(w, "→ "+Safe(f.Path))
	detail(w, fmt.Sprintf("replaced %d personal values: %s", f.Report.Total(), f.Report))
	if !f.Messages {
		detail(w, st.Dim.Render("message and review text kept (names, emails and phone numbers inside it replaced); --messages replaces it too"))
	}
	detail(w, st.Dim.Render("check it before you commit it: "+strings.Join([]string{"hospitable-hook fixtures show " + Safe(f.Name)}, "")))
	detail(w, st.Dim.Render("send it: hospitable-hook send "+Safe(f.Name)+"; in a scenario file: fixture: "+Safe(f.Name)))
}
