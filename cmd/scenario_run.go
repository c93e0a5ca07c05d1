package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/scenario"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

type scenarioRunOptions struct {
	IO  *render.IO
	Now func() time.Time
	// Clock waits between retries: real, or virtual with --instant.
	Clock   clock.Clock
	Entropy io.Reader
	Getenv  func(string) string
	// Load reads the scenario (scenarioSource.load).
	Load func() (scenario.Scenario, error)
	// Fixtures holds the built-in and user fixtures.
	Fixtures *fixture.Set
	// Secret resolves the signing secret.
	Secret func() string
	// Target resolves where and how to post.
	Target func() (target, error)
	// Observe, when set, reads how many times the app processed an id.
	Observe scenario.Observer

	Chaos    scenario.ChaosOptions
	SeedSet  bool
	Start    string
	Speed    float64
	Instant  bool
	Encoding string
	Version  string
	AllowEnv bool
	JSON     bool
}

// countFlag is a chaos flag that takes an optional count: --duplicates
// alone means scenario.Auto, --duplicates=3 three.
type countFlag struct{ n *int }

func (f countFlag) String() string {
	if *f.n == scenario.Auto {
		return "auto"
	}
	return strconv.Itoa(*f.n)
}
func (f countFlag) Type() string { return "" }
func (f countFlag) Set(s string) error {
	if s == "auto" {
		*f.n = scenario.Auto
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("give a count, like =2, or no value for the default")
	}
	*f.n = n
	return nil
}

func newScenarioRunCmd(d *Deps, runF func(*scenarioRunOptions) error) *cobra.Command {
	opts := &scenarioRunOptions{IO: d.IO, Now: d.Now, Clock: d.Clock, Entropy: d.Entropy, Getenv: d.Getenv}
	var src scenarioSource
	var sf secretFlags
	var tf targetFlags
	var observe string
	c := &cobra.Command{
		Use:   "run <name|file>",
		Short: "Play a scenario against your endpoint",
		Long: `run builds every step of a scenario into a signed delivery (a fresh id each,
` + "`created`" + ` advancing in virtual time by the steps' waits, references to earlier
steps resolved), then posts them in order and judges every answer: only a 200
counts, as for Hospitable. Nothing is sent when a step cannot be built.

Chaos, on top of what a file's steps ask for:
  --duplicates[=N]  deliver N steps a second time, later (same id, same bytes);
                    default a third of the steps
  --reorder[=N]     swap N pairs of neighbouring steps (changed before created);
                    default a quarter of the steps
  --concurrent[=N]  post two copies of N steps at the same moment; default 1
  --retry           retry any non-200 on Hospitable's schedule (1s, 5s, 10s,
                    1h, 6h) on a clock compressed by --speed, or --instant
  --seed N          the choices above; the same seed gives the same timeline

Each line shows the step, action, id, chaos, status and verdict, then what
your app is expected to do with it. With --observe CMD, after the run the
shell command CMD is run once per step, with HOSPITABLE_HOOK_ID,
HOSPITABLE_HOOK_ACTION and HOSPITABLE_HOOK_CASE (the step) in its
environment, and must print how many times your app processed that id: 1 is
expected however many copies arrived, unless the step says otherwise. A
scenario file can never run a command.

Exit status: 0 every expectation met, 1 one missed, 2 bad input.`,
		Example: `  $ hospitable-hook scenario run booking-lifecycle --to http://127.0.0.1:8000/webhooks/hospitable
  $ hospitable-hook scenario run booking-lifecycle --duplicates --reorder --seed 7
  $ hospitable-hook scenario run property-lifecycle --concurrent=2 --retry --instant --json
  $ hospitable-hook scenario run my-story.yaml --observe 'grep -c "$HOSPITABLE_HOOK_ID" processed.log || true'`,
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return flagErrorf("name one scenario (see `hospitable-hook scenario list`) or give a file")
			}
			switch {
			case opts.Instant && c.Flags().Changed("speed"):
				return flagErrorf("`--instant` does not wait at all, so `--speed` cannot apply: drop one of them")
			case opts.Speed <= 0:
				return flagErrorf("bad `--speed` %v: give a positive factor, like 3600 (an hour takes a second)", opts.Speed)
			}
			if _, err := event.ParseEncoding(opts.Encoding); err != nil {
				return flagErrorf("bad `--encoding`: %w", err)
			}
			if opts.Start != "" && opts.Start != "now" {
				if _, err := time.Parse(time.RFC3339, opts.Start); err != nil {
					return flagErrorf("bad `--start` %q: give RFC 3339, like 2026-05-01T10:00:00Z, or now", opts.Start)
				}
			}
			if strings.TrimSpace(observe) != "" {
				opts.Observe = scenario.CommandObserver(observe)
			}
			opts.SeedSet = c.Flags().Changed("seed")
			opts.AllowEnv = src.allowEnv
			opts.Fixtures = src.fixtures.set(d)
			opts.Load = func() (scenario.Scenario, error) { return src.load(d, args[0]) }
			opts.Secret = func() string { return sf.resolve(d).Value }
			opts.Target = func() (target, error) { return tf.build(d) }
			if opts.Instant {
				opts.Clock = clock.NewVirtual(d.Now())
			}
			if runF != nil {
				return runF(opts)
			}
			return runScenario(c.Context(), opts)
		},
	}
	fl := c.Flags()
	for _, f := range []struct {
		name  string
		n     *int
		usage string
	}{
		{"duplicates", &opts.Chaos.Duplicates, "Deliver this many steps again later, same id and bytes (alone: a third of the steps)"},
		{"reorder", &opts.Chaos.Reorders, "Swap this many pairs of neighbouring steps (alone: a quarter of the steps)"},
		{"concurrent", &opts.Chaos.Concurrent, "Post two copies of this many steps at the same moment (alone: one)"},
	} {
		fl.Var(countFlag{f.n}, f.name, f.usage)
		fl.Lookup(f.name).NoOptDefVal = "auto"
	}
	fl.BoolVar(&opts.Chaos.Retry, "retry", false, "Retry every non-200 answer on Hospitable's schedule (1s, 5s, 10s, 1h, 6h), compressed")
	fl.Uint64Var(&opts.Chaos.Seed, "seed", 0, "Seed `N` of the chaos choices: the same seed gives the same timeline (default: random, printed)")
	fl.StringVar(&opts.Start, "start", "", "Virtual `time` of the first step, RFC 3339 or now (default: the file's start, else now)")
	fl.Float64Var(&opts.Speed, "speed", defaultSpeed, "With --retry, compress the schedule by this `factor` (3600: an hour takes a second)")
	fl.BoolVar(&opts.Instant, "instant", false, "With --retry, do not wait between attempts at all")
	fl.StringVar(&observe, "observe", "", "After the run, run this shell `command` per step: it prints how many times your app processed $HOSPITABLE_HOOK_ID")
	fl.StringVar(&opts.Encoding, "encoding", string(event.PHP), "Body `encoding`: php (like PHP's json_encode) or compact")
	fl.StringVar(&opts.Version, "version", event.DefaultVersion, "Envelope `version`")
	fl.BoolVar(&src.allowEnv, "allow-env", false, "Let the file read environment variables with ${env.NAME}")
	fl.BoolVar(&opts.JSON, "json", false, "Print one JSON object per delivery, per observation and for the summary")
	src.fixtures.add(c)
	tf.add(c)
	addSecretFlags(c, &sf)
	_ = c.RegisterFlagCompletionFunc("encoding", cobra.FixedCompletions(event.Encodings(), cobra.ShellCompDirectiveNoFileComp))
	return c
}

