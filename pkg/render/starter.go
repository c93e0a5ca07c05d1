package render

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/starter"
)

// StarterList prints the starters `init` can write, one a line.
func StarterList(w io.Writer, st *Styles, all []starter.Starter) {
	nameW, titleW := len("NAME"), len("STACK")
	for _, s := range all {
		nameW, titleW = max(nameW, len(s.Name)), max(titleW, len(s.Title))
	}
	fmt.Fprintf(w, "%s  %s  %s\n", st.Bold.Render(pad("NAME", nameW)), st.Bold.Render(pad("STACK", titleW)), st.Bold.Render("UNIT TEST"))
	for _, s := range all {
		fmt.Fprintf(w, "%s  %s  %s\n", st.ID.Render(pad(s.Name, nameW)), pad(s.Title, titleW), s.Test)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Dim.Render("Each reads PORT and HOSPITABLE_WEBHOOK_SECRET, serves POST /webhooks/hospitable and has a Procfile. `hospitable-hook init NAME [DIR]` writes one."))
}

// StarterRecord is one starter as `init --list --json` prints it.
type StarterRecord struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Install string `json:"install"`
	Run     string `json:"run"`
	Test    string `json:"test"`
}

// NewStarterRecord returns the `--json` form of a starter.
func NewStarterRecord(s starter.Starter) StarterRecord {
	return StarterRecord{Name: s.Name, Title: s.Title, Install: s.Install, Run: s.Run, Test: s.Test}
}

// StarterWritten says which files `init` wrote, and what to do next: the
// stack's install step, the secret, the run command and `check`.
func StarterWritten(w io.Writer, st *Styles, s starter.Starter, res starter.Written) {
	dir := Safe(res.Dir)
	fmt.Fprintf(w, "%s wrote the %s starter (%s) in %s:\n", st.Tick(), st.ID.Render(s.Name), s.Title, st.Bold.Render(dir))
	for _, p := range res.Paths {
		note := ""
		for _, o := range res.Overwritten {
			if o == p {
				note = " " + st.Warn.Render("(overwritten)")
			}
		}
		fmt.Fprintf(w, "  %s%s\n", Safe(filepath.ToSlash(p)), note)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Bold.Render("next:"))
	var steps []string
	if filepath.Clean(res.Dir) != "." {
		steps = append(steps, "cd "+shellWord(dir))
	}
	if s.Install != "" {
		steps = append(steps, s.Install)
	}
	steps = append(steps,
		`export HOSPITABLE_WEBHOOK_SECRET="$(hospitable-hook secret you@example.com)"   # vendors: the Partner Portal secret`,
		"PORT=3000 "+s.Run,
		"hospitable-hook check http://127.0.0.1:3000/webhooks/hospitable   # in another terminal",
	)
	for _, step := range steps {
		fmt.Fprintf(w, "  %s\n", step)
	}
	extra := ""
	if s.Note != "" {
		extra = "; " + s.Note
	}
	fmt.Fprintln(w, st.Dim.Render(fmt.Sprintf("README.md there says more: the unit test (%s), `listen --forward-to`, where your code goes%s.", s.Test, strings.TrimSpace(extra))))
}

// shellWord quotes s for a shell only when it needs it, so the usual
// directory name reads plainly.
func shellWord(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._/-+@", r)) {
			return ShellQuote(s)
		}
	}
	return s
}
