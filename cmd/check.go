package cmd

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/observe"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

type checkOptions struct {
	IO       *render.IO
	Now      func() time.Time
	Entropy  io.Reader
	Fixtures fs.FS
	// Secret resolves the endpoint's secret (secretFlags.resolve).
	Secret func() signature.Secret
	// Target resolves the URL and how to post (targetFlags.build).
	Target func() (target, error)

	Format         string
	Budget         time.Duration
	Only           []string
	Skip           []string
	Diagnose       bool
	Observe        string
	PreviousSecret string
	FailFast       bool
	Concurrency    int
	// timeout is the client's --timeout, warned about when below Budget.
	timeout time.Duration

	// Cases are the cases --only and --skip selected, then one per
	// --fixture.
	Cases []check.Case
	// Set holds the built-in and user fixtures.
	Set *fixture.Set
}

func newCheckCmd(d *Deps, runF func(*checkOptions) error) *cobra.Command {
	opts := &checkOptions{IO: d.IO, Now: d.Now, Entropy: d.Entropy, Fixtures: d.Fixtures}
	var sf secretFlags
	var tf targetFlags
	var dir fixturesDir
	var userFixtures []string
	c := &cobra.Command{
		Use:   "check <url>",
		Short: "Run a conformance report card against your webhook endpoint",
		Long: `check posts to your endpoint what Hospitable sends, and what it never would,
and judges every answer the way Hospitable does:

  signed-<action>        every built-in action, validly signed → exactly 200
                         (a 201 or 204 fails: Hospitable retries anything else)
  tampered-body          body changed after signing → 4xx
  missing-signature      no Signature header → 4xx
  wrong-secret           signed with another secret → 4xx
  malformed-signature    short, non-hex, empty, two Signature headers → 4xx, never 5xx
  spoofed-source         forged, X-Forwarded-For in 38.80.170.0/24 → 4xx
  secret-in-url          forged, to the URL with its ?token= → 4xx
  duplicate-delivery     the same delivery again (a retry) → 200, work done once
  concurrent-duplicate   the same delivery twice at once → 200 both, work done once
  unknown-action         an action your endpoint cannot know yet → 200
  both-encodings         PHP-escaped and plain compact JSON of one event → 200 both
  odd-payloads           {} objects, 1.0 floats, nulls, missing keys, RTL, emoji → 200
  large-delivery         a property delivery of about 1.1 MB → 200 (an assumption:
                         a refusal fails only below 256 KiB, above it warns)
  answer-time            a valid delivery answered within --budget
  fixture-<name>         with --fixture NAME: that fixture (a user fixture, as
                         ` + "`fixtures import`" + ` writes), validly signed → exactly 200

When valid deliveries are refused (or with --diagnose), check probes the
endpoint with deliveries signed the usual wrong ways (decoded email as key,
secret with a newline, upper-case hex, another header, re-serialised JSON…)
and names the one it accepts, with the fix, before the list of cases.

Two 200s to one delivery do not show that the work ran once: --observe runs
a command after the duplicate and forged cases with HOSPITABLE_HOOK_ID,
_ACTION and _CASE set; it prints how many times your app processed that id.
More than 1 fails a duplicate case, more than 0 a forged one.

Hospitable does not document how long it waits for an answer: the --budget
default of 3s is a conservative assumption, not a documented limit.

Cases run 4 at a time (--concurrency), answer-time alone; the report keeps
this order and is complete even when the endpoint cannot be reached or the
run is interrupted.

Exit status: 0 every case passed, 1 a case failed or the endpoint cannot be
reached, 2 bad flags or URL.`,
		Example: `  $ hospitable-hook check http://127.0.0.1:8000/webhooks/hospitable
  $ hospitable-hook check https://staging.example.com/hooks --secret "$HOSPITABLE_WEBHOOK_SECRET" --diagnose
  $ hospitable-hook check http://127.0.0.1:8000/hook --observe 'sqlite3 app.db "select count(*) from hooks where id=\'$HOSPITABLE_HOOK_ID\'"'
  $ hospitable-hook check http://127.0.0.1:8000/hook --previous-secret "$OLD_SECRET"
  $ hospitable-hook check http://127.0.0.1:8000/hook --format junit > check.xml
  $ hospitable-hook check http://127.0.0.1:8000/hook --only 'signed-*,wrong-secret' --budget 1s`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return flagErrorf("check takes one URL, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if err := tf.takeURL(c, args); err != nil {
				return err
			}
			if err := opts.checkFlags(c.Flags().Changed("observe")); err != nil {
				return err
			}
			opts.timeout = tf.timeout
			opts.Set = dir.set(d)
			if err := opts.selectCases(trimAll(userFixtures)); err != nil {
				return err
			}
			opts.Secret = func() signature.Secret { return sf.resolveSigning(d) }
			opts.Target = func() (target, error) { return tf.build(d) }
			if runF != nil {
				return runF(opts)
			}
			return runCheck(c.Context(), opts)
		},
	}
	fl := c.Flags()
	stringEnumFlag(c, &opts.Format, "format", "text", render.CheckFormats(), "Report `format`: text, json (one object per case, then a summary), junit (XML for CI) or tap")
	fl.DurationVar(&opts.Budget, "budget", check.DefaultBudget, "Longest acceptable answer time (Hospitable documents none; 3s is a conservative assumption)")
	fl.StringSliceVar(&opts.Only, "only", nil, "Run only these cases (names or patterns like signed-*; comma list or repeat)")
	fl.StringSliceVar(&opts.Skip, "skip", nil, "Skip these cases (names or patterns; comma list or repeat)")
	fl.StringSliceVar(&userFixtures, "fixture", nil, "Also post this fixture (a user fixture or an action), validly signed, and expect 200; comma list or repeat")
	dir.add(c)
	fl.BoolVar(&opts.Diagnose, "diagnose", false, "Probe the signature check with the usual wrong signatures even when valid deliveries pass")
	fl.StringVar(&opts.Observe, "observe", "", "Shell `command` printing how many times your app processed $HOSPITABLE_HOOK_ID; more than 1 fails the duplicate cases")
	fl.StringVar(&opts.PreviousSecret, "previous-secret", "", "The secret before a rotation: find an endpoint still verifying with it")
	fl.BoolVar(&opts.FailFast, "fail-fast", false, "Stop starting cases after the first failure (the rest are reported as not run)")
	fl.IntVar(&opts.Concurrency, "concurrency", check.DefaultConcurrency, "How many cases run at once")
	tf.add(c)
	_ = fl.MarkHidden("to")
	addSecretFlags(c, &sf)
	_ = c.RegisterFlagCompletionFunc("only", completeCaseList)
	_ = c.RegisterFlagCompletionFunc("skip", completeCaseList)
	return c
}