func runScenario(ctx context.Context, opts *scenarioRunOptions) error {
	sc, err := opts.Load()
	if err != nil {
		return err
	}
	t, err := opts.Target()
	if err != nil {
		return err
	}
	defer t.Client.Close()
	if !opts.SeedSet {
		if opts.Chaos.Seed, err = scenario.DrawSeed(opts.Entropy); err != nil {
			return err
		}
	}
	built, plan, err := scenario.Prepare(sc, opts.Chaos, opts.buildConfig(sc))
	if err != nil {
		return inputErr(err)
	}
	// Sign once every step is built, so that an input error is not
	// preceded by the development-secret notice.
	scenario.Sign(built, signature.NewKey(opts.Secret()))
	out := render.ScenarioRun{IO: opts.IO, JSON: opts.JSON, Plan: render.NewScenarioPlan(sc, t.URL, built, plan, opts.Chaos)}
	out.Header()
	rep, err := scenario.Run(ctx, built, plan, scenario.RunConfig{
		Post: t.post, StopUnreachable: true,
		Clock: opts.Clock, Schedule: deliver.DefaultSchedule(), Speed: opts.speed(),
		Observe: opts.Observe, OnResult: out.Result,
	})
	var unreachable *scenario.UnreachableError
	switch {
	case errors.As(err, new(*deliver.URLError)):
		return inputErr(err)
	case errors.As(err, &unreachable):
		return &checkFailed{fmt.Errorf("cannot reach %s: %s; start your endpoint, or check the host and port in the URL (nothing else was sent)", render.SafeURL(t.URL), unreachable.Err.Message())}
	}
	out.End(rep)
	switch {
	case err != nil:
		return &checkFailed{fmt.Errorf("interrupted after %d deliveries", len(rep.Results))}
	case !rep.OK():
		return errSilentFailure
	}
	return nil
}

// buildConfig is how the steps of sc become deliveries in this run.
func (opts *scenarioRunOptions) buildConfig(sc scenario.Scenario) scenario.BuildConfig {
	enc, _ := event.ParseEncoding(opts.Encoding)
	cfg := scenario.BuildConfig{Fixtures: opts.Fixtures, Start: scenario.StartAt(opts.Start, sc.Start, opts.Now()),
		Entropy: opts.Entropy, Encoding: enc, Version: opts.Version}
	if opts.AllowEnv {
		cfg.Getenv = opts.Getenv
	}
	return cfg
}

// speed compresses the retry waits; --instant needs none (its clock is
// virtual).
func (opts *scenarioRunOptions) speed() float64 {
	if opts.Instant {
		return 1
	}
	return opts.Speed
}
