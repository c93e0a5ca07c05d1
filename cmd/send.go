package cmd

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/export"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
)

type sendOptions struct {
	IO  *render.IO
	Now func() time.Time
	// Deliveries builds the signed deliveries (payloadFlags.build).
	Deliveries func() ([]event.Delivery, error)
	// Target resolves where and how to post (targetFlags.build).
	Target func() (target, error)
	// Builder makes deliveries one by one for load mode
	// (payloadFlags.builder).
	Builder func() (func() (event.Delivery, error), error)
	// Clock paces load mode (--rate).
	Clock clock.Clock

	Actions   []string
	All       bool
	BodyFile  string
	DryRun    bool
	PrintCurl bool
	Verbose   bool
	JSON      bool

	// Load mode: --count deliveries, --concurrency at a time, at --rate.
	Load        bool
	Count       int
	Concurrency int
	Rate        string
	rate        deliver.Rate

	// Export writes the deliveries for another load tool instead of
	// sending them: --export FORMAT, into the folder given as the last
	// argument.
	Export    string
	ExportDir string
	Shards    int
}

func newSendCmd(d *Deps, runF func(*sendOptions) error) *cobra.Command {
	opts := &sendOptions{IO: d.IO, Now: d.Now, Clock: d.Clock}
	var pf payloadFlags
	var tf targetFlags
	c := &cobra.Command{
		Use:   "send <action>... | --all",
		Short: "Sign and POST a realistic delivery of an action to your endpoint",
		Long: `send wraps the built-in fixture of each action in Hospitable's envelope
({"id","action","data","created","version"}, with a fresh ULID id and created
= now for every delivery), encodes it as PHP's json_encode does (or compact
with --encoding compact), signs the exact bytes and POSTs them with
Content-Type: application/json and a Signature header.

The target is --to, else $` + envURL + `, else ` + defaultURL + `.
Only a 200 counts as delivered, as for Hospitable: any other status, a
redirect (never followed) or no answer at all makes send exit 1, after every
delivery has been tried. Bad flags, files, URLs or actions exit 2.

Load mode: --count N sends N deliveries over --concurrency keep-alive
connections (default 10), as fast as they are answered or paced by --rate
(like 100/s or 600/m), cycling through the actions given (or every action,
with --all); each delivery has its own id, created and signature. A
progress bar shows on a terminal, then a summary like hey's: total time,
deliveries per second, latency p50/p90/p99/max, a status histogram and
transport errors by kind (--json: the summary as one object). Exit 0 when
every delivery got a 200, else 1.

Export: --export vegeta DIR writes the deliveries (--count of them, else
one per action) for vegeta instead of sending them: one body file each,
with its own id and Signature, and DIR/targets.txt in vegeta's target
format (--shards K: targets-1.txt … targets-K.txt, one per machine of a
distributed attack, no id in two files). Run vegeta from inside DIR.

Change a delivery with --set/--unset (dot paths into the envelope, applied in
order), --data, --id, --created, --action and --version; or post a file's
exact bytes with --body. --dry-run and --print-curl show the request and send
nothing.`,
		Example: `  $ hospitable-hook send reservation.created
  $ hospitable-hook send --all --to http://127.0.0.1:8000/webhooks/hospitable
  $ hospitable-hook send reservation.created --set data.guests.total=4 --set data.guest.first_name=Ana --set data.status=null
  $ hospitable-hook send review.created --action review.changed --unset data.private
  $ hospitable-hook send --body captured.json --secret "$HOSPITABLE_WEBHOOK_SECRET"
  $ hospitable-hook send message.created --encoding compact --dry-run
  $ hospitable-hook send reservation.created --count 20000 --concurrency 50
  $ hospitable-hook send --all --count 600 --rate 10/s --json
  $ hospitable-hook send --all --count 100000 --export vegeta ./load`,
		ValidArgsFunction: completeFixtures(d),
		RunE: func(c *cobra.Command, args []string) error {
			if err := opts.checkArgs(c, &pf, args); err != nil {
				return err
			}
			tf.connections = opts.Concurrency
			if opts.All {
				opts.Actions = fixture.Actions()
			}
			opts.BodyFile = pf.bodyFile
			opts.Deliveries = func() ([]event.Delivery, error) { return pf.build(c.Context(), d, opts.Actions) }
			opts.Target = func() (target, error) { return tf.build(d) }
			opts.Builder = func() (func() (event.Delivery, error), error) { return pf.builder(c.Context(), d, opts.Actions) }
			if runF != nil {
				return runF(opts)
			}
			return runSend(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&opts.All, "all", false, "Send every built-in action, one delivery each")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "Print the full request (method, URL, headers, body) and send nothing")
	fl.BoolVar(&opts.PrintCurl, "print-curl", false, "Print an equivalent curl command and send nothing")
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "Show request and response headers and the whole response body")
	fl.BoolVar(&opts.JSON, "json", false, "Print one JSON object per delivery (with --count, the summary), and nothing else, on stdout")
	fl.IntVarP(&opts.Count, "count", "n", 0, "Load mode: send this many deliveries, cycling through the actions")
	fl.IntVarP(&opts.Concurrency, "concurrency", "c", 10, "Load mode: deliveries in flight at once, one keep-alive connection each")
	fl.StringVar(&opts.Export, "export", "", "Write the signed deliveries for a load `tool` (vegeta) into the folder given as the last argument, instead of sending")
	fl.IntVar(&opts.Shards, "shards", 1, "With --export: split the targets into this many files, one per machine")
	_ = c.RegisterFlagCompletionFunc("export", cobra.FixedCompletions(export.Formats(), cobra.ShellCompDirectiveNoFileComp))
	fl.StringVar(&opts.Rate, "rate", "", "Load mode: pace the deliveries, like `100/s`, 600/m or 10/100ms (default: as fast as answered)")
	pf.add(c)
	tf.add(c)
	c.MarkFlagsMutuallyExclusive("dry-run", "print-curl")
	c.MarkFlagsMutuallyExclusive("print-curl", "json")
	return c
}

