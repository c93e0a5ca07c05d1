package render

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

func sampleCheck() (CheckRun, check.Report) {
	results := []check.Result{
		{Name: "signed-reservation-created", Title: "reservation.created, validly signed → exactly 200", Pass: true,
			Sent: "reservation.created 01KB6DGNF0E0G2JW0F2RHT0C6B, signed (7.1 KB)", Got: "200 OK in 3ms", Status: 200, Excerpt: `{"ok":true}`, Latency: 3 * time.Millisecond},
		{Name: "missing-signature", Title: "no Signature header → 4xx",
			Sent: "message.created with no Signature header", Got: "500 Internal Server Error in 2ms", Latency: 2 * time.Millisecond,
			Status: 500, Excerpt: "TypeError: Cannot read \x1b[31mproperties\x1b[0m of undefined", Cause: check.CauseCrashesForged,
			Why: "a bad signature is the sender's fault, not yours <&> \"quoted\"", Fix: "answer 401 # not 500"},
		{Name: "large-delivery", Title: "a realistic delivery of about 1.1 MB → 200 (size limit an assumption)", Pass: true, Warn: true,
			Sent: "property.changed 01KB6DGNF0E0G2JW0F2RHT0C6C, signed, 1.1 MB", Got: "413 Request Entity Too Large in 4ms; 240.0 KB: 200 OK in 2ms",
			Status: 413, Note: "your endpoint refuses 1.1 MB but takes 240.0 KB: Hospitable documents no size limit"},
		{Name: "answer-time", Title: "a valid delivery answered within the budget", Skipped: true, Sent: "nothing", Got: "-",
			Why: "not run (or cut short): --fail-fast stopped the run after missing-signature failed"},
	}
	rep := check.Report{Results: results, Diagnosis: &check.Diagnosis{Verdict: check.VerdictFound,
		Cause: "your endpoint uses the decoded email \"dev@hospitable-hook.invalid\" as the HMAC key; the key is the base64 text itself (it accepted: signed with the decoded email as key)",
		Fix:   "use the secret text (the base64 of the email) as the key, without decoding it", Accepted: []string{"key-decoded-email"},
		Valid: check.ProbeResult{Name: "valid", Status: 401}, Control: check.ProbeResult{Name: "random-key", Status: 401}}}
	return CheckRun{URL: "http://127.0.0.1:5000/webhooks/hospitable", Cases: len(results), Suite: 24, Budget: 3 * time.Second, Width: 26}, rep
}

func TestCheckText(t *testing.T) {
	for _, tty := range []bool{false, true} {
		io, _, out, _ := Test()
		name := "TestCheckText.golden"
		if tty {
			io.SetTerminal(true, true)
			io.SetColor(true)
			name = "TestCheckText.tty.golden"
		}
		run, rep := sampleCheck()
		CheckHeader(out, io.Styles(), run)
		CheckReport(out, io.Styles(), run, rep)
		one := check.Report{Results: rep.Results[:1]}
		CheckSummary(out, io.Styles(), run, one)
		run.Suite = 1
		CheckSummary(out, io.Styles(), run, one)
		golden(t, name, out.Bytes())
	}
}

func TestCheckTextWrapsAtTheTerminalWidth(t *testing.T) {
	io, _, out, _ := Test()
	run, rep := sampleCheck()
	run.TermWidth = 72
	CheckHeader(out, io.Styles(), run)
	CheckReport(out, io.Styles(), run, rep)
	words := map[string]bool{}
	for _, w := range strings.Fields(strings.ReplaceAll(out.String(), "\n", " ")) {
		words[w] = true
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if n := len([]rune(line)); n > 72 && strings.Contains(line, " ") && !strings.Contains(line, "01KB6DGNF0E0G2JW0F2RHT0C6") {
			t.Errorf("line of %d characters at width 72: %q", n, line)
		}
	}
	for _, w := range []string{"\"dev@hospitable-hook.invalid\"", "sender's", "decoding"} {
		if !words[w] {
			t.Errorf("the word %s was cut by the wrapping:\n%s", w, out.String())
		}
	}
	if strings.Contains(out.String(), "\x1b[31m") {
		t.Errorf("an escape sequence from the body reached the terminal:\n%s", out.String())
	}
}

