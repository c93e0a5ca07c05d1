package render

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
)

type timeoutErr struct{}

func (timeoutErr) Error() string { return "request timed out" }
func (timeoutErr) Timeout() bool { return true }

func sampleTimeline(t *testing.T, st *Styles) []byte {
	t.Helper()
	var out bytes.Buffer
	s := deliver.DefaultSchedule()
	SimulateHeader(&out, st, SimulatePlan{Action: "reservation.created", ID: "01KB2Y5X0Q3W7F8G9H0J1K2M3N", URL: "http://127.0.0.1:5000/webhooks/hospitable", Schedule: s, Speed: 3600})
	results := []deliver.Result{
		{Status: 500, Latency: 12 * time.Millisecond},
		{Status: 204, Latency: 3 * time.Millisecond},
		{Err: &deliver.TransportError{Kind: deliver.KindTimeout, Addr: "127.0.0.1:5000", Err: timeoutErr{}}, Latency: 10 * time.Second},
		{Status: 200, Latency: 4 * time.Millisecond},
	}
	offsets := s.Offsets()
	var attempts []deliver.Attempt
	for i, r := range results {
		a := deliver.Attempt{Number: i + 1, ScheduleTime: offsets[i], Result: r, NextDelay: s[i], Final: i == len(results)-1}
		attempts = append(attempts, a)
		TimelineAttemptAt(&out, st, a, time.Duration(i)*time.Second)
	}
	TimelineOutcomeAt(&out, st, deliver.Outcome{Delivered: true, Attempts: attempts, ScheduleTime: offsets[3]}, 3*time.Second)
	return out.Bytes()
}

func TestSimulateTimeline(t *testing.T) {
	golden(t, "TestSimulateTimeline.golden", sampleTimeline(t, newStyles(false)))
	golden(t, "TestSimulateTimeline.tty.golden", sampleTimeline(t, newStyles(true)))
}

func TestAttemptRecord(t *testing.T) {
	a := deliver.Attempt{Number: 2, ScheduleTime: time.Second, Result: deliver.Result{Err: errors.New("boom")}, NextDelay: 5 * time.Second}
	r := NewAttemptRecord(a, 1500*time.Millisecond)
	if r.ScheduleTime != "T+1s" || r.NextDelay != "5s" || r.Error != "boom" || r.RealMS != 1500 || r.Success {
		t.Errorf("NewAttemptRecord() = %+v", r)
	}
}
