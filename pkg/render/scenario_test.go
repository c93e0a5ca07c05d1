package render

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/scenario"
)

func sampleScenario(st *Styles) []byte {
	var out bytes.Buffer
	p := ScenarioPlan{Name: "booking-lifecycle", Source: "built-in", URL: "http://127.0.0.1:5000/webhooks/hospitable",
		Steps: 2, Sends: 3, Seed: 7, Chaos: "duplicates, retry", Span: 2 * time.Hour, NameW: 12, ActionW: 19, ChaosW: 15}
	ScenarioHeader(&out, st, p)
	ok := deliver.Outcome{Delivered: true, Attempts: []deliver.Attempt{{Number: 1, Result: deliver.Result{Status: 200, Latency: 3 * time.Millisecond}, Final: true}}}
	retried := deliver.Outcome{Delivered: true, ScheduleTime: time.Second, Attempts: []deliver.Attempt{
		{Number: 1, Result: deliver.Result{Status: 500, Latency: 2 * time.Millisecond}, NextDelay: time.Second},
		{Number: 2, ScheduleTime: time.Second, Result: deliver.Result{Status: 200, Latency: time.Millisecond}, Final: true},
	}}
	ScenarioResult(&out, st, p, scenario.Result{Seq: 1, Name: "booked", Action: "reservation.created", ID: "01KB2Y5X0Q3W7F8G9H0J1K2M3N",
		Send: scenario.Send{Copies: 1}, Copy: 1, Outcome: ok, Want: 200, Met: true, Verdict: "200 OK: delivered", Expected: "answer 200; store it"})
	ScenarioResult(&out, st, p, scenario.Result{Seq: 2, Name: "guest-\x1b[2Jwrites", Action: "message.created", ID: "01KB2Y5X0Q3W7F8G9H0J1K2M3P",
		Send: scenario.Send{Copies: 1, Retry: true}, Copy: 1, Outcome: retried, Want: 200, Met: true, Verdict: retried.Summary(), Expected: "answer 200"})
	ScenarioResult(&out, st, p, scenario.Result{Seq: 3, Name: "booked", Action: "reservation.created", ID: "01KB2Y5X0Q3W7F8G9H0J1K2M3N",
		Send: scenario.Send{Copies: 1, Duplicate: true}, Copy: 1, Outcome: deliver.Outcome{Attempts: []deliver.Attempt{{Number: 1, Result: deliver.Result{Status: 500}, Final: true}}},
		Want: 200, Verdict: "500 Internal Server Error, not 200: Hospitable retries in 1s", Expected: "answer 200; the same delivery again: do the work once"})
	rep := scenario.Report{
		Results: []scenario.Result{{Met: true}, {Met: true}, {Met: false}},
		Observations: []scenario.Observation{
			{Name: "booked", ID: "01KB2Y5X0Q3W7F8G9H0J1K2M3N", Want: 1, Got: 2},
			{Name: "guest-writes", ID: "01KB2Y5X0Q3W7F8G9H0J1K2M3P", Want: 1, Err: errors.New("count.sh failed (exit status 3): no table")},
		},
	}
	for _, o := range rep.Observations {
		ScenarioObservation(&out, st, o)
	}
	ScenarioSummary(&out, st, rep)
	return out.Bytes()
}

func TestScenarioTimeline(t *testing.T) {
	golden(t, "TestScenarioTimeline.golden", sampleScenario(newStyles(false)))
	golden(t, "TestScenarioTimeline.tty.golden", sampleScenario(newStyles(true)))
}
