package cmd

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/observe"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/scenario"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func newScenarioCmd(d *Deps) *cobra.Command {
	c := &cobra.Command{
		Use:   "scenario",
		Short: "Play linked stories of deliveries, with duplicates, reordering and retries",
		Long: `scenario plays stories of deliveries whose ids agree from step to step: a
booking created, a guest message, the dates changed, the booking cancelled
(as reservation.changed with status_changed, the way Hospitable sends it).
Chaos flags add what real traffic does: duplicates, pairs out of order,
two copies at the same moment, retries on Hospitable's schedule.

Built-in stories: booking-lifecycle, guest-journey, property-lifecycle,
disconnection. A YAML or JSON file of your own runs the same way.`,
		Example: `  $ hospitable-hook scenario list
  $ hospitable-hook scenario show booking-lifecycle
  $ hospitable-hook scenario run booking-lifecycle --to http://127.0.0.1:8000/webhooks/hospitable
  $ hospitable-hook scenario run booking-lifecycle --duplicates --reorder --seed 7
  $ hospitable-hook scenario run my-story.yaml --retry --observe './count-processed'`,
		Args: cobra.NoArgs,
	}
	c.AddCommand(newScenarioListCmd(d, nil), newScenarioShowCmd(d, nil), newScenarioRunCmd(d, nil))
	return c
}

// completeScenarios completes built-in scenario names, and files.
func completeScenarios(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return scenario.Names(scenario.Builtins()), cobra.ShellCompDirectiveDefault
}

type scenarioListOptions struct {
	IO   *render.IO
	JSON bool
}

func newScenarioListCmd(d *Deps, runF func(*scenarioListOptions) error) *cobra.Command {
	opts := &scenarioListOptions{IO: d.IO}
	c := &cobra.Command{
		Use:     "list",
		Short:   "List the built-in scenarios",
		Example: `  $ hospitable-hook scenario list`,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			list := scenario.Builtins()
			if !opts.JSON {
				render.ScenarioList(opts.IO.Out, opts.IO.Styles(), list)
				return nil
			}
			for _, sc := range list {
				if err := opts.IO.JSON(render.NewScenarioListRecord(sc)); err != nil {
					return err
				}
			}
			return nil
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "Print one JSON object per scenario")
	return c
}

// scenarioSource is what show and run share: which scenario, from where.
type scenarioSource struct {
	fixtures fixturesDir
	allowEnv bool
}

// load returns the built-in scenario called arg, or reads the file arg.
// Mistakes are input errors naming the file and line.
func (s *scenarioSource) load(d *Deps, arg string) (scenario.Scenario, error) {
	if sc, ok := scenario.Lookup(scenario.Builtins(), arg); ok {
		return sc, nil
	}
	data, err := d.ReadFile(context.Background(), arg, maxInput)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(arg, `/\.`) {
			return scenario.Scenario{}, flagErrorf("unknown scenario %q: built-in ones are %s (see `hospitable-hook scenario list`), or give the path of a YAML or JSON file",
				arg, strings.Join(scenario.Names(scenario.Builtins()), ", "))
		}
		return scenario.Scenario{}, inputErr(fmt.Errorf("read scenario %s: %w", arg, err))
	}
	set := s.fixtures.set(d)
	sc, err := scenario.Parse(arg, data, scenario.ParseOptions{
		AllowEnv: s.allowEnv,
		Fixture: func(name string) error {
			_, err := set.Entry(name)
			return err
		},
	})
	if err != nil {
		return scenario.Scenario{}, inputErr(err)
	}
	return sc, nil
}

type scenarioShowOptions struct {
	IO *render.IO
	// Load reads the scenario (scenarioSource.load).
	Load func() (scenario.Scenario, error)
}

