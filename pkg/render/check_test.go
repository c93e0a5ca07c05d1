package render

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

func sampleCheck() (CheckRun, []check.Result) {
	results := []check.Result{
		{Name: "signed-reservation-created", Title: "reservation.created, validly signed → exactly 200", Pass: true,
			Sent: "reservation.created 01KB6DGNF0E0G2JW0F2RHT0C6B, signed (7.1 KB)", Got: "200 OK in 3ms", Latency: 3 * time.Millisecond},
		{Name: "missing-signature", Title: "no Signature header → 4xx",
			Sent: "message.created with no Signature header", Got: "500 Internal Server Error in 2ms", Latency: 2 * time.Millisecond,
			Why: "a bad signature is the sender's fault, not yours <&> \"quoted\"", Fix: "answer 401 # not 500"},
	}
	return CheckRun{URL: "http://127.0.0.1:5000/webhooks/hospitable", Cases: len(results), Budget: 3 * time.Second, Width: 26}, results
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
		run, results := sampleCheck()
		CheckHeader(out, io.Styles(), run)
		for _, r := range results {
			CheckLine(out, io.Styles(), run, r)
		}
		CheckSummary(out, io.Styles(), results)
		CheckSummary(out, io.Styles(), results[:1])
		golden(t, name, out.Bytes())
	}
}

func TestCheckJSON(t *testing.T) {
	run, results := sampleCheck()
	var lines [][]byte
	for _, r := range results {
		b, _ := json.Marshal(NewCheckRecord(r))
		lines = append(lines, b)
	}
	b, _ := json.Marshal(NewCheckSummaryRecord(run, results))
	lines = append(lines, b)
	var c CheckRecord
	if err := json.Unmarshal(lines[1], &c); err != nil || c.Type != "case" || c.Pass || c.Why == "" || c.Name != "missing-signature" {
		t.Errorf("case record = %s (%v)", lines[1], err)
	}
	if bytes.Contains(lines[0], []byte(`"why"`)) {
		t.Errorf("a passed case carries why: %s", lines[0])
	}
	var s CheckSummaryRecord
	if err := json.Unmarshal(lines[2], &s); err != nil || s.Type != "summary" || s.Total != 2 || s.Failed != 1 || s.Failures[0] != "missing-signature" || s.BudgetMS != 3000 {
		t.Errorf("summary record = %s (%v)", lines[2], err)
	}
}

func TestCheckJUnitIsValidXML(t *testing.T) {
	run, results := sampleCheck()
	var out bytes.Buffer
	if err := CheckJUnit(&out, run, results); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Time    string `xml:"time,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit report is not XML: %v\n%s", err, out.String())
	}
	if !strings.HasPrefix(out.String(), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration:\n%s", out.String())
	}
	if doc.Tests != 2 || doc.Failures != 1 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 2 {
		t.Fatalf("JUnit report = %+v", doc)
	}
	c := doc.Suites[0].Cases
	if c[0].Failure != nil || c[1].Failure == nil || c[1].Time != "0.002" ||
		c[1].Failure.Message != results[1].Why || !strings.Contains(c[1].Failure.Text, "fix: answer 401") {
		t.Errorf("JUnit cases = %+v", c)
	}
	golden(t, "TestCheckJUnit.golden", out.Bytes())
}

func TestCheckTAP(t *testing.T) {
	run, results := sampleCheck()
	var out bytes.Buffer
	CheckTAPHeader(&out, run)
	for i, r := range results {
		CheckTAPLine(&out, i+1, r)
	}
	got := out.String()
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if lines[0] != "TAP version 14" || lines[1] != "1..2" {
		t.Errorf("TAP header = %q", lines[:2])
	}
	if !strings.Contains(got, "\nok 1 - signed-reservation-created: ") || !strings.Contains(got, "\nnot ok 2 - missing-signature: no Signature header → 4xx\n  ---\n") {
		t.Errorf("TAP test points:\n%s", got)
	}
	if !strings.Contains(got, `  fix: "answer 401 # not 500"`) || !strings.HasSuffix(got, "  ...\n") {
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
		RetryTimeline(out, io.Styles(), o)
		RetryTimeline(out, io.Styles(), failed)
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
