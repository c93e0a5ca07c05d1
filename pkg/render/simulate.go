package render

import (
	"fmt"
	"io"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
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
	what := Safe(p.Action)
	if what == "" {
		what = "the body"
	}
	fmt.Fprintf(w, "%s %s %s → %s\n", st.Bold.Render("simulating Hospitable's retries of"), st.ID.Render(what), st.Dim.Render(Safe(p.ID)), SafeURL(p.URL))
	pace := "instant (a virtual clock: no waiting)"
	if !p.Instant {
		pace = fmt.Sprintf("speed %g× (1h of schedule takes %s)", p.Speed, verdict.Latency(time.Duration(float64(time.Hour)/p.Speed)))
	}
	offsets := p.Schedule.Offsets()
	attempts := fmt.Sprintf("up to %d attempts, the last at T+%s", p.Schedule.MaxAttempts(), deliver.FormatDuration(offsets[len(offsets)-1]))
	if p.Schedule.MaxAttempts() == 1 {
		attempts = "a single attempt, no retries"
	}
	fmt.Fprintf(w, "%s\n", st.Dim.Render(fmt.Sprintf("schedule %s: %s · %s · same bytes and signature every time", p.Schedule, attempts, pace)))
}

// AttemptRecord is one attempt of `simulate --json`: the timeline record
// with its type and the real time since the run began.
type AttemptRecord struct {
	Type string `json:"type"`
	TimelineRecord
	RealMS int64 `json:"real_ms"`
}

// NewAttemptRecord returns the `simulate --json` form of an attempt.
func NewAttemptRecord(a deliver.Attempt, real time.Duration) AttemptRecord {
	return AttemptRecord{Type: "attempt", TimelineRecord: NewTimelineRecord(a), RealMS: real.Milliseconds()}
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
