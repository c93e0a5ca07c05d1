package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
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
	// Budget is the answer-time budget.
	Budget time.Duration
	// Width is the longest case name, to line up the text report.
	Width int
}

// CheckHeader prints what is about to be checked, and the caveat on the
// budget: Hospitable documents no timeout.
func CheckHeader(w io.Writer, st *Styles, run CheckRun) {
	fmt.Fprintf(w, "%s %s %s\n", st.Bold.Render("checking"), st.Bold.Render(SafeURL(run.URL)),
		st.Dim.Render(fmt.Sprintf("(%d cases; answer-time budget %s, an assumption: Hospitable does not document its timeout)",
			run.Cases, deliver.FormatDuration(run.Budget))))
}

// CheckLine prints one case: ✓ or ✗, its name, what was sent and what came
// back; on failure, why it matters and how to fix it, indented below.
func CheckLine(w io.Writer, st *Styles, run CheckRun, r check.Result) {
	name := fmt.Sprintf("%-*s", run.Width, r.Name)
	got := st.OK.Render(Safe(r.Got))
	if !r.Pass {
		name, got = st.Fail.Render(name), st.Fail.Render(Safe(r.Got))
	}
	fmt.Fprintf(w, "%s %s  %s %s %s\n", st.Mark(r.Pass), name, Safe(r.Sent), st.Dim.Render("→"), got)
	if !r.Pass {
		fmt.Fprintf(w, "    %s %s\n", st.Key.Render("why:"), Safe(r.Why))
		fmt.Fprintf(w, "    %s %s\n", st.Key.Render("fix:"), Safe(r.Fix))
	}
}

// CheckSummary prints the tally, naming the failed cases.
func CheckSummary(w io.Writer, st *Styles, results []check.Result) {
	failed := failedNames(results)
	if len(failed) == 0 {
		what := fmt.Sprintf("all %d cases passed", len(results))
		if len(results) == 1 {
			what = "the one case passed"
		}
		fmt.Fprintf(w, "%s %s\n", st.Check(), st.OK.Render(what+": the endpoint behaves as Hospitable needs"))
		return
	}
	fmt.Fprintf(w, "%s %s\n", st.Cross(), st.Fail.Render(fmt.Sprintf("%d of %d cases failed: %s", len(failed), len(results), strings.Join(failed, ", "))))
}

func failedNames(results []check.Result) []string {
	var failed []string
	for _, r := range results {
		if !r.Pass {
			failed = append(failed, r.Name)
		}
	}
	return failed
}

// CheckRecord is one case as `check --format json` prints it.
type CheckRecord struct {
	Type      string  `json:"type"`
	Name      string  `json:"name"`
	Title     string  `json:"title"`
	Pass      bool    `json:"pass"`
	Sent      string  `json:"sent"`
	Got       string  `json:"got"`
	Why       string  `json:"why,omitempty"`
	Fix       string  `json:"fix,omitempty"`
	LatencyMS float64 `json:"latency_ms"`
}

// NewCheckRecord returns the JSON form of a case's result.
func NewCheckRecord(r check.Result) CheckRecord {
	return CheckRecord{Type: "case", Name: r.Name, Title: r.Title, Pass: r.Pass, Sent: r.Sent, Got: r.Got,
		Why: r.Why, Fix: r.Fix, LatencyMS: ms(r.Latency)}
}

// CheckSummaryRecord ends `check --format json`.
type CheckSummaryRecord struct {
	Type     string   `json:"type"`
	URL      string   `json:"url"`
	Total    int      `json:"total"`
	Passed   int      `json:"passed"`
	Failed   int      `json:"failed"`
	Failures []string `json:"failures"`
	BudgetMS int64    `json:"budget_ms"`
}

// NewCheckSummaryRecord returns the JSON form of a run's tally.
func NewCheckSummaryRecord(run CheckRun, results []check.Result) CheckSummaryRecord {
	failed := failedNames(results)
	if failed == nil {
		failed = []string{}
	}
	return CheckSummaryRecord{Type: "summary", URL: run.URL, Total: len(results), Passed: len(results) - len(failed),
		Failed: len(failed), Failures: failed, BudgetMS: run.Budget.Milliseconds()}
}

// JUnit XML, the shape CI systems (Jenkins, GitLab, GitHub test reporters) read.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
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
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut string        `xml:"system-out"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// CheckJUnit writes the whole run as a JUnit XML report.
func CheckJUnit(w io.Writer, run CheckRun, results []check.Result) error {
	var total time.Duration
	suite := junitSuite{
		Name:  "hospitable-hook check " + run.URL,
		Tests: len(results),
		Properties: []junitProperty{
			{Name: "url", Value: run.URL},
			{Name: "budget", Value: deliver.FormatDuration(run.Budget)},
		},
	}
	for _, r := range results {
		total += r.Latency
		c := junitCase{
			Name:      r.Name,
			Classname: "hospitable-hook.check",
			Time:      seconds(r.Latency),
			SystemOut: fmt.Sprintf("%s\nsent: %s\ngot: %s", r.Title, r.Sent, r.Got),
		}
		if !r.Pass {
			suite.Failures++
			c.Failure = &junitFailure{Message: r.Why, Type: "nonconformance",
				Text: fmt.Sprintf("%s\nsent: %s\ngot: %s\nwhy: %s\nfix: %s", r.Title, r.Sent, r.Got, r.Why, r.Fix)}
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Time = seconds(total)
	doc := junitSuites{Name: "hospitable-hook check", Tests: suite.Tests, Failures: suite.Failures, Time: suite.Time, Suites: []junitSuite{suite}}
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

// CheckTAPHeader starts a TAP version 14 report of n cases.
func CheckTAPHeader(w io.Writer, run CheckRun) {
	fmt.Fprintf(w, "TAP version 14\n1..%d\n# checking %s; answer-time budget %s (Hospitable does not document its timeout)\n",
		run.Cases, SafeURL(run.URL), deliver.FormatDuration(run.Budget))
}

// CheckTAPLine writes case number n as a TAP test point; a failure carries
// a YAML block with what was sent, what came back, why and the fix.
func CheckTAPLine(w io.Writer, n int, r check.Result) {
	desc := Safe(strings.NewReplacer("#", `\#`, "\n", " ").Replace(r.Name + ": " + r.Title))
	if r.Pass {
		fmt.Fprintf(w, "ok %d - %s\n", n, desc)
		return
	}
	fmt.Fprintf(w, "not ok %d - %s\n  ---\n", n, desc)
	for _, kv := range [][2]string{{"sent", r.Sent}, {"got", r.Got}, {"why", r.Why}, {"fix", r.Fix}} {
		// A JSON string is a valid YAML double-quoted scalar.
		var q bytes.Buffer
		enc := json.NewEncoder(&q)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(kv[1])
		fmt.Fprintf(w, "  %s: %s\n", kv[0], SafeJSON(bytes.TrimSuffix(q.Bytes(), []byte("\n"))))
	}
	fmt.Fprintf(w, "  ...\n")
}

// CheckTAPBail ends a TAP report early, for an endpoint that cannot be reached.
func CheckTAPBail(w io.Writer, reason string) {
	fmt.Fprintf(w, "Bail out! %s\n", Safe(strings.ReplaceAll(reason, "\n", " ")))
}
