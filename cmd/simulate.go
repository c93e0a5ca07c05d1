package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/observe"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// defaultSpeed compresses Hospitable's schedule so that an hour takes a
// second: the whole 7-hour policy plays in about 7 seconds.
const defaultSpeed = 3600

type simulateOptions struct {
	IO *render.IO
	// Now tells real time, for the "real elapsed" column.
	Now func() time.Time
	// Clock waits between attempts: the real one, or a virtual one with
	// --instant (and in tests).
	Clock clock.Clock
	// Delivery builds the one signed delivery every attempt re-sends.
	Delivery func() (event.Delivery, error)
	// Target resolves where and how to post.
	Target func() (target, error)

	Schedule deliver.Schedule
	Speed    float64
	Instant  bool
	JSON     bool
	// Observe is a command printing how many times the app processed the
	// delivery (observe.Command); "" for none.
	Observe string
}

func newSimulateCmd(d *Deps, runF func(*simulateOptions) error) *cobra.Command {
	opts := &simulateOptions{IO: d.IO, Now: d.Now, Clock: d.Clock}
	var pf payloadFlags
	var tf targetFlags
	var schedule string
	c := &cobra.Command{
		Use:   "simulate <action>",
		Short: "Rehearse Hospitable's retry policy against an endpoint, on a compressed clock",
		Long: `simulate sends one signed delivery and, while the endpoint fails, re-sends the
byte-identical body with the same signature on Hospitable's schedule: after
1s, 5s, 10s, 1h and 6h (6 attempts in all), each delay measured from the end
of the failed attempt. Only a 200 stops it: a 201 or 204, a timeout (--timeout
per attempt) or a transport error counts as a failure, as for Hospitable.

The schedule is compressed by --speed (3600: an hour takes a second, so the
whole policy plays in about 7 seconds), or not waited at all with --instant.
Every payload and target flag of send applies.

Exit status: 0 delivered, 1 the schedule was exhausted, 2 bad input.`,
		Example: `  $ hospitable-hook listen --respond 500,500,200     # in another terminal
  $ hospitable-hook simulate reservation.created
  $ hospitable-hook simulate message.created --speed 10 --schedule 1s,5s,10s
  $ hospitable-hook simulate review.created --instant --json`,
		ValidArgsFunction: completeFixtures(d),
		RunE: func(c *cobra.Command, args []string) error {
			if err := opts.checkArgs(c, &pf, args, schedule); err != nil {
				return err
			}
			if opts.Instant {
				opts.Clock = clock.NewVirtual(d.Now())
			}
			opts.Delivery = func() (event.Delivery, error) {
				ds, err := pf.build(c.Context(), d, args)
				if err != nil {
					return event.Delivery{}, err
				}
				return ds[0], nil
			}
			// Hospitable's attempts are seconds to hours apart: each one
			// opens a connection of its own, and so does every rehearsed
			// attempt, whatever the endpoint's keep-alive timeout.
			tf.fresh = true
			opts.Target = func() (target, error) { return tf.build(d) }
			if runF != nil {
				return runF(opts)
			}
			return runSimulate(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.Float64Var(&opts.Speed, "speed", defaultSpeed, "Compress the schedule by this `factor` (3600: an hour takes a second; 1: real time)")
	fl.BoolVar(&opts.Instant, "instant", false, "Do not wait between attempts at all (a virtual clock)")
	fl.StringVar(&schedule, "schedule", deliver.DefaultSchedule().String(), "Delays between attempts, comma-separated Go durations (`none` for a single attempt)")
	fl.StringVar(&opts.Observe, "observe", "", "Shell `command` printing how many times your app processed $HOSPITABLE_HOOK_ID; more than 1 after the retries fails")
	fl.BoolVar(&opts.JSON, "json", false, "Print one JSON object per attempt and one for the outcome")
	pf.add(c)
	tf.add(c)
	return c
}

// checkArgs checks the action and the flags, and parses --schedule.
func (o *simulateOptions) checkArgs(c *cobra.Command, pf *payloadFlags, args []string, schedule string) error {
	switch {
	case pf.raw() && len(args) > 0:
		return flagErrorf("`--body` posts one file as it is: drop the action, or drop `--body`")
	case !pf.raw() && len(args) == 0 && (pf.action == "" || pf.dataFile == ""):
		return flagErrorf("missing action: name one (see `hospitable-hook fixtures list`), or give `--body FILE`")
	case len(args) > 1:
		return flagErrorf("simulate rehearses one delivery: name one action, not %d", len(args))
	case o.Instant && c.Flags().Changed("speed"):
		return flagErrorf("`--instant` does not wait at all, so `--speed` cannot apply: drop one of them")
	case o.Speed <= 0:
		return flagErrorf("bad `--speed` %v: give a positive factor, like 3600 (an hour takes a second) or 1 (real time)", o.Speed)
	}
	s, err := deliver.ParseSchedule(schedule)
	if err != nil {
		return flagErrorf("bad `--schedule`: %w", err)
	}
	o.Schedule = s
	return pf.check(c)
}

func runSimulate(ctx context.Context, opts *simulateOptions) error {
	t, err := opts.Target()
	if err != nil {
		return err
	}
	defer t.Client.Close()
	d, err := opts.Delivery()
	if err != nil {
		return err
	}
	run := &simulateRun{opts: opts, st: opts.IO.Styles()}
	defer run.stopWait()
	if !opts.JSON {
		render.SimulateHeader(opts.IO.Out, run.st, render.SimulatePlan{
			Action: d.Action, ID: d.ID, URL: t.URL, Schedule: opts.Schedule,
			Speed: opts.speed(), Instant: opts.Instant,
		})
	}
	outcome, err := run.play(ctx, t, d)
	if isInput(err) {
		return err
	}
	if perr := run.printOutcome(outcome); perr != nil {
		return perr
	}
	if err == nil && opts.Observe != "" && !observeSimulated(ctx, opts, d, outcome) {
		return errSilentFailure
	}
	switch {
	case err != nil:
		return &checkFailed{fmt.Errorf("interrupted: %s", outcome.Summary())}
	case !outcome.Delivered:
		return errSilentFailure
	}
	return nil
}

// speed is the compression of the schedule the retrier applies.
func (o *simulateOptions) speed() float64 {
	if o.Instant {
		return 1 // the virtual clock does not wait anyway
	}
	return o.Speed
}

// simulateRun is what a run's attempts and waits share: the real time of
// the attempt at hand, and the countdown drawn during a wait.
type simulateRun struct {
	opts   *simulateOptions
	st     *render.Styles
	start  time.Time
	realAt time.Duration
	wait   *render.Progress
}

// play runs the retry policy: the delivery re-sent on the schedule until a
// 200. A bad URL is an input error; any other error, an interruption.
func (s *simulateRun) play(ctx context.Context, t target, d event.Delivery) (deliver.Outcome, error) {
	s.start = s.opts.Now()
	var badURL error
	outcome, err := s.retrier(s.opts.speed()).Run(ctx, func(ctx context.Context, n int) deliver.Result {
		s.stopWait()
		s.realAt = s.opts.Now().Sub(s.start)
		resp, err := t.post(ctx, d)
		if isURLError(err) {
			badURL = err
		}
		return deliver.ResultOf(resp, err)
	})
	s.stopWait()
	if badURL != nil {
		return outcome, inputErr(badURL)
	}
	return outcome, err
}

// printOutcome prints how the run ended (a timeline line or a JSON
// record) with the real time it took.
func (s *simulateRun) printOutcome(outcome deliver.Outcome) error {
	elapsed := s.opts.Now().Sub(s.start)
	if s.opts.JSON {
		return s.opts.IO.JSON(render.NewOutcomeRecord(outcome, elapsed))
	}
	render.TimelineOutcomeAt(s.opts.IO.Out, s.st, outcome, elapsed)
	return nil
}

func (s *simulateRun) stopWait() {
	if s.wait != nil {
		s.wait.Finish()
		s.wait = nil
	}
}

// retrier is the Retrier that prints each attempt (a timeline line or a
// JSON record) and draws a countdown during each wait.
func (s *simulateRun) retrier(speed float64) *deliver.Retrier {
	opts := s.opts
	return &deliver.Retrier{
		Clock:    opts.Clock,
		Schedule: opts.Schedule,
		Speed:    speed,
		OnAttempt: func(a deliver.Attempt) {
			if opts.JSON {
				_ = opts.IO.JSON(render.NewAttemptRecord(a, s.realAt))
				return
			}
			render.TimelineAttemptAt(opts.IO.Out, s.st, a, s.realAt)
		},
		OnWait: func(next int, delay, realWait time.Duration) {
			if !opts.Instant {
				s.wait = opts.IO.Countdown(fmt.Sprintf("attempt %d in %s (%s real)", next, deliver.FormatDuration(delay), verdict.Latency(realWait)), realWait, opts.Now)
			}
		},
	}
}

// observeSimulated runs --observe after the retries and prints how many
// times the app processed the delivery; false means more than once.
func observeSimulated(ctx context.Context, opts *simulateOptions, d event.Delivery, outcome deliver.Outcome) bool {
	n, oerr := observe.Command{Line: opts.Observe}.Count(ctx, observe.Delivery{ID: d.ID, Action: d.Action, Case: "simulate"})
	rec := render.NewObservedRecord(d.ID, n, len(outcome.Attempts), oerr)
	if opts.JSON {
		_ = opts.IO.JSON(rec)
	} else {
		render.Observed(opts.IO.Out, opts.IO.Styles(), rec)
	}
	return rec.Pass || rec.Error != ""
}
