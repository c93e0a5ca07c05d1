package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
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

	Format string
	Budget time.Duration
	Only   []string
	Skip   []string

	// Cases are the cases --only and --skip selected.
	Cases []check.Case
}

func newCheckCmd(d *Deps, runF func(*checkOptions) error) *cobra.Command {
	opts := &checkOptions{IO: d.IO, Now: d.Now, Entropy: d.Entropy, Fixtures: d.Fixtures}
	var sf secretFlags
	var tf targetFlags
	c := &cobra.Command{
		Use:   "check <url>",
		Short: "Run a conformance report card against your webhook endpoint",
		Long: `check posts to your endpoint what Hospitable sends, and what it never would,
and judges every answer the way Hospitable does:

  signed-<action>      every built-in action, validly signed → exactly 200
                       (a 201 or 204 fails: Hospitable retries anything else)
  tampered-body        body changed after signing → 4xx
  missing-signature    no Signature header → 4xx
  wrong-secret         signed with another secret → 4xx
  duplicate-delivery   the same delivery twice → 200 both times
  unknown-action       an action your endpoint cannot know yet → 200
  both-encodings       PHP-escaped and plain compact JSON of one event → 200 both
                       (catches endpoints that re-serialise JSON before verifying)
  large-delivery       a realistic property delivery of about 1 MB → 200
  answer-time          a valid delivery answered within --budget

Hospitable does not document how long it waits for an answer: the --budget
default of 3s is a conservative assumption, not a documented limit.

Sign with your endpoint's secret (--secret, --email or the environment; the
development secret otherwise). Each case is a line with ✓ or ✗, what was sent
and what came back; a failure says why it matters and how to fix it.

Exit status: 0 every case passed, 1 a case failed or the endpoint cannot be
reached, 2 bad flags or URL.`,
		Example: `  $ hospitable-hook check http://127.0.0.1:8000/webhooks/hospitable
  $ hospitable-hook check https://staging.example.com/hooks --secret "$HOSPITABLE_WEBHOOK_SECRET"
  $ hospitable-hook check http://127.0.0.1:8000/hook --format junit > check.xml
  $ hospitable-hook check http://127.0.0.1:8000/hook --only 'signed-*,wrong-secret' --budget 1s`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return flagErrorf("check takes one URL, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			switch {
			case len(args) == 1 && c.Flags().Changed("to"):
				return flagErrorf("give the URL once: as the argument or with `--to`, not both")
			case len(args) == 1:
				tf.to = args[0]
			case tf.to == "":
				return flagErrorf("missing URL: run `hospitable-hook check http://127.0.0.1:8000/webhooks/hospitable` with your endpoint's URL")
			}
			if !slices.Contains(render.CheckFormats(), opts.Format) {
				return flagErrorf("bad `--format` %q: use %s", opts.Format, strings.Join(render.CheckFormats(), ", "))
			}
			if opts.Budget <= 0 {
				return flagErrorf("bad `--budget` %s: give a positive duration, like 3s", opts.Budget)
			}
			cases, err := check.Select(trimAll(opts.Only), trimAll(opts.Skip))
			if err != nil {
				return flagErrorf("`--only`/`--skip`: %w", err)
			}
			if len(cases) == 0 {
				return flagErrorf("`--only`/`--skip` leave no case to run: valid cases are %s", strings.Join(check.Names(), ", "))
			}
			opts.Cases = cases
			opts.Secret = func() signature.Secret { return sf.resolveSigning(d) }
			opts.Target = func() (target, error) { return tf.build(d) }
			if runF != nil {
				return runF(opts)
			}
			return runCheck(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.StringVar(&opts.Format, "format", "text", "Report `format`: text, json (one object per case, then a summary), junit (XML for CI) or tap")
	fl.DurationVar(&opts.Budget, "budget", check.DefaultBudget, "Longest acceptable answer time (Hospitable documents none; 3s is a conservative assumption)")
	fl.StringSliceVar(&opts.Only, "only", nil, "Run only these cases (names or patterns like signed-*; comma list or repeat)")
	fl.StringSliceVar(&opts.Skip, "skip", nil, "Skip these cases (names or patterns; comma list or repeat)")
	tf.add(c)
	_ = fl.MarkHidden("to")
	addSecretFlags(c, &sf)
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(render.CheckFormats(), cobra.ShellCompDirectiveNoFileComp))
	_ = c.RegisterFlagCompletionFunc("only", completeCaseList)
	_ = c.RegisterFlagCompletionFunc("skip", completeCaseList)
	return c
}

// completeCaseList completes a comma-separated list of case names.
func completeCaseList(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	done, _ := cutLast(toComplete, ",")
	var out []string
	for _, n := range check.Names() {
		out = append(out, done+n)
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
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
	run := render.CheckRun{URL: t.URL, Cases: len(opts.Cases), Budget: opts.Budget}
	for _, c := range opts.Cases {
		run.Width = max(run.Width, len(c.Name))
	}
	out, st := opts.IO.Out, opts.IO.Styles()
	switch opts.Format {
	case "text":
		render.CheckHeader(out, st, run)
	case "tap":
		render.CheckTAPHeader(out, run)
	}
	n := 0
	each := func(r check.Result) {
		n++
		switch opts.Format {
		case "text":
			render.CheckLine(out, st, run, r)
		case "json":
			_ = opts.IO.JSON(render.NewCheckRecord(r))
		case "tap":
			render.CheckTAPLine(out, n, r)
		}
	}
	cfg := check.Config{
		URL: t.URL, Secret: secret.Value, Header: t.Header, Client: t.Client, Budget: opts.Budget,
		Now: opts.Now, Entropy: opts.Entropy, Fixtures: opts.Fixtures,
	}
	results, err := check.Run(ctx, cfg, opts.Cases, each)
	var unreachable *check.UnreachableError
	switch {
	case errors.As(err, &unreachable):
		msg := unreachableMessage(unreachable)
		if opts.Format == "tap" {
			render.CheckTAPBail(out, msg)
		}
		return &checkFailed{errors.New(msg)}
	case err != nil:
		return &checkFailed{fmt.Errorf("interrupted after %d of %d cases", len(results), len(opts.Cases))}
	}
	switch opts.Format {
	case "text":
		render.CheckSummary(out, st, results)
	case "json":
		_ = opts.IO.JSON(render.NewCheckSummaryRecord(run, results))
	case "junit":
		if err := render.CheckJUnit(out, run, results); err != nil {
			return err
		}
	}
	if !check.Passed(results) {
		return errSilentFailure
	}
	return nil
}

// unreachableMessage says which endpoint could not be reached, why, and
// what to do; a refused connection means nothing runs there yet.
func unreachableMessage(e *check.UnreachableError) string {
	hint := e.Err.Hint()
	if e.Err.Kind == deliver.KindRefused {
		hint = "start your endpoint, or check the host and port in the URL"
	}
	return fmt.Sprintf("%s; %s (no case was judged)", e.Error(), hint)
}
