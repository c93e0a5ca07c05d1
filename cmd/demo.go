package cmd

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/demo"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

type demoOptions struct {
	IO       *render.IO
	Now      func() time.Time
	Entropy  io.Reader
	Fixtures fs.FS
	Clock    clock.Clock

	JSON bool
}

func newDemoCmd(d *Deps, runF func(*demoOptions) error) *cobra.Command {
	opts := &demoOptions{IO: d.IO, Now: d.Now, Entropy: d.Entropy, Fixtures: d.Fixtures, Clock: d.Clock}
	c := &cobra.Command{
		Use:   "demo",
		Short: "See the whole tool at work in one run, against an in-process listener",
		Long: `demo runs the whole story in a few hundred milliseconds, with nothing to set up:
it starts the listener on a free loopback port, sends a signed delivery of every
action and shows each verified and digested, sends a forged delivery and shows
it refused, and rehearses Hospitable's retries against a listener scripted to
fail twice, on a virtual clock so the waits take no time.

It uses the built-in development secret and touches no network beyond
127.0.0.1. Every step is checked: exit 0 when all behaved as expected, 1
otherwise, saying what went wrong.`,
		Example: `  $ hospitable-hook demo
  $ hospitable-hook demo --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runDemo(c.Context(), opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "Print one JSON object per step, then the result")
	return c
}

// demoStep is a step's name (for --json and errors), heading and the
// sentence that says what it shows.
type demoStep struct{ name, title, shows string }

// demoSteps returns the demo's steps, in order.
func demoSteps() []demoStep {
	return []demoStep{
		{"listen", "A local endpoint that verifies signatures",
			"`hospitable-hook listen` is a webhook endpoint for your machine: it checks every Signature on the raw bytes and answers like a real endpoint. Here it runs in-process on a free port."},
		{"send", "Every action, signed and verified",
			"`hospitable-hook send --all` posts a realistic delivery of each action, encoded as PHP's json_encode does and signed; the listener verifies each one and sums up what came (personal data masked)."},
		{"forged", "A forged delivery, refused",
			"A delivery signed with the wrong secret must be refused: the listener answers 401 and counts it as forged. `hospitable-hook check URL` tests that your own endpoint does the same."},
		{"retry", "Hospitable's retries, rehearsed",
			"When an endpoint fails, Hospitable retries after 1s, 5s, 10s, 1h and 6h with the same bytes and id. The listener answers 500, 500, then 200 (`listen --respond 500,500,200`), and the schedule runs on a virtual clock, so it takes no time (`hospitable-hook simulate` does this against your endpoint)."},
	}
}

func runDemo(ctx context.Context, opts *demoOptions) error {
	began := opts.Now()
	out, st := opts.IO.Out, opts.IO.Styles()
	secret := signature.Resolve(signature.Source{})
	tour, err := demo.Start(demo.Config{Secret: secret.Value, Fixtures: opts.Fixtures, Now: opts.Now, Entropy: opts.Entropy, Clock: opts.Clock})
	if err != nil {
		return fmt.Errorf("start the demo listener: %w; check that 127.0.0.1 accepts connections", err)
	}
	defer tour.Close()
	steps := demoSteps()
	var failed []string
	step := func(i int, problems []string, expected string, detail any) {
		s := steps[i]
		if len(problems) > 0 {
			failed = append(failed, s.name)
		}
		if opts.JSON {
			if problems == nil {
				problems = []string{}
			}
			_ = opts.IO.JSON(render.DemoStepRecord{Type: "step", Step: i + 1, Name: s.name, Title: s.title, Shows: s.shows,
				OK: len(problems) == 0, Problems: problems, Detail: detail})
			return
		}
		render.DemoVerdict(out, st, expected, problems)
	}
	heading := func(i int) {
		if !opts.JSON {
			render.DemoStep(out, st, i+1, len(steps), steps[i].title, steps[i].shows)
		}
	}
	show := func(ev listener.Event) {
		if !opts.JSON {
			render.ListenEvent(out, st, ev, render.ListenOptions{})
		}
	}

	heading(0)
	url := tour.URL + demo.Path
	step(0, nil, fmt.Sprintf("listening on %s, verifying with %s", url, secret.Fingerprint()),
		map[string]string{"url": url, "secret": secret.Fingerprint()})

	heading(1)
	sent := tour.SendAll(ctx, func(x demo.Exchange) { show(x.Event) })
	n := len(fixture.Actions())
	step(1, sent.Problems, fmt.Sprintf("%d of %d answered 200 and verified", sent.Stats.Verified, n), demoDeliveries(sent.Exchanges))

	heading(2)
	forged := tour.Forged(ctx)
	show(forged.Event)
	step(2, forged.Problems, fmt.Sprintf("refused with %d and counted as forged (%d forged so far)", forged.Response.Status, forged.Stats.Forged),
		map[string]any{"status": forged.Response.Status, "reason": forged.Event.Reason, "forged": forged.Stats.Forged})

	heading(3)
	retry := tour.Retry(ctx, func(a deliver.Attempt, _ listener.Event) {
		if !opts.JSON {
			render.TimelineAttempt(out, st, a)
		}
	})
	if !opts.JSON {
		render.DemoRetrySeen(out, st, retry.Delivery.ID, retry.Events)
	}
	attempts := make([]render.TimelineRecord, len(retry.Outcome.Attempts))
	for i, a := range retry.Outcome.Attempts {
		attempts[i] = render.NewTimelineRecord(a)
	}
	step(3, retry.Problems, retry.Outcome.Summary()+"; one id, three attempts, the same bytes each time",
		map[string]any{"id": retry.Delivery.ID, "attempts": attempts, "summary": retry.Outcome.Summary()})

	elapsed := opts.Now().Sub(began)
	if opts.JSON {
		if failed == nil {
			failed = []string{}
		}
		_ = opts.IO.JSON(render.DemoResultRecord{Type: "result", OK: len(failed) == 0, Failed: failed, ElapsedMS: float64(elapsed.Microseconds()) / 1000})
	} else {
		render.DemoDone(out, st, len(steps), failed, elapsed)
		render.DemoNext(out, st, []string{
			"hospitable-hook listen                 # in one terminal: a verifying endpoint on :5000",
			"hospitable-hook send --all             # in another: every action, signed",
			"hospitable-hook check URL              # a report card for your endpoint",
			"hospitable-hook listen --save cap.jsonl, then hospitable-hook replay cap.jsonl --to URL",
		})
	}
	if len(failed) > 0 {
		return &checkFailed{fmt.Errorf("the demo went wrong in step %s (see above); please report it with the output", failed[0])}
	}
	return nil
}

// demoDeliveries is step 2's detail for --json.
func demoDeliveries(xs []demo.Exchange) []map[string]any {
	out := make([]map[string]any, len(xs))
	for i, x := range xs {
		out[i] = map[string]any{"action": x.Delivery.Action, "id": x.Delivery.ID, "status": x.Response.Status, "verified": x.Event.Verified}
	}
	return out
}
