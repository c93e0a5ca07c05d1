// Package deliver sends webhook deliveries the way Hospitable does, and rehearses its retry
// policy: a delivery succeeds only on a 200; anything else is retried on a Schedule.
package deliver

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// Result is what one attempt got: a status, or an error when no status came back.
type Result struct {
	// Status is the HTTP status the endpoint answered, 0 when none came back.
	Status int
	// Latency is how long the attempt took.
	Latency time.Duration
	// Err is the transport error or timeout that stopped the attempt, if any.
	Err error
	// Detail is for the caller to carry whatever else it wants shown with the attempt (headers,
	// a response body); Retrier never looks at it.
	Detail any
}

// Success reports whether Hospitable would count the result as delivered: exactly 200 and no
// error. A 201 or a 204 is a failure, and is retried.
func (r Result) Success() bool {
	return r.Err == nil && verdict.Delivered(r.Status)
}

// Verdict judges the result as Hospitable would (see verdict.Judge): an
// error means no answer came.
func (r Result) Verdict() verdict.Verdict {
	if r.Err != nil {
		return verdict.Judge(verdict.Answer{Err: r.Err})
	}
	return verdict.Judge(verdict.Answer{Status: r.Status})
}

// Attempt is one attempt in a run, as Retrier reports it to OnAttempt and in Outcome.
type Attempt struct {
	// Number counts attempts from 1.
	Number int
	// ScheduleTime is when the attempt starts on Hospitable's schedule, T+ from the first one:
	// the sum of the delays before it, leaving out how long attempts take.
	ScheduleTime time.Duration
	// Elapsed is the clock time from the start of the run to the start of this attempt: the
	// waits, shortened by the speed-up, plus the time the earlier attempts took.
	Elapsed time.Duration
	// Result is what the attempt got.
	Result Result
	// NextDelay is the scheduled delay before the next attempt, 0 when none follows. Use Final,
	// not NextDelay, to tell whether one follows: a schedule may hold a 0s delay.
	NextDelay time.Duration
	// Final is set on the last attempt of a run: it succeeded, the schedule is exhausted, or the
	// run was interrupted.
	Final bool
	// Interrupted is set when the run's context ended while this attempt was under way, so its
	// result may be the interruption rather than the endpoint's answer, and no retry follows.
	Interrupted bool
}

// Verdict says in a line what the attempt's result means to Hospitable and what it does next:
// "200 OK: delivered", "500 Internal Server Error, not 200: Hospitable retries in 5s",
// "204 No Content, not 200: Hospitable retries in 10s", "timed out: Hospitable retries in 1h",
// and on a last failure "...: schedule exhausted". The first part is the verdict's Label, as
// every command words it.
func (a Attempt) Verdict() string {
	v := a.Result.Verdict()
	if a.Result.Success() {
		return v.Label + ": delivered"
	}
	switch {
	case a.Interrupted:
		return v.Label + ": run interrupted"
	case a.Final:
		return v.Label + ": schedule exhausted"
	}
	return v.Label + ": Hospitable retries in " + FormatDuration(a.NextDelay)
}

// Note says what a developer should know about an attempt beyond its
// verdict, or "" when there is nothing to add. After a timeout the sender
// gave up waiting, not the app working: the app may have done the work
// (booked, emailed, charged) all the same, and the retry carries the same
// id, so it runs again unless the app skips ids it has processed.
func (a Attempt) Note() string {
	if a.Interrupted || !a.Result.timedOut() {
		return ""
	}
	const done = "the app may have done the work although the sender gave up waiting"
	if a.Final {
		return done + "; Hospitable counts the delivery as failed all the same"
	}
	return done + ": the retry will run it again, unless the app skips a delivery id it has processed (or answers 200 first and works after)"
}

// timedOut reports whether the attempt ended on a timeout.
func (r Result) timedOut() bool { return verdict.TimedOut(r.Err) }

// Outcome is how a run ended.
type Outcome struct {
	// Delivered is set when an attempt got a 200.
	Delivered bool
	// Interrupted is set when the run's context ended before the run did.
	Interrupted bool
	// Attempts holds every attempt made, in order.
	Attempts []Attempt
	// ScheduleTime is the schedule time (T+) of the last attempt made.
	ScheduleTime time.Duration
	// Elapsed is the clock time the whole run took.
	Elapsed time.Duration
}