// takeURL takes check's URL from its argument (or the hidden `--to`), but
// not from both.
func (tf *targetFlags) takeURL(c *cobra.Command, args []string) error {
	switch {
	case len(args) == 1 && c.Flags().Changed("to"):
		return flagErrorf("give the URL once: as the argument or with `--to`, not both")
	case len(args) == 1:
		tf.to = args[0]
	case tf.to == "":
		return flagErrorf("missing URL: run `hospitable-hook check http://127.0.0.1:8000/webhooks/hospitable` with your endpoint's URL")
	}
	return nil
}

// checkFlags checks the values of --budget, --concurrency and --observe
// (observeSet: given at all).
func (o *checkOptions) checkFlags(observeSet bool) error {
	if o.Budget <= 0 {
		return flagErrorf("bad `--budget` %s: give a positive duration, like 3s", o.Budget)
	}
	if o.Concurrency < 1 || o.Concurrency > 32 {
		return flagErrorf("bad `--concurrency` %d: give 1 to 32", o.Concurrency)
	}
	if observeSet && strings.TrimSpace(o.Observe) == "" {
		return flagErrorf("empty `--observe`: give a command that prints how many times your app processed $%s", observe.EnvID)
	}
	return nil
}

// selectCases sets Cases: those --only and --skip select, then one per
// --fixture name, which must be in Set.
func (o *checkOptions) selectCases(fixtures []string) error {
	cases, err := check.Select(trimAll(o.Only), trimAll(o.Skip))
	if err != nil {
		return flagErrorf("`--only`/`--skip`: %w", err)
	}
	for _, name := range fixtures {
		if _, err := o.Set.Entry(name); err != nil {
			return inputErr(fmt.Errorf("`--fixture`: %w", err))
		}
		cases = append(cases, check.FixtureCase(name))
	}
	if len(cases) == 0 {
		return flagErrorf("`--only`/`--skip` leave no case to run: valid cases are %s", strings.Join(check.Names(), ", "))
	}
	o.Cases = cases
	return nil
}

