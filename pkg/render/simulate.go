package render

import (
	"fmt"
	"io"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
)

// SimulatePlan is what a retry rehearsal is about to do.
type SimulatePlan struct {
	Action   string
	ID       string
	URL      string
	Schedule deliver.Schedule
	// Speed compresses the schedule; 1 is real time.
	Speed float64
	// Instant means no waiting at all (a virtual clock).
	Instant bool
}

// SimulateHeader prints the plan: what is sent where, on which schedule,
// how fast.
func SimulateHeader(w io.Writer, st *Styles, p SimulatePlan) {
	what := p.Action
	if what == "" {
		what = "the body"
	}
	fmt.Fprintf(w, "%s %s %s → %s\n", st.Bold.Render("simulating Hospitable's retries of"), st.ID.Render(what), st.Dim.Render(p.ID), p.URL)
	pace := "instant (a virtual clock: no waiting)"
	if !p.Instant {
		pace = fmt.Sprintf("speed %g× (1h of schedule takes %s)", p.Speed, FormatLatency(time.Duration(float64(time.Hour)/p.Speed)))
	}
	offsets := p.Schedule.Offsets()
	attempts := fmt.Sprintf("up to %d attempts, the last at T+%s", p.Schedule.MaxAttempts(), deliver.FormatDuration(offsets[len(offsets)-1]))
	if p.Schedule.MaxAttempts() == 1 {
		attempts = "a single attempt, no retries"
	}
	fmt.Fprintf(w, "%s\n", st.Dim.Render(fmt.Sprintf("schedule %s: %s · %s · same bytes and signature every time", p.Schedule, attempts, pace)))
}

// AttemptLine prints one attempt of a retry run: number, schedule time,
// real time since the start, latency, and what Hospitable makes of it.
func AttemptLine(w io.Writer, st *Styles, a deliver.Attempt, real time.Duration) {
	mark := st.Mark(a.Result.Success())
	verdict := a.Verdict()
	switch {
	case a.Result.Success():
		verdict = st.OK.Render(verdict)
	case a.Result.Err == nil && a.Result.Status > 200 && a.Result.Status < 300:
		mark, verdict = st.Bang(), st.Warn.Render(verdict)
	default:
		verdict = st.Fail.Render(verdict)
	}
	fmt.Fprintf(w, "%s #%d %s %s %s %s\n", mark, a.Number,
		st.Bold.Render(fmt.Sprintf("%-12s", "T+"+deliver.FormatDuration(a.ScheduleTime))),
		st.Dim.Render(fmt.Sprintf("real %-7s", FormatLatency(real))),
		st.Dim.Render(fmt.Sprintf("%6s", FormatLatency(a.Result.Latency))),
		verdict)
}

// SimulateOutcome prints the end of a retry run.
func SimulateOutcome(w io.Writer, st *Styles, o deliver.Outcome, real time.Duration) {
	line := fmt.Sprintf("%s (real %s)", o.Summary(), FormatLatency(real))
	if o.Delivered {
		fmt.Fprintf(w, "%s %s\n", st.Check(), st.OK.Render(line))
		return
	}
	fmt.Fprintf(w, "%s %s\n", st.Cross(), st.Fail.Render(line))
}

// AttemptRecord is one attempt as `--json` prints it.
type AttemptRecord struct {
	Type            string  `json:"type"`
	Attempt         int     `json:"attempt"`
	ScheduleTime    string  `json:"schedule_time"`
	ScheduleSeconds float64 `json:"schedule_seconds"`
	RealMS          int64   `json:"real_ms"`
	Status          int     `json:"status,omitempty"`
	LatencyMS       float64 `json:"latency_ms"`
	Error           string  `json:"error,omitempty"`
	Success         bool    `json:"success"`
	Verdict         string  `json:"verdict"`
	NextDelay       string  `json:"next_delay,omitempty"`
	Final           bool    `json:"final"`
}

// NewAttemptRecord returns the JSON form of an attempt.
func NewAttemptRecord(a deliver.Attempt, real time.Duration) AttemptRecord {
	r := AttemptRecord{
		Type:            "attempt",
		Attempt:         a.Number,
		ScheduleTime:    "T+" + deliver.FormatDuration(a.ScheduleTime),
		ScheduleSeconds: a.ScheduleTime.Seconds(),
		RealMS:          real.Milliseconds(),
		Status:          a.Result.Status,
		LatencyMS:       float64(a.Result.Latency.Microseconds()) / 1000,
		Success:         a.Result.Success(),
		Verdict:         a.Verdict(),
		Final:           a.Final,
	}
	if a.Result.Err != nil {
		r.Error = errorMessage(a.Result.Err)
	}
	if !a.Final {
		r.NextDelay = deliver.FormatDuration(a.NextDelay)
	}
	return r
}

// OutcomeRecord is the end of a run as `--json` prints it.
type OutcomeRecord struct {
	Type            string  `json:"type"`
	Delivered       bool    `json:"delivered"`
	Interrupted     bool    `json:"interrupted"`
	Attempts        int     `json:"attempts"`
	ScheduleTime    string  `json:"schedule_time"`
	ScheduleSeconds float64 `json:"schedule_seconds"`
	RealMS          int64   `json:"real_ms"`
	Summary         string  `json:"summary"`
}

// NewOutcomeRecord returns the JSON form of an outcome.
func NewOutcomeRecord(o deliver.Outcome, real time.Duration) OutcomeRecord {
	return OutcomeRecord{
		Type:            "outcome",
		Delivered:       o.Delivered,
		Interrupted:     o.Interrupted,
		Attempts:        len(o.Attempts),
		ScheduleTime:    "T+" + deliver.FormatDuration(o.ScheduleTime),
		ScheduleSeconds: o.ScheduleTime.Seconds(),
		RealMS:          real.Milliseconds(),
		Summary:         o.Summary(),
	}
}