// Summary says in a line how the run ended: "delivered on attempt 3 at T+6s", or "gave up after
// 6 attempts at T+7h0m16s: Hospitable would not deliver this event again", or where an
// interrupted run stopped.
func (o Outcome) Summary() string {
	n := len(o.Attempts)
	if n == 0 {
		if o.Interrupted {
			return "interrupted before the first attempt"
		}
		return "no attempt made"
	}
	last := o.Attempts[n-1]
	at := "T+" + FormatDuration(o.ScheduleTime)
	switch {
	case o.Delivered:
		return fmt.Sprintf("delivered on attempt %d at %s", n, at)
	case o.Interrupted && last.Interrupted:
		return fmt.Sprintf("interrupted during attempt %d at %s", n, at)
	case o.Interrupted && !last.Final:
		return fmt.Sprintf("interrupted after attempt %d at %s, before the retry due at T+%s",
			n, at, FormatDuration(o.ScheduleTime+last.NextDelay))
	case o.Interrupted:
		return fmt.Sprintf("interrupted after attempt %d at %s", n, at)
	}
	attempts := "attempts"
	if n == 1 {
		attempts = "attempt"
	}
	return fmt.Sprintf("gave up after %d %s at %s: Hospitable would not deliver this event again", n, attempts, at)
}

// Retrier runs one delivery the way Hospitable retries it: attempt, and after each failure wait
// the next delay of the Schedule, measured from the end of the failed attempt, until an attempt
// gets a 200 or the schedule runs out.
//
// Speed is where the rehearsal's time compression lives, and the only place: every wait is
// delay/Speed on Clock, while ScheduleTime stays in Hospitable's own time. Keeping the clock
// honest (real or virtual, never scaled) means Elapsed and attempt latencies are real durations,
// a 200ms answer is not reported as twelve minutes, and OnWait can show both the scheduled delay
// and the real wait. A scaled clock as well would compress twice.
type Retrier struct {
	// Clock waits between attempts and times the run; nil means clock.Real(). A *clock.Virtual
	// makes every wait instant.
	Clock clock.Clock
	// Schedule holds the delays between attempts; empty or nil means a single attempt.
	// Build it with ParseSchedule or DefaultSchedule: Run trusts it.
	Schedule Schedule
	// Speed divides every delay: 3600 makes an hour of schedule pass in a second of Clock time.
	// 0, a negative value or 1 mean no compression.
	Speed float64
	// OnAttempt, if set, is called after every attempt, before any wait.
	OnAttempt func(Attempt)
	// OnWait, if set, is called before each wait with the number of the attempt to come, the
	// scheduled delay, and how long the wait will take on Clock (delay/Speed).
	OnWait func(next int, delay, realWait time.Duration)
}

// Run makes attempts by calling attempt with ctx and the attempt number (from 1), waiting
// between them as the Retrier says, and reports how the run ended. A failed delivery is not an
// error: the error is ctx.Err() when ctx ends first, returned with the Outcome so far.
func (r *Retrier) Run(ctx context.Context, attempt func(ctx context.Context, n int) Result) (Outcome, error) {
	clk := r.Clock
	if clk == nil {
		clk = clock.Real()
	}
	began := clk.Now()
	var out Outcome
	stop := func(err error) (Outcome, error) {
		out.Interrupted = err != nil
		out.Elapsed = clk.Now().Sub(began)
		return out, err
	}

	var at time.Duration // schedule time of the coming attempt
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return stop(err)
		}
		a := Attempt{Number: n, ScheduleTime: at, Elapsed: clk.Now().Sub(began)}
		a.Result = attempt(ctx, n)
		switch {
		case a.Result.Success():
			a.Final = true
			out.Delivered = true
		case ctx.Err() != nil:
			a.Final, a.Interrupted = true, true
		case n > len(r.Schedule):
			a.Final = true
		default:
			a.NextDelay = r.Schedule[n-1]
		}
		out.Attempts = append(out.Attempts, a)
		out.ScheduleTime = at
		if r.OnAttempt != nil {
			r.OnAttempt(a)
		}
		if a.Final {
			if a.Interrupted {
				return stop(ctx.Err())
			}
			return stop(nil)
		}

		wait := r.realWait(a.NextDelay)
		if r.OnWait != nil {
			r.OnWait(n+1, a.NextDelay, wait)
		}
		if err := clk.Sleep(ctx, wait); err != nil {
			return stop(err)
		}
		at += a.NextDelay
	}
}

// realWait is how long a scheduled delay takes on the Clock at the Retrier's speed.
func (r *Retrier) realWait(delay time.Duration) time.Duration {
	speed := r.Speed
	// !(speed > 0) also catches NaN.
	if !(speed > 0) || speed == 1 || delay <= 0 {
		return max(delay, 0)
	}
	w := math.Round(float64(delay) / speed)
	if w >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(w)
}
