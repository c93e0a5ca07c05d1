package render

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
)

// CheckFormats lists the report formats of `check`, the default first.
func CheckFormats() []string { return []string{"text", "json", "junit", "tap"} }

// CheckRun describes a conformance run for the report's header and footer.
type CheckRun struct {
	// URL is the endpoint checked.
	URL string
	// Cases is how many cases run.
	Cases int
	// Suite is how many cases the whole suite has, to say when only some ran.
	Suite int
	// Budget is the answer-time budget.
	Budget time.Duration
	// Width is the longest case name, to line up the text report.
	Width int
	// TermWidth is the terminal's width, where text lines wrap; 0 means
	// no wrapping (not a terminal).
	TermWidth int
}

// CheckHeader prints what is about to be checked, and the caveat on the
// budget: Hospitable documents no timeout.
func CheckHeader(w io.Writer, st *Styles, run CheckRun) {
	text := fmt.Sprintf("(%s; answer-time budget %s, an assumption: Hospitable does not document its timeout)",
		countOf(run.Cases, "case", "cases"), deliver.FormatDuration(run.Budget))
	lines := wrapWidth("checking "+SafeURL(run.URL)+" "+text, run.TermWidth, 2)
	fmt.Fprintf(w, "%s %s %s\n", st.Bold.Render("checking"), st.Bold.Render(SafeURL(run.URL)),
		st.Dim.Render(strings.TrimPrefix(lines[0], "checking "+SafeURL(run.URL)+" ")))
	for _, l := range lines[1:] {
		fmt.Fprintln(w, st.Dim.Render(l))
	}
}

// CheckReport prints the whole text report: the diagnosis and the common
// cause first, one line per case, then the tally.
func CheckReport(w io.Writer, st *Styles, run CheckRun, rep check.Report) {
	if d := rep.Diagnosis; d != nil {
		CheckDiagnosis(w, st, run, *d)
	}
	explained := map[string]string{}
	found := rep.Diagnosis.Explains()
	if found {
		for _, r := range rep.Results {
			if r.Cause == check.CauseRefusesValid {
				explained[r.Name] = "the diagnosis above"
			}
		}
	}
	if c := rep.Common; c != nil && !(found && c.Cause == check.CauseRefusesValid) {
		text := fmt.Sprintf("probable cause of %s (%s): %s", countOf(len(c.Names), "failure", "failures"), strings.Join(c.Names, ", "), c.What)
		para(w, st, st.Cross()+" ", st.Fail.Render, text, run.TermWidth, 2)
		para(w, st, "  ", func(s ...string) string { return strings.Join(s, "") }, "fix: "+c.Fix, run.TermWidth, 4)
		for _, n := range c.Names {
			explained[n] = "the probable cause above"
		}
	}
	for _, r := range rep.Results {
		checkLine(w, st, run, r, explained[r.Name])
	}
	CheckSummary(w, st, run, rep)
}

// checkLine prints one case: ✓, ✗, ! (passed with a caveat) or - (not
// run), its name, what was sent and what came back; on failure the status
// and body excerpt, why it matters and how to fix it, indented below. A
// failure explained above (explainedBy) refers to it instead of repeating
// why and how to fix it.
func checkLine(w io.Writer, st *Styles, run CheckRun, r check.Result, explainedBy string) {
	mark, name := caseMark(st, r, fmt.Sprintf("%-*s", run.Width, r.Name))
	lines := caseRest(st, run, r)
	fmt.Fprintf(w, "%s %s  %s\n", mark, name, lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintln(w, l)
	}
	if r.Skipped {
		return
	}
	detail := func(key, text string) {
		para(w, st, "    "+st.Key.Render(key+":")+" ", func(s ...string) string { return strings.Join(s, "") }, text, run.TermWidth, len(key)+6)
	}
	if !r.Pass {
		caseFailure(detail, r, explainedBy)
	}
	if r.Note != "" {
		detail("note", r.Note)
	}
}

// caseMark is a case's mark and its name (padded), styled by the outcome.
func caseMark(st *Styles, r check.Result, name string) (string, string) {
	switch {
	case r.Skipped:
		return st.Dim.Render("-"), st.Dim.Render(name)
	case !r.Pass:
		return st.Mark(false), st.Fail.Render(name)
	case r.Warn:
		return st.Bang(), name
	}
	return st.Mark(true), name
}