func TestCheckJSON(t *testing.T) {
	run, rep := sampleCheck()
	io, _, out, _ := Test()
	if err := CheckJSON(io, run, rep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines:\n%s", len(lines), out.String())
	}
	var d CheckDiagnosisRecord
	if err := json.Unmarshal([]byte(lines[0]), &d); err != nil || d.Type != "diagnosis" || d.Verdict != "found" || d.Accepted[0] != "key-decoded-email" {
		t.Errorf("diagnosis record = %s (%v)", lines[0], err)
	}
	failedCase := rep.Results[1]
	wantCase := CheckRecord{Type: "case", Name: "missing-signature", Title: failedCase.Title, Sent: failedCase.Sent, Got: failedCase.Got,
		Status: 500, Excerpt: failedCase.Excerpt, Why: failedCase.Why, Fix: failedCase.Fix, Cause: "crashes-on-forged", LatencyMS: 2}
	var c CheckRecord
	if err := json.Unmarshal([]byte(lines[2]), &c); err != nil || !reflect.DeepEqual(c, wantCase) {
		t.Errorf("case record = %s (%v)\nwant %+v", lines[2], err, wantCase)
	}
	if strings.Contains(lines[1], `"why"`) {
		t.Errorf("a passed case carries why: %s", lines[1])
	}
	wantSummary := CheckSummaryRecord{Type: "summary", URL: run.URL, Total: 4, Passed: 2, Failed: 1, Skipped: 1,
		Failures: []string{"missing-signature"}, Suite: 24, BudgetMS: 3000}
	var s CheckSummaryRecord
	if err := json.Unmarshal([]byte(lines[5]), &s); err != nil || !reflect.DeepEqual(s, wantSummary) {
		t.Errorf("summary record = %s (%v)\nwant %+v", lines[5], err, wantSummary)
	}
}

// junitDoc is what a CI system reads of a JUnit report.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name  string          `xml:"name,attr"`
		Cases []junitReadCase `xml:"testcase"`
	} `xml:"testsuite"`
}

type junitReadCase struct {
	Name       string `xml:"name,attr"`
	Time       string `xml:"time,attr"`
	Properties []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	} `xml:"properties>property"`
	Failure *struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	} `xml:"failure"`
	Skipped *struct{} `xml:"skipped"`
}

// failedAs reports whether c is a failure that took time, carries the
// status property, the message and, in its text, each of has.
func (c junitReadCase) failedAs(time, status, message string, has ...string) bool {
	if c.Failure == nil || c.Time != time || len(c.Properties) == 0 || c.Properties[0].Value != status || c.Failure.Message != message {
		return false
	}
	for _, h := range has {
		if !strings.Contains(c.Failure.Text, h) {
			return false
		}
	}
	return true
}

func TestCheckJUnitIsValidXML(t *testing.T) {
	run, rep := sampleCheck()
	var out bytes.Buffer
	if err := CheckJUnit(&out, run, rep); err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit report is not XML: %v\n%s", err, out.String())
	}
	if !strings.HasPrefix(out.String(), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration:\n%s", out.String())
	}
	if doc.Tests != 5 || doc.Failures != 2 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 5 {
		t.Fatalf("JUnit report = %+v", doc)
	}
	c := doc.Suites[0].Cases
	if c[0].Name != "diagnosis" || c[0].Failure == nil || c[1].Failure != nil || c[4].Skipped == nil {
		t.Errorf("JUnit cases = %+v", c)
	}
	if !c[2].failedAs("0.002", "500", "status 500: "+rep.Results[1].Why, "fix: answer 401", "body: TypeError") {
		t.Errorf("JUnit failed case = %+v", c[2])
	}
	golden(t, "TestCheckJUnit.golden", out.Bytes())
}

func TestCheckTAP(t *testing.T) {
	run, rep := sampleCheck()
	var out bytes.Buffer
	CheckTAP(&out, run, rep)
	got := out.String()
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if lines[0] != "TAP version 14" || lines[1] != "1..5" {
		t.Errorf("TAP header = %q", lines[:2])
	}
	if !strings.Contains(got, "\nnot ok 1 - diagnosis: ") || !strings.Contains(got, "\nok 2 - signed-reservation-created: ") ||
		!strings.Contains(got, "\nnot ok 3 - missing-signature: no Signature header → 4xx\n  ---\n") || !strings.Contains(got, "  status: 500\n") ||
		!strings.Contains(got, "\nok 5 - answer-time: a valid delivery answered within the budget # SKIP not run") {
		t.Errorf("TAP test points:\n%s", got)
	}
	if !strings.Contains(got, `  fix: "answer 401 # not 500"`) || !strings.HasSuffix(got, "# SKIP not run (or cut short): --fail-fast stopped the run after missing-signature failed\n") {
		t.Errorf("TAP YAML block:\n%s", got)
	}
	golden(t, "TestCheckTAP.golden", out.Bytes())
}