// checkArgs checks the actions and the flag combinations, in the order a
// user reads them: export, actions, payload, load.
func (o *sendOptions) checkArgs(c *cobra.Command, pf *payloadFlags, args []string) error {
	if err := o.checkExport(c, &args); err != nil {
		return err
	}
	o.Actions = args
	switch {
	case o.All && len(args) > 0:
		return flagErrorf("give actions or `--all`, not both")
	case pf.raw() && (o.All || len(args) > 0):
		return flagErrorf("`--body` posts one file as it is: drop the actions and `--all`, or drop `--body` to send fixtures")
	case !pf.raw() && !o.All && len(args) == 0 && (pf.action == "" || pf.dataFile == ""):
		return flagErrorf("missing action: name one or more (see `hospitable-hook fixtures list`), pass `--all`, or give `--action NAME --data FILE`")
	}
	if err := pf.check(c); err != nil {
		return err
	}
	return o.checkLoad(c)
}

func runSend(ctx context.Context, opts *sendOptions) error {
	t, err := opts.Target()
	if err != nil {
		return err
	}
	defer t.Client.Close()
	switch {
	case opts.Export != "":
		return runExport(ctx, opts, t)
	case opts.Load:
		return runLoad(ctx, opts, t)
	}
	deliveries, err := opts.Deliveries()
	if err != nil {
		return err
	}
	if opts.DryRun || opts.PrintCurl {
		return showRequests(ctx, opts, t, deliveries)
	}
	out := sendOutput{IO: opts.IO, Now: opts.Now, JSON: opts.JSON, Verbose: opts.Verbose, verb: "sent"}
	return out.deliverEach(ctx, t, deliveries, nil)
}

// showRequests prints each request (--dry-run) or a curl command for it
// (--print-curl) instead of sending it.
func showRequests(ctx context.Context, opts *sendOptions, t target, deliveries []event.Delivery) error {
	st := opts.IO.Styles()
	for i, d := range deliveries {
		req, err := deliver.NewRequest(ctx, t.URL, d, t.Header)
		if err != nil {
			return inputErr(err)
		}
		header := deliver.SentHeader(req)
		switch {
		case opts.DryRun && opts.JSON:
			if err := opts.IO.JSON(render.NewDryRunRecord(http.MethodPost, t.URL, header, d.Body)); err != nil {
				return err
			}
			continue
		case i > 0:
			fmt.Fprintln(opts.IO.Out)
		}
		if opts.DryRun {
			render.DryRun(opts.IO.Out, st, http.MethodPost, t.URL, header, d.Body)
			continue
		}
		curlHeader := render.CurlHeaders(req.Header)
		if _, ok := t.Header["Host"]; ok {
			curlHeader["Host"] = req.Host // set with -H
		}
		fmt.Fprintln(opts.IO.Out, render.CurlCommand(t.URL, curlHeader, opts.BodyFile, d.Body))
	}
	return nil
}
