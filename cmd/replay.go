package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/replay"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

type replayOptions struct {
	IO   *render.IO
	Now  func() time.Time
	Open func(context.Context, string) (io.ReadCloser, error)
	// Secret resolves the secret --resign signs with.
	Secret func() signature.Secret
	// Target resolves where and how to post (targetFlags.build).
	Target func() (target, error)

	File    string
	IDs     []string
	Actions []string
	Resign  bool
	All     bool
	DryRun  bool
	Verbose bool
	JSON    bool
}

func newReplayCmd(d *Deps, runF func(*replayOptions) error) *cobra.Command {
	opts := &replayOptions{IO: d.IO, Now: d.Now, Open: d.Open}
	var sf secretFlags
	var tf targetFlags
	c := &cobra.Command{
		Use:   "replay <capture-file>",
		Short: "Re-send captured deliveries byte for byte",
		Long: `replay re-sends the deliveries of a capture file written by ` + "`listen --save`" + `: each
with its exact body and its original headers, the original Signature included,
so your endpoint sees what arrived the first time. --resign signs the same
bytes again with the current secret instead (--secret, --email or the
environment), to move a capture to an endpoint with another secret.

Only POST records that carry a body are deliveries: status-page GETs and
requests refused before their body was read are skipped. By default only
deliveries that were verified when captured are replayed, and the forged
ones skipped are counted on stderr; --all replays them too, with their
captured signature, and for those a refusal (4xx) is the right answer and
a 200 the failure (with --resign they are signed afresh and need a 200 like
any other). A forged body the capture kept only the start of
(body_truncated) is never replayed. Records are replayed
in file order, retries included; --id and --action select (comma lists or
repeated flags; both together must both match). Connection headers (Host,
Content-Length, Connection, Transfer-Encoding, Accept-Encoding and the other
hop-by-hop ones) are set afresh for the new connection.

A torn or corrupt line is reported with its line number on stderr and
skipped; the others are still replayed.

--json prints, per delivery, the fields of ` + "`send --json`" + ` plus the record's
line in the capture file, its verdict when captured (captured_verified,
captured_reason, captured_status) and the answer expected ("200" or
"refusal").

Exit status: 0 every delivery got the right answer (200; a refusal for a
forged one); 1 one did not, or none matched --id or --action; 2 bad flags,
an unreadable file, a file that is not a capture, or no delivery in it.`,
		Example: `  $ hospitable-hook replay capture.jsonl --to http://127.0.0.1:8000/webhooks/hospitable
  $ hospitable-hook replay capture.jsonl --action reservation.created --dry-run
  $ hospitable-hook replay capture.jsonl --id 01KB6DGNF0E0G2JW0F2RHT0C6B --resign --secret "$NEW_SECRET"`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return flagErrorf("replay takes one capture file (from `hospitable-hook listen --save FILE`), got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.File = args[0]
			if !opts.Resign && (c.Flags().Changed("secret") || c.Flags().Changed("email")) {
				return flagErrorf("`--secret` and `--email` only apply with `--resign`: without it the captured Signature is sent as it is")
			}
			opts.IDs, opts.Actions = trimAll(opts.IDs), trimAll(opts.Actions)
			opts.Secret = func() signature.Secret { return sf.resolve(d) }
			opts.Target = func() (target, error) { return tf.build(d) }
			if runF != nil {
				return runF(opts)
			}
			return runReplay(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.StringSliceVar(&opts.IDs, "id", nil, "Replay only deliveries with this envelope `id` (comma list or repeat)")
	fl.StringSliceVar(&opts.Actions, "action", nil, "Replay only deliveries of this `action` (comma list or repeat)")
	fl.BoolVar(&opts.All, "all", false, "Replay deliveries that were forged when captured too; for those a refusal is the right answer")
	fl.BoolVar(&opts.Resign, "resign", false, "Sign each body again with the current secret instead of sending the captured Signature")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "List what would be sent (with -v, the full requests) and send nothing")
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "Show request and response headers and the whole response body")
	fl.BoolVar(&opts.JSON, "json", false, "Print one JSON object per delivery, and nothing else, on stdout")
	tf.add(c)
	addSecretFlags(c, &sf)
	_ = c.RegisterFlagCompletionFunc("action", completeActionList)
	c.ValidArgsFunction = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"jsonl"}, cobra.ShellCompDirectiveFilterFileExt
	}
	return c
}

