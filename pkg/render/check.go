package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
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

func countOf(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
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

// CheckDiagnosis prints the probes' finding on one line (wrapped on a
// terminal), with its fix.
func CheckDiagnosis(w io.Writer, st *Styles, run CheckRun, d check.Diagnosis) {
	mark, style := st.Cross()+" ", st.Fail.Render
	switch d.Verdict {
	case check.VerdictClean:
		mark, style = st.Tick()+" ", st.OK.Render
	case check.VerdictLenient, check.VerdictInconclusive:
		mark, style = st.Bang()+" ", st.Warn.Render
	}
	text := "diagnosis: " + d.Cause
	if d.Fix != "" {
		text += "; fix: " + d.Fix
	}
	para(w, st, mark, style, text, run.TermWidth, 2)
}

// para prints text behind a mark, wrapped at width with a hanging indent.
func para(w io.Writer, _ *Styles, mark string, style func(...string) string, text string, width, indent int) {
	lines := wrapWidth(Safe(text), width-indent, 0)
	for i, l := range lines {
		if i == 0 {
			fmt.Fprintf(w, "%s%s\n", mark, style(l))
			continue
		}
		fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", indent), style(l))
	}
}

// wrapWidth wraps text at width without cutting words (a word longer than
// the line stays whole); lines after the first are indented by indent
// spaces. A width of 0 or less means one line.
func wrapWidth(text string, width, indent int) []string {
	if width <= 20 {
		return []string{text}
	}
	lines := wrap(text, width)
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.Repeat(" ", indent) + lines[i]
	}
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

// checkLine prints one case: ✓, ✗, ! (passed with a caveat) or - (not
// run), its name, what was sent and what came back; on failure the status
// and body excerpt, why it matters and how to fix it, indented below. A
// failure explained above (explainedBy) refers to it instead of repeating
// why and how to fix it.
func checkLine(w io.Writer, st *Styles, run CheckRun, r check.Result, explainedBy string) {
	name := fmt.Sprintf("%-*s", run.Width, r.Name)
	mark := st.Mark(r.Pass)
	switch {
	case r.Skipped:
		mark, name = st.Dim.Render("-"), st.Dim.Render(name)
	case !r.Pass:
		name = st.Fail.Render(name)
	case r.Warn:
		mark = st.Bang()
	}
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
		if r.Status != 0 {
			answer := fmt.Sprintf("status %d", r.Status)
			if r.Excerpt != "" {
				answer += ", body " + fmt.Sprintf("%q", r.Excerpt)
			} else {
				answer += ", empty body"
			}
			detail("answer", answer)
		}
		if explainedBy != "" {
			detail("why", "see "+explainedBy)
		} else {
			detail("why", r.Why)
			detail("fix", r.Fix)
		}
	}
	if r.Note != "" {
		detail("note", r.Note)
	}
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

func failedNames(results []check.Result) []string {
	var failed []string
	for _, r := range results {
		if !r.Pass && !r.Skipped {
			failed = append(failed, r.Name)
		}
	}
	return failed
}

func skippedNames(results []check.Result) []string {
	var out []string
	for _, r := range results {
		if r.Skipped {
			out = append(out, r.Name)
		}
	}
	return out
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

// CheckRecord is one case as `check --format json` prints it.
type CheckRecord struct {
	Type      string  `json:"type"`
	Name      string  `json:"name"`
	Title     string  `json:"title"`
	Pass      bool    `json:"pass"`
	Skipped   bool    `json:"skipped,omitempty"`
	Warn      bool    `json:"warn,omitempty"`
	Sent      string  `json:"sent"`
	Got       string  `json:"got"`
	Status    int     `json:"status"`
	Excerpt   string  `json:"body_excerpt,omitempty"`
	Why       string  `json:"why,omitempty"`
	Fix       string  `json:"fix,omitempty"`
	Note      string  `json:"note,omitempty"`
	Cause     string  `json:"cause,omitempty"`
	LatencyMS float64 `json:"latency_ms"`
}

// NewCheckRecord returns the JSON form of a case's result.
func NewCheckRecord(r check.Result) CheckRecord {
	return CheckRecord{Type: "case", Name: r.Name, Title: r.Title, Pass: r.Pass, Skipped: r.Skipped, Warn: r.Warn, Sent: r.Sent, Got: r.Got,
		Status: r.Status, Excerpt: r.Excerpt, Why: r.Why, Fix: r.Fix, Note: r.Note, Cause: string(r.Cause), LatencyMS: ms(r.Latency)}
}

// CheckDiagnosisRecord is the diagnosis as `check --format json` prints it.
type CheckDiagnosisRecord struct {
	Type     string              `json:"type"`
	Verdict  string              `json:"verdict"`
	Cause    string              `json:"cause"`
	Fix      string              `json:"fix,omitempty"`
	Accepted []string            `json:"accepted"`
	Probes   []check.ProbeResult `json:"probes"`
}

// NewCheckDiagnosisRecord returns the JSON form of a diagnosis.
func NewCheckDiagnosisRecord(d check.Diagnosis) CheckDiagnosisRecord {
	acc := d.Accepted
	if acc == nil {
		acc = []string{}
	}
	probes := append([]check.ProbeResult{d.Valid, d.Control}, d.Results...)
	return CheckDiagnosisRecord{Type: "diagnosis", Verdict: string(d.Verdict), Cause: d.Cause, Fix: d.Fix, Accepted: acc, Probes: probes}
}

// CheckSummaryRecord ends `check --format json`.
type CheckSummaryRecord struct {
	Type        string        `json:"type"`
	URL         string        `json:"url"`
	Pass        bool          `json:"pass"`
	Total       int           `json:"total"`
	Passed      int           `json:"passed"`
	Failed      int           `json:"failed"`
	Skipped     int           `json:"skipped"`
	Failures    []string      `json:"failures"`
	Suite       int           `json:"suite"`
	BudgetMS    int64         `json:"budget_ms"`
	Common      *check.Common `json:"common_cause,omitempty"`
	Unreachable string        `json:"unreachable,omitempty"`
	Interrupted bool          `json:"interrupted,omitempty"`
}

// NewCheckSummaryRecord returns the JSON form of a run's tally.
func NewCheckSummaryRecord(run CheckRun, rep check.Report) CheckSummaryRecord {
	failed, skipped := failedNames(rep.Results), skippedNames(rep.Results)
	if failed == nil {
		failed = []string{}
	}
	s := CheckSummaryRecord{Type: "summary", URL: run.URL, Pass: rep.Passed(), Total: len(rep.Results), Passed: len(rep.Results) - len(failed) - len(skipped),
		Failed: len(failed), Skipped: len(skipped), Failures: failed, Suite: run.Suite, BudgetMS: run.Budget.Milliseconds(),
		Common: rep.Common, Interrupted: rep.Interrupted}
	if rep.Unreachable != nil {
		s.Unreachable = rep.Unreachable.Error()
	}
	return s
}

// CheckJSON writes the whole run as JSON Lines: the diagnosis (when probes
// ran), one object per case, then the summary.
func CheckJSON(io *IO, run CheckRun, rep check.Report) error {
	if rep.Diagnosis != nil {
		if err := io.JSON(NewCheckDiagnosisRecord(*rep.Diagnosis)); err != nil {
			return err
		}
	}
	for _, r := range rep.Results {
		if err := io.JSON(NewCheckRecord(r)); err != nil {
			return err
		}
	}
	return io.JSON(NewCheckSummaryRecord(run, rep))
}

// JUnit XML, the shape CI systems (Jenkins, GitLab, GitHub test reporters) read.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Failure    *junitFailure   `xml:"failure"`
	Skipped    *junitSkipped   `xml:"skipped"`
	SystemOut  string          `xml:"system-out"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// checkDetail is a case as plain lines: for JUnit text and TAP.
func checkDetail(r check.Result) [][2]string {
	kv := [][2]string{{"sent", r.Sent}, {"got", r.Got}}
	if r.Status != 0 {
		kv = append(kv, [2]string{"status", fmt.Sprint(r.Status)})
	}
	if r.Excerpt != "" {
		kv = append(kv, [2]string{"body", r.Excerpt})
	}
	switch {
	case r.Skipped:
		kv = append(kv, [2]string{"why", r.Why})
	case !r.Pass:
		kv = append(kv, [2]string{"why", r.Why}, [2]string{"fix", r.Fix})
	}
	if r.Note != "" {
		kv = append(kv, [2]string{"note", r.Note})
	}
	return kv
}

func detailText(title string, kv [][2]string) string {
	var b strings.Builder
	b.WriteString(title)
	for _, p := range kv {
		fmt.Fprintf(&b, "\n%s: %s", p[0], p[1])
	}
	return b.String()
}

// diagnosisResult is the diagnosis as one more judged line of a CI report.
func diagnosisResult(d check.Diagnosis) check.Result {
	accepted := "none"
	if len(d.Accepted) > 0 {
		accepted = strings.Join(d.Accepted, ", ")
	}
	r := check.Result{Name: "diagnosis", Title: "probes signed the usual wrong ways are all refused", Pass: !d.Failed(),
		Warn: d.Verdict == check.VerdictLenient, Sent: "a valid delivery, one signed with a random key, and each probe",
		Got: "accepted: " + accepted, Why: d.Cause, Fix: d.Fix}
	if r.Pass {
		r.Note = d.Cause
	}
	return r
}

// reportResults is what a CI report lists: the diagnosis first, then the
// cases.
func reportResults(rep check.Report) []check.Result {
	var out []check.Result
	if rep.Diagnosis != nil {
		out = append(out, diagnosisResult(*rep.Diagnosis))
	}
	out = append(out, rep.Results...)
	if rep.Interrupted {
		// A CI system that reads only the failure count must not see an
		// interrupted run as a green one.
		out = append(out, check.Result{Name: "run-complete", Title: "every selected case ran", Sent: "-", Got: "interrupted",
			Why: "the run was interrupted before every case ran: the cases marked skipped were not judged", Fix: "run check again to the end"})
	}
	return out
}

// CheckJUnit writes the whole run as a JUnit XML report. It is complete
// whatever happened: an unreachable endpoint is one failed case, cases
// that did not run are skipped ones.
func CheckJUnit(w io.Writer, run CheckRun, rep check.Report) error {
	var total time.Duration
	results := reportResults(rep)
	suite := junitSuite{
		Name:  "hospitable-hook check " + run.URL,
		Tests: len(results),
		Properties: []junitProperty{
			{Name: "url", Value: run.URL},
			{Name: "budget", Value: deliver.FormatDuration(run.Budget)},
		},
	}
	if rep.Interrupted {
		suite.Properties = append(suite.Properties, junitProperty{Name: "interrupted", Value: "true"})
	}
	for _, r := range results {
		total += r.Latency
		c := junitCase{Name: r.Name, Classname: "hospitable-hook.check", Time: seconds(r.Latency),
			SystemOut: detailText(r.Title, checkDetail(r))}
		if r.Status != 0 {
			c.Properties = []junitProperty{{Name: "status", Value: fmt.Sprint(r.Status)}}
		}
		switch {
		case r.Skipped:
			suite.Skipped++
			c.Skipped = &junitSkipped{Message: r.Why}
		case !r.Pass:
			suite.Failures++
			msg := r.Why
			if r.Status != 0 {
				msg = fmt.Sprintf("status %d: %s", r.Status, r.Why)
			}
			c.Failure = &junitFailure{Message: msg, Type: "nonconformance", Text: detailText(r.Title, checkDetail(r))}
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Time = seconds(total)
	doc := junitSuites{Name: "hospitable-hook check", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped, Time: suite.Time, Suites: []junitSuite{suite}}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", SafeXML(b))
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// CheckTAP writes the whole run as TAP version 14: a bail-out for an
// unreachable endpoint, skipped cases as SKIP, the diagnosis first.
func CheckTAP(w io.Writer, run CheckRun, rep check.Report) {
	results := reportResults(rep)
	plan := len(results)
	if rep.Unreachable != nil {
		plan = run.Cases
	}
	fmt.Fprintf(w, "TAP version 14\n1..%d\n# checking %s; answer-time budget %s (Hospitable does not document its timeout)\n",
		plan, SafeURL(run.URL), deliver.FormatDuration(run.Budget))
	if rep.Unreachable != nil {
		fmt.Fprintf(w, "Bail out! %s\n", oneLine(rep.Unreachable.Error()+"; "+rep.Unreachable.Hint()+" (no case was judged)"))
		return
	}
	for i, r := range results {
		checkTAPLine(w, i+1, r)
	}
}

// checkTAPLine writes case number n as a TAP test point; a failure (or a
// note) carries a YAML block with what was sent, what came back, the
// status, the body, why and the fix.
func checkTAPLine(w io.Writer, n int, r check.Result) {
	desc := Safe(strings.NewReplacer("#", `\#`, "\n", " ").Replace(r.Name + ": " + r.Title))
	switch {
	case r.Skipped:
		fmt.Fprintf(w, "ok %d - %s # SKIP %s\n", n, desc, oneLine(r.Why))
		return
	case r.Pass && r.Note == "":
		fmt.Fprintf(w, "ok %d - %s\n", n, desc)
		return
	case r.Pass:
		fmt.Fprintf(w, "ok %d - %s\n  ---\n", n, desc)
	default:
		fmt.Fprintf(w, "not ok %d - %s\n  ---\n", n, desc)
	}
	for _, kv := range checkDetail(r) {
		if kv[0] == "status" {
			fmt.Fprintf(w, "  status: %s\n", kv[1])
			continue
		}
		// A JSON string is a valid YAML double-quoted scalar.
		var q bytes.Buffer
		enc := json.NewEncoder(&q)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(kv[1])
		fmt.Fprintf(w, "  %s: %s\n", kv[0], SafeJSON(bytes.TrimSuffix(q.Bytes(), []byte("\n"))))
	}
	fmt.Fprintf(w, "  ...\n")
}
