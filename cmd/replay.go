package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
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
	resign := ""
	if opts.Resign {
		resign = opts.Secret().Value
	}
	filter := replay.Filter{IDs: opts.IDs, Actions: opts.Actions, Forged: opts.All}
	out := sendOutput{IO: opts.IO, Now: opts.Now, JSON: opts.JSON, Verbose: opts.Verbose, verb: "replayed"}
	var results []render.SendResult
	shown := 0
	// Bad lines are reported once the file is known to be a capture: a
	// JSON body given by mistake would be all bad lines. Only the first
	// maxBadLines are kept; the rest are counted.
	var bad []*capture.LineError
	moreBad := 0
	plan, err := replay.Each(f, filter, resign, func(le *capture.LineError) {
		if len(bad) < maxBadLines {
			bad = append(bad, le)
		} else {
			moreBad++
		}
	}, func(it replay.Item) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if opts.DryRun {
			shown++
			return showReplayItem(ctx, opts, t, it, shown > 1)
		}
		r, err := out.deliverOne(ctx, t, it.Delivery, it.Extra(t.Header), &it)
		if err != nil {
			return err
		}
		// The summary needs the answer, not the body.
		r.Delivery.Body = nil
		results = append(results, r)
		return nil
	})
	if errors.Is(err, context.Canceled) {
		out.summary(results)
		return &checkFailed{fmt.Errorf("interrupted: %d deliveries %s", len(results), out.verb)}
	}
	var in *inputError
	if errors.As(err, &in) {
		return err
	}
	if err != nil {
		return readError(opts.File, err)
	}
	if plan.Captures == 0 && plan.Records+len(bad) > 0 {
		return inputErr(fmt.Errorf("%s: this is not a capture file (one written by `hospitable-hook listen --save FILE`); to send a body use `hospitable-hook send --body %s`", opts.File, opts.File))
	}
	for _, le := range bad {
		opts.IO.Warnf("%s %s: skipped", opts.File, le)
	}
	if moreBad > 0 {
		opts.IO.Warnf("%s: %d more unreadable lines skipped", opts.File, moreBad)
	}
	for _, line := range plan.Truncated {
		opts.IO.Warnf("%s line %d: skipped: the capture kept only the start of this forged delivery's body (body_truncated)", opts.File, line)
	}
	if plan.SkippedForged > 0 {
		noun, them := "deliveries", "them"
		if plan.SkippedForged == 1 {
			noun, them = "delivery", "it"
		}
		opts.IO.Notef("skipped %d %s forged when captured (not verified); pass --all to replay %s too and check that your endpoint refuses %s",
			plan.SkippedForged, noun, them, them)
	}
	switch {
	case plan.Records == 0:
		return inputErr(fmt.Errorf("%s holds no readable capture record: give a file written by `hospitable-hook listen --save FILE`", opts.File))
	case plan.Deliveries == 0:
		return inputErr(fmt.Errorf("%s holds %d records but no delivery to replay (only GETs, or POSTs refused before their body was read)", opts.File, plan.Records))
	case plan.Selected == 0 && plan.SkippedForged > 0 && len(plan.Truncated) == 0:
		return &checkFailed{fmt.Errorf("nothing to replay: the %d matching deliveries in %s were all forged when captured; pass --all to replay them", plan.SkippedForged, opts.File)}
	case plan.Selected == 0 && plan.SkippedForged+len(plan.Truncated) > 0:
		return &checkFailed{fmt.Errorf("nothing to replay: the matching deliveries in %s were forged when captured, and their bodies kept only in part", opts.File)}
	case plan.Selected == 0:
		return &checkFailed{fmt.Errorf("no delivery in %s matches %s: it holds %d deliveries of %s", opts.File, filter.Describe(), plan.Deliveries, orNone(plan.Actions))}
	}
	if opts.DryRun {
		if !opts.JSON {
			opts.IO.Notef("dry run: %d deliver%s to %s, nothing sent", shown, map[bool]string{true: "y", false: "ies"}[shown == 1], render.SafeURL(t.URL))
		}
		return nil
	}
	return out.finish(results)
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

// maxBadLines is how many unreadable lines replay names one by one.
const maxBadLines = 100

func orNone(list []string) string {
	if len(list) == 0 {
		return "no named action"
	}
	return strings.Join(list, ", ")
}