func TestRetryTimeline(t *testing.T) {
	r := deliver.Retrier{Clock: virtualClock(), Schedule: deliver.DefaultSchedule()}
	statuses := []int{500, 204, 0, 200}
	o, err := r.Run(context.Background(), func(_ context.Context, n int) deliver.Result {
		s := statuses[n-1]
		if s == 0 {
			return deliver.Result{Latency: 10 * time.Second, Err: &deliver.TransportError{Kind: deliver.KindTimeout, Addr: "127.0.0.1:5000", Limit: 10 * time.Second, Err: errors.New("deadline")}}
		}
		return deliver.Result{Status: s, Latency: 3 * time.Millisecond}
	})
	if err != nil {
		t.Fatal(err)
	}
	failed, _ := (&deliver.Retrier{Clock: virtualClock(), Schedule: deliver.Schedule{time.Second}}).Run(context.Background(),
		func(context.Context, int) deliver.Result {
			return deliver.Result{Err: &deliver.TransportError{Kind: deliver.KindRefused, Addr: "127.0.0.1:5000", Err: syscall.ECONNREFUSED}}
		})
	for _, tty := range []bool{false, true} {
		io, _, out, _ := Test()
		name := "TestRetryTimeline.golden"
		if tty {
			io.SetTerminal(true, true)
			io.SetColor(true)
			name = "TestRetryTimeline.tty.golden"
		}
		retryTimeline(out, io.Styles(), o)
		retryTimeline(out, io.Styles(), failed)
		golden(t, name, out.Bytes())
	}
	rec := NewTimelineRecord(o.Attempts[2])
	if rec.ScheduleTime != "T+6s" || rec.Status != 0 || rec.Error == "" || rec.NextDelay != "10s" || rec.Success {
		t.Errorf("NewTimelineRecord = %+v", rec)
	}
}

func virtualClock() *clock.Virtual {
	return clock.NewVirtual(time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC))
}

func TestDemoPrinters(t *testing.T) {
	io, _, out, _ := Test()
	st := io.Styles()
	DemoStep(out, st, 4, 4, "Hospitable's retries, rehearsed",
		"When an endpoint fails, Hospitable retries after 1s, 5s, 10s, 1h and 6h with the same bytes and id; the schedule runs on a virtual clock, so it takes no time.")
	DemoVerdict(out, st, "delivered on attempt 3 at T+6s", nil)
	DemoVerdict(out, st, "unused", []string{"gave up after 6 attempts", "the listener saw attempt 2 as id \"\""})
	DemoRetrySeen(out, st, "01KB6DGNF0E0G2JW0F2RHT0C6B", []listener.Event{{Attempt: 1, Status: 500}, {Attempt: 2, Status: 200}})
	DemoDone(out, st, 4, nil, 32*time.Millisecond)
	DemoDone(out, st, 4, []string{"retry"}, 1250*time.Millisecond)
	DemoNext(out, st, []string{"hospitable-hook listen"})
	golden(t, "TestDemoPrinters.golden", out.Bytes())
}

func TestCheckJUnitOfAnInterruptedRunFails(t *testing.T) {
	run, rep := sampleCheck()
	rep.Diagnosis, rep.Interrupted = nil, true
	rep.Results = rep.Results[:1]
	var out bytes.Buffer
	if err := CheckJUnit(&out, run, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `failures="1"`) || !strings.Contains(out.String(), `<testcase name="run-complete"`) {
		t.Errorf("an interrupted run's JUnit report has no failure:\n%s", out.String())
	}
}

func TestCheckProgressOnlyOnATerminal(t *testing.T) {
	io, _, _, errOut := Test()
	update, stop := io.CheckProgress()
	update(1, 24, "signed-review-created")
	stop()
	if errOut.Len() != 0 {
		t.Errorf("progress drawn on a pipe: %q", errOut.String())
	}
	io.SetTerminal(true, true)
	update, stop = io.CheckProgress()
	update(3, 24, "wrong-secret\x1b]0;x")
	stop()
	if got := errOut.String(); !strings.Contains(got, "checking: 3 of 24 done, last wrong-secret\\x1b]0;x") || !strings.HasSuffix(got, "\r\x1b[2K") {
		t.Errorf("progress on a terminal = %q", got)
	}
}

// retryTimeline prints every attempt of a finished run, then how it ended,
// as `simulate` does live from Retrier.OnAttempt.
func retryTimeline(w *bytes.Buffer, st *Styles, o deliver.Outcome) {
	for _, a := range o.Attempts {
		TimelineAttempt(w, st, a)
	}
	timelineOutcome(w, st, o, o.Summary())
}
