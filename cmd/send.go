package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
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

	Actions   []string
	All       bool
	BodyFile  string
	DryRun    bool
	PrintCurl bool
	Verbose   bool
	JSON      bool
}

func newSendCmd(d *Deps, runF func(*sendOptions) error) *cobra.Command {
	opts := &sendOptions{IO: d.IO, Now: d.Now}
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

Change a delivery with --set/--unset (dot paths into the envelope, applied in
order), --data, --id, --created, --action and --version; or post a file's
exact bytes with --body. --dry-run and --print-curl show the request and send
nothing.`,
		Example: `  $ hospitable-hook send reservation.created
  $ hospitable-hook send --all --to http://127.0.0.1:8000/webhooks/hospitable
  $ hospitable-hook send reservation.created --set data.guests.total=4 --set data.guest.first_name=Ana --set data.status=null
  $ hospitable-hook send review.created --action review.changed --unset data.private
  $ hospitable-hook send --body captured.json --secret "$HOSPITABLE_WEBHOOK_SECRET"
  $ hospitable-hook send message.created --encoding compact --dry-run`,
		ValidArgsFunction: completeActions,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Actions = args
			switch {
			case opts.All && len(args) > 0:
				return flagErrorf("give actions or `--all`, not both")
			case pf.raw() && (opts.All || len(args) > 0):
				return flagErrorf("`--body` posts one file as it is: drop the actions and `--all`, or drop `--body` to send fixtures")
			case !pf.raw() && !opts.All && len(args) == 0 && (pf.action == "" || pf.dataFile == ""):
				return flagErrorf("missing action: name one or more (see `hospitable-hook fixtures list`), pass `--all`, or give `--action NAME --data FILE`")
			}
			if err := pf.check(c); err != nil {
				return err
			}
			if opts.All {
				opts.Actions = fixture.Actions()
			}
			opts.BodyFile = pf.bodyFile
			opts.Deliveries = func() ([]event.Delivery, error) { return pf.build(d, opts.Actions) }
			opts.Target = func() (target, error) { return tf.build(d) }
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
	fl.BoolVar(&opts.JSON, "json", false, "Print one JSON object per delivery, and nothing else, on stdout")
	pf.add(c)
	tf.add(c)
	c.MarkFlagsMutuallyExclusive("dry-run", "print-curl")
	c.MarkFlagsMutuallyExclusive("print-curl", "json")
	return c
}

func runSend(ctx context.Context, opts *sendOptions) error {
	t, err := opts.Target()
	if err != nil {
		return err
	}
	defer t.Client.Close()
	deliveries, err := opts.Deliveries()
	if err != nil {
		return err
	}
	if opts.DryRun || opts.PrintCurl {
		return showRequests(ctx, opts, t, deliveries)
	}
	st := opts.IO.Styles()
	results := make([]render.SendResult, 0, len(deliveries))
	for _, d := range deliveries {
		if ctx.Err() != nil {
			break
		}
		at := opts.Now()
		resp, err := t.post(ctx, d)
		if ue := (*deliver.URLError)(nil); errors.As(err, &ue) {
			return inputErr(err)
		}
		r := render.SendResult{Time: at, URL: t.URL, Delivery: d, Response: resp, Err: err}
		results = append(results, r)
		if opts.JSON {
			if err := opts.IO.JSON(render.NewSendRecord(r)); err != nil {
				return err
			}
		} else {
			render.SendLine(opts.IO.Out, st, r, opts.Verbose)
		}
	}
	if len(results) > 1 && !opts.JSON {
		render.SendSummary(opts.IO.Out, st, results)
	}
	if len(results) < len(deliveries) {
		return &checkFailed{fmt.Errorf("interrupted: %d of %d deliveries sent", len(results), len(deliveries))}
	}
	if msg := render.SendFailure(results); msg != "" {
		return &checkFailed{errors.New(msg)}
	}
	return nil
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
