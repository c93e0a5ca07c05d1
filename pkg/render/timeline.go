package render

import (
	"fmt"
	"io"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// TimelineAttempt prints one attempt of a retry run as a line: a mark, the
// attempt number, its time on Hospitable's schedule, the status (or "no
// answer"), the latency and what Hospitable makes of it:
//
//	✗ #2  T+1s    500  3ms     500 Internal Server Error, not 200: Hospitable retries in 5s
func TimelineAttempt(w io.Writer, st *Styles, a deliver.Attempt) {
	timelineAttempt(w, st, a, "")
}

// TimelineAttemptAt prints an attempt like TimelineAttempt, with the real
// time since the run began, for runs on a compressed clock where schedule
// time and real time differ.
func TimelineAttemptAt(w io.Writer, st *Styles, a deliver.Attempt, real time.Duration) {
	timelineAttempt(w, st, a, st.Dim.Render(fmt.Sprintf("real %-7s", verdict.Latency(real)))+" ")
}

func timelineAttempt(w io.Writer, st *Styles, a deliver.Attempt, real string) {
	r := a.Result
	mark, line := st.Mark(r.Success()), Safe(a.Verdict())
	switch r.Verdict().Code {
	case verdict.OK:
		line = st.OK.Render(line)
	case verdict.Not200:
		mark, line = st.Bang(), st.Warn.Render(line)
	default:
		line = st.Fail.Render(line)
	}
	status := "no answer"
	if r.Status != 0 {
		status = st.Status(r.Status).Render(fmt.Sprintf("%-9d", r.Status))
	}
	fmt.Fprintf(w, "%s #%-2d %s %s%s %s %s\n", mark, a.Number,
		st.Bold.Render(fmt.Sprintf("%-11s", "T+"+deliver.FormatDuration(a.ScheduleTime))),
		real, status, st.Dim.Render(fmt.Sprintf("%-7s", verdict.Latency(r.Latency))), line)
	if note := a.Note(); note != "" {
		fmt.Fprintf(w, "    %s %s\n", st.Bang(), st.Warn.Render(note))
	}
}

// TimelineOutcomeAt prints how a retry run ended, with the real time it took.
func TimelineOutcomeAt(w io.Writer, st *Styles, o deliver.Outcome, real time.Duration) {
	timelineOutcome(w, st, o, fmt.Sprintf("%s (real %s)", o.Summary(), verdict.Latency(real)))
}

func timelineOutcome(w io.Writer, st *Styles, o deliver.Outcome, line string) {
	if o.Delivered {
		fmt.Fprintf(w, "%s %s\n", st.Tick(), st.OK.Render(line))
		return
	}
	fmt.Fprintf(w, "%s %s\n", st.Cross(), st.Fail.Render(line))
}

// TimelineRecord is one attempt as `--json` prints it.
type TimelineRecord struct {
	Attempt         int     `json:"attempt"`
	ScheduleTime    string  `json:"schedule_time"`
	ScheduleSeconds float64 `json:"schedule_seconds"`
	Status          int     `json:"status"`
	LatencyMS       float64 `json:"latency_ms"`
	Error           string  `json:"error,omitempty"`
	Success         bool    `json:"success"`
	Verdict         string  `json:"verdict"`
	Note            string  `json:"note,omitempty"`
	NextDelay       string  `json:"next_delay,omitempty"`
	Final           bool    `json:"final"`
}

// NewTimelineRecord returns the `--json` form of an attempt.
func NewTimelineRecord(a deliver.Attempt) TimelineRecord {
	r := TimelineRecord{
		Attempt:         a.Number,
		ScheduleTime:    "T+" + deliver.FormatDuration(a.ScheduleTime),
		ScheduleSeconds: a.ScheduleTime.Seconds(),
		Status:          a.Result.Status,
		LatencyMS:       float64(a.Result.Latency.Microseconds()) / 1000,
		Success:         a.Result.Success(),
		Verdict:         a.Verdict(),
		Note:            a.Note(),
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