func runReplay(ctx context.Context, opts *replayOptions) error {
	// The capture is streamed, a record at a time: each delivery is sent
	// (or shown) as it is read, so a capture of any size costs the memory
	// of one record.
	f, err := opts.Open(ctx, opts.File)
	if err != nil {
		return readError(opts.File, err)
	}
	defer f.Close()
	t, err := opts.Target()
	if err != nil {
		return err
	}
	defer t.Client.Close()
	run := &replayRun{opts: opts, t: t, out: sendOutput{IO: opts.IO, Now: opts.Now, JSON: opts.JSON, Verbose: opts.Verbose, verb: "replayed"}}
	plan, err := replay.Each(f, opts.filter(), opts.resign(), run.bad.Add, func(it replay.Item) error { return run.item(ctx, it) })
	if err != nil {
		return run.stopped(err)
	}
	if err := run.report(plan); err != nil {
		return err
	}
	if opts.DryRun {
		if !opts.JSON {
			opts.IO.Notef("dry run: %d deliver%s to %s, nothing sent", run.shown, map[bool]string{true: "y", false: "ies"}[run.shown == 1], render.SafeURL(t.URL))
		}
		return nil
	}
	return run.out.finish(run.results)
}

func (opts *replayOptions) filter() replay.Filter {
	return replay.Filter{IDs: opts.IDs, Actions: opts.Actions, Forged: opts.All}
}

// resign is the secret --resign signs with, or "" to send the captured
// Signature.
func (opts *replayOptions) resign() string {
	if !opts.Resign {
		return ""
	}
	return opts.Secret().Value
}

// replayRun is what the deliveries of one replay share.
type replayRun struct {
	opts    *replayOptions
	t       target
	out     sendOutput
	results []render.SendResult
	shown   int
	bad     replay.BadLines
}

// item sends (or with --dry-run shows) one delivery.
func (r *replayRun) item(ctx context.Context, it replay.Item) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if r.opts.DryRun {
		r.shown++
		return showReplayItem(ctx, r.opts, r.t, it, r.shown > 1)
	}
	res, err := r.out.deliverOne(ctx, r.t, it.Delivery, it.Extra(r.t.Header), &it)
	if err != nil {
		return err
	}
	// The summary needs the answer, not the body.
	res.Delivery.Body = nil
	r.results = append(r.results, res)
	return nil
}

// stopped says why the replay stopped before the end of the file.
func (r *replayRun) stopped(err error) error {
	var in *inputError
	switch {
	case errors.Is(err, context.Canceled):
		r.out.summary(r.results)
		return &checkFailed{fmt.Errorf("interrupted: %d deliveries %s", len(r.results), r.out.verb)}
	case errors.As(err, &in):
		return err
	}
	return readError(r.opts.File, err)
}

// report warns about what was skipped, and fails when the file held
// nothing to replay.
func (r *replayRun) report(plan replay.Plan) error {
	file := r.opts.File
	if !plan.IsCapture(r.bad) {
		return inputErr(fmt.Errorf("%s: this is not a capture file (one written by `hospitable-hook listen --save FILE`); to send a body use `hospitable-hook send --body %s`", file, file))
	}
	for _, le := range r.bad.Lines {
		r.opts.IO.Warnf("%s %s: skipped", file, le)
	}
	if r.bad.More > 0 {
		r.opts.IO.Warnf("%s: %d more unreadable lines skipped", file, r.bad.More)
	}
	for _, line := range plan.Truncated {
		r.opts.IO.Warnf("%s line %d: skipped: the capture kept only the start of this forged delivery's body (body_truncated)", file, line)
	}
	if note := plan.SkippedForgedNote(); note != "" {
		r.opts.IO.Notef("%s", note)
	}
	if err := plan.Empty(file); err != nil {
		return inputErr(err)
	}
	if err := plan.Unmatched(file, r.opts.filter()); err != nil {
		return &checkFailed{err}
	}
	return nil
}

// showReplayItem shows one delivery a replay would send, or with -v the
// full request, and sends nothing.
func showReplayItem(ctx context.Context, opts *replayOptions, t target, it replay.Item, notFirst bool) error {
	st := opts.IO.Styles()
	req, err := deliver.NewRequest(ctx, t.URL, it.Delivery, it.Extra(t.Header))
	if err != nil {
		return inputErr(err)
	}
	header := deliver.SentHeader(req)
	switch {
	case opts.JSON:
		return opts.IO.JSON(render.NewReplayPlanRecord(it, t.URL, header))
	case opts.Verbose:
		if notFirst {
			fmt.Fprintln(opts.IO.Out)
		}
		render.ReplayPlanLine(opts.IO.Out, st, it)
		render.DryRun(opts.IO.Out, st, http.MethodPost, t.URL, header, it.Delivery.Body)
	default:
		render.ReplayPlanLine(opts.IO.Out, st, it)
	}
	return nil
}