// completeCaseList completes a comma-separated list of case names.
func completeCaseList(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return completeList(check.Names(), toComplete)
}

func trimAll(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func runCheck(ctx context.Context, opts *checkOptions) error {
	t, err := opts.Target()
	if err != nil {
		return err
	}
	defer t.Client.Close()
	secret := opts.Secret()
	opts.warnTimeout()
	progress, stop := opts.IO.CheckProgress()
	rep := check.Run(ctx, opts.config(t, secret, progress), opts.Cases)
	stop()
	if err := opts.writeReport(opts.reportRun(t), rep); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	return opts.exitFor(rep)
}

// warnTimeout warns when --timeout would cut off an answer that --budget
// would only call slow.
func (o *checkOptions) warnTimeout() {
	if o.timeout > 0 && o.timeout < o.Budget {
		o.IO.Warnf("`--timeout` %s is below `--budget` %s: an answer slower than %s is cut off and reported as no answer, not as slow",
			deliver.FormatDuration(o.timeout), deliver.FormatDuration(o.Budget), deliver.FormatDuration(o.timeout))
	}
}

// config is the suite's Config for target t, signed with secret.
func (o *checkOptions) config(t target, secret signature.Secret, progress func(done, total int, name string)) check.Config {
	cfg := check.Config{
		URL: t.URL, Secret: secret.Value, PreviousSecret: o.PreviousSecret, Header: t.Header, Client: t.Client, Budget: o.Budget,
		Now: o.Now, Entropy: o.Entropy, Fixtures: o.Fixtures, Set: o.Set, Concurrency: o.Concurrency, FailFast: o.FailFast,
		Diagnose: o.Diagnose, Progress: progress,
	}
	if o.Observe != "" {
		cfg.Observe = observe.Command{Line: o.Observe}
	}
	return cfg
}

// reportRun describes the run for the report (the URL without its
// password).
func (o *checkOptions) reportRun(t target) render.CheckRun {
	run := render.CheckRun{URL: deliver.RedactURL(t.URL), Cases: len(o.Cases), Suite: len(check.Names()), Budget: o.Budget, TermWidth: o.IO.Width()}
	for _, c := range o.Cases {
		run.Width = max(run.Width, len(c.Name))
	}
	return run
}

// writeReport writes the report in --format.
func (o *checkOptions) writeReport(run render.CheckRun, rep check.Report) error {
	out, st := o.IO.Out, o.IO.Styles()
	switch o.Format {
	case "json":
		return render.CheckJSON(o.IO, run, rep)
	case "tap":
		render.CheckTAP(out, run, rep)
	case "junit":
		return render.CheckJUnit(out, run, rep)
	default:
		render.CheckHeader(out, st, run)
		render.CheckReport(out, st, run, rep)
	}
	return nil
}

// exitFor is the error (exit 1) for a report that did not pass: an
// unreachable endpoint or an interruption says so; failed cases are in
// the report already.
func (o *checkOptions) exitFor(rep check.Report) error {
	switch {
	case rep.Unreachable != nil:
		return &checkFailed{fmt.Errorf("%s; %s (no case was judged)", rep.Unreachable.Error(), rep.Unreachable.Hint())}
	case rep.Interrupted:
		done := 0
		for _, r := range rep.Results {
			if !r.Skipped {
				done++
			}
		}
		return &checkFailed{fmt.Errorf("interrupted after %d of %d cases; the report above has those", done, len(o.Cases))}
	case !rep.Passed():
		return errSilentFailure
	}
	return nil
}