// caseRest is what follows a case's name: "sent → got" (why it did not
// run, for a skipped case), wrapped under the name's column; on one line
// the answer is coloured by the outcome.
func caseRest(st *Styles, run CheckRun, r check.Result) []string {
	rest := Safe(r.Sent) + " → " + Safe(r.Got)
	if r.Skipped {
		rest = Safe(r.Why)
	}
	lines := wrapWidth(rest, run.TermWidth-run.Width-4, run.Width+4)
	if len(lines) == 1 && !r.Skipped {
		got := st.OK.Render(Safe(r.Got))
		if !r.Pass {
			got = st.Fail.Render(Safe(r.Got))
		}
		lines[0] = Safe(r.Sent) + " " + st.Dim.Render("→") + " " + got
	}
	return lines
}

// caseFailure prints a failure's answer (status and body excerpt), why it
// matters and the fix, or where above they are explained.
func caseFailure(detail func(key, text string), r check.Result, explainedBy string) {
	if r.Status != 0 {
		answer := fmt.Sprintf("status %d, empty body", r.Status)
		if r.Excerpt != "" {
			answer = fmt.Sprintf("status %d, body %q", r.Status, r.Excerpt)
		}
		detail("answer", answer)
	}
	if explainedBy != "" {
		detail("why", "see "+explainedBy)
		return
	}
	detail("why", r.Why)
	detail("fix", r.Fix)
}

// CheckSummary prints the tally, naming the failed cases; a run of only
// some cases never speaks for the whole endpoint.
func CheckSummary(w io.Writer, st *Styles, run CheckRun, rep check.Report) {
	results := rep.Results
	failed, skipped := failedNames(results), skippedNames(results)
	notRun := ""
	if len(skipped) > 0 {
		notRun = fmt.Sprintf(" (%s not run)", countOf(len(skipped), "case", "cases"))
	}
	switch {
	case rep.Unreachable != nil:
		para(w, st, st.Cross()+" ", st.Fail.Render, "no case was judged: the endpoint cannot be reached", run.TermWidth, 2)
	case len(failed) > 0:
		para(w, st, st.Cross()+" ", st.Fail.Render, fmt.Sprintf("%d of %s failed: %s%s", len(failed), countOf(len(results), "case", "cases"), strings.Join(failed, ", "), notRun), run.TermWidth, 2)
	case len(skipped) > 0:
		why := "interrupted"
		if !rep.Interrupted {
			why = "stopped"
		}
		para(w, st, st.Cross()+" ", st.Fail.Render, fmt.Sprintf("%s: %d of %s ran and passed%s", why, len(results)-len(skipped), countOf(len(results), "case", "cases"), notRun), run.TermWidth, 2)
	case rep.Diagnosis != nil && rep.Diagnosis.Failed():
		para(w, st, st.Cross()+" ", st.Fail.Render, "every case passed, but the diagnosis found a fault (above)", run.TermWidth, 2)
	case run.Suite > 0 && len(results) < run.Suite:
		what := fmt.Sprintf("all %d selected cases passed", len(results))
		if len(results) == 1 {
			what = "the 1 selected case passed"
		}
		others := run.Suite - len(results)
		para(w, st, st.Tick()+" ", st.OK.Render, fmt.Sprintf("%s (%s not run: run check without --only/--skip to judge the whole endpoint)", what, countOf(others, "other case", "other cases")), run.TermWidth, 2)
	default:
		what := fmt.Sprintf("all %d cases passed", len(results))
		if len(results) == 1 {
			what = "the 1 case passed"
		}
		para(w, st, st.Tick()+" ", st.OK.Render, what+": the endpoint behaves as Hospitable needs", run.TermWidth, 2)
	}
}

// CheckProgress draws a live progress line on standard error when it is a
// terminal (and does nothing elsewhere); call the returned stop before
// printing the report.
func (s *IO) CheckProgress() (update func(done, total int, name string), stop func()) {
	if !s.errTTY {
		return func(int, int, string) {}, func() {}
	}
	var mu sync.Mutex
	st := s.ErrStyles()
	return func(done, total int, name string) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(s.ErrOut, "\r\x1b[2K%s", st.Dim.Render(fmt.Sprintf("checking: %d of %d done, last %s", done, total, Safe(name))))
		}, func() {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprint(s.ErrOut, "\r\x1b[2K")
		}
}