func newScenarioShowCmd(d *Deps, runF func(*scenarioShowOptions) error) *cobra.Command {
	opts := &scenarioShowOptions{IO: d.IO}
	var src scenarioSource
	c := &cobra.Command{
		Use:               "show <name|file>",
		Short:             "Print a scenario's steps",
		Example:           `  $ hospitable-hook scenario show booking-lifecycle`,
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return flagErrorf("name one scenario (see `hospitable-hook scenario list`) or give a file")
			}
			opts.Load = func() (scenario.Scenario, error) { return src.load(d, args[0]) }
			if runF != nil {
				return runF(opts)
			}
			sc, err := opts.Load()
			if err != nil {
				return err
			}
			render.ScenarioShow(opts.IO.Out, opts.IO.Styles(), sc)
			return nil
		},
	}
	src.fixtures.add(c)
	c.Flags().BoolVar(&src.allowEnv, "allow-env", false, "Let the file read environment variables with ${env.NAME}")
	return c
}

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
				opts.Observe = execObserver(observe)
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
		var b [8]byte
		if _, err := io.ReadFull(opts.Entropy, b[:]); err != nil {
			return fmt.Errorf("draw a seed: %w", err)
		}
		opts.Chaos.Seed = binary.BigEndian.Uint64(b[:]) % 1_000_000
	}
	plan, err := scenario.Plan(sc.Steps, opts.Chaos)
	if err != nil {
		return inputErr(err)
	}
	start := sc.Start
	switch {
	case opts.Start == "now" || (opts.Start == "" && start.IsZero()):
		start = opts.Now()
	case opts.Start != "":
		start, _ = time.Parse(time.RFC3339, opts.Start)
	}
	enc, _ := event.ParseEncoding(opts.Encoding)
	cfg := scenario.BuildConfig{Fixtures: opts.Fixtures, Start: start, Entropy: opts.Entropy,
		Encoding: enc, Version: opts.Version}
	if opts.AllowEnv {
		cfg.Getenv = opts.Getenv
	}
	built, err := scenario.Build(sc, cfg)
	if err != nil {
		return inputErr(err)
	}
	// Sign once every step is built, so that an input error is not
	// preceded by the development-secret notice.
	key := signature.NewKey(opts.Secret())
	for i := range built {
		built[i].Delivery = built[i].Delivery.Signed(key)
	}
	p := scenarioPlan(sc, t.URL, built, plan, opts.Chaos)
	out, st := opts.IO.Out, opts.IO.Styles()
	if !opts.JSON {
		render.ScenarioHeader(out, st, p)
	}
	// A run whose very first attempt finds nothing listening stops there:
	// every other step would only say the same. Later refusals are part of
	// the story (an endpoint restarting while Hospitable retries).
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var (
		mu          sync.Mutex // concurrent copies post at once
		badURL      error
		unreachable *deliver.TransportError
		answered    bool
	)
	rep, err := scenario.Run(ctx, built, plan, scenario.RunConfig{
		Post: func(ctx context.Context, d event.Delivery) (deliver.Response, error) {
			resp, err := t.post(ctx, d)
			mu.Lock()
			defer mu.Unlock()
			var te *deliver.TransportError
			switch {
			case errors.As(err, new(*deliver.URLError)):
				badURL = err
				stop()
			case !answered && errors.As(err, &te) && te.Kind == deliver.KindRefused:
				unreachable = te
				stop()
			default:
				answered = true
			}
			return resp, err
		},
		Clock: opts.Clock, Schedule: deliver.DefaultSchedule(), Speed: scenarioSpeed(opts),
		Observe: opts.Observe,
		OnResult: func(r scenario.Result) {
			if opts.JSON {
				_ = opts.IO.JSON(render.NewScenarioDeliveryRecord(r))
				return
			}
			render.ScenarioResult(out, st, p, r)
		},
	})
	if badURL != nil {
		return inputErr(badURL)
	}
	if unreachable != nil {
		return &checkFailed{fmt.Errorf("cannot reach %s: %s; start your endpoint, or check the host and port in the URL (nothing else was sent)", render.SafeURL(t.URL), unreachable.Message())}
	}
	for _, o := range rep.Observations {
		if opts.JSON {
			_ = opts.IO.JSON(render.NewScenarioObservationRecord(o))
			continue
		}
		render.ScenarioObservation(out, st, o)
	}
	if opts.JSON {
		_ = opts.IO.JSON(render.NewScenarioSummaryRecord(sc.Name, opts.Chaos.Seed, rep))
	} else {
		render.ScenarioSummary(out, st, rep)
	}
	switch {
	case err != nil:
		return &checkFailed{fmt.Errorf("interrupted after %d deliveries", len(rep.Results))}
	case !rep.OK():
		return errSilentFailure
	}
	return nil
}

func scenarioSpeed(opts *scenarioRunOptions) float64 {
	if opts.Instant {
		return 1
	}
	return opts.Speed
}

// scenarioPlan sums up a run for its header and sizes the columns.
func scenarioPlan(sc scenario.Scenario, url string, built []scenario.Built, plan []scenario.Send, o scenario.ChaosOptions) render.ScenarioPlan {
	p := render.ScenarioPlan{Name: sc.Name, Source: sc.Source, URL: url, Steps: len(built), Seed: o.Seed,
		Span: scenario.Span(built), NameW: len("STEP"), ActionW: len("ACTION"), ChaosW: len("CHAOS")}
	for _, s := range plan {
		p.Sends += s.Copies
		p.ChaosW = max(p.ChaosW, len(strings.Join(s.Labels(), ", ")))
	}
	for _, b := range built {
		p.NameW = max(p.NameW, len(b.Step.Name))
		p.ActionW = max(p.ActionW, len(b.Delivery.Action))
	}
	var chaos []string
	add := func(name string, n int) {
		switch {
		case n == scenario.Auto:
			chaos = append(chaos, name)
		case n > 0:
			chaos = append(chaos, fmt.Sprintf("%s %d", name, n))
		}
	}
	add("duplicates", o.Duplicates)
	add("reorder", o.Reorders)
	add("concurrent", o.Concurrent)
	if o.Retry {
		chaos = append(chaos, "retry")
	}
	p.Chaos = strings.Join(chaos, ", ")
	return p
}

// execObserver asks the app through pkg/observe, as check and simulate do:
// line runs with `sh -c`, the delivery's id, action and step (as the case)
// in its environment, and prints the count on its last line.
func execObserver(line string) scenario.Observer {
	cmd := observe.Command{Line: line}
	return func(ctx context.Context, id, action, step string) (int, error) {
		return cmd.Count(ctx, observe.Delivery{ID: id, Action: action, Case: step})
	}
}
