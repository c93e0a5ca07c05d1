package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
)

// checkLoad checks the load-mode flags; any of them turns load mode on.
func (o *sendOptions) checkLoad(c *cobra.Command) error {
	fl := c.Flags()
	o.Load = fl.Changed("count") || fl.Changed("concurrency") || fl.Changed("rate")
	if !o.Load {
		return nil
	}
	switch {
	case !fl.Changed("count"):
		return flagErrorf("`--concurrency` and `--rate` set up load mode: say how many deliveries with `--count N`")
	case o.Count < 1:
		return flagErrorf("bad `--count` %d: give how many deliveries to send, like --count 1000", o.Count)
	case o.Concurrency < 1:
		return flagErrorf("bad `--concurrency` %d: give how many deliveries may be in flight at once, like --concurrency 50", o.Concurrency)
	case o.DryRun || o.PrintCurl:
		return flagErrorf("`--dry-run` and `--print-curl` show one request: drop them, or drop `--count`")
	case o.Verbose:
		return flagErrorf("`--verbose` shows every delivery in full: drop it with `--count`, which prints a summary")
	}
	if o.Rate != "" {
		r, err := deliver.ParseRate(o.Rate)
		if err != nil {
			return flagErrorf("`--rate`: %w", err)
		}
		o.rate = r
	}
	return nil
}

// runLoad sends --count deliveries and prints the summary.
func runLoad(ctx context.Context, opts *sendOptions, t target) error {
	build, err := opts.Builder()
	if err != nil {
		return err
	}
	bar := opts.IO.NewProgress("sending", int64(opts.Count))
	res, err := t.Client.Load(ctx, deliver.LoadOptions{
		URL: t.URL, Header: t.Header, Count: opts.Count, Concurrency: opts.Concurrency, Rate: opts.rate,
		Build: build, Clock: opts.Clock, Done: func() { bar.Add(1) },
	})
	bar.Finish()
	if err != nil {
		return urlInputErr(err)
	}
	if opts.JSON {
		if err := opts.IO.JSON(render.NewLoadRecord(t.URL, res)); err != nil {
			return err
		}
	} else {
		render.LoadSummary(opts.IO.Out, opts.IO.Styles(), t.URL, res)
	}
	switch {
	case res.Sent < res.Count:
		return &checkFailed{fmt.Errorf("interrupted: %d of %d deliveries sent", res.Sent, res.Count)}
	case !res.OK():
		return &checkFailed{fmt.Errorf("%d of %d deliveries were not answered 200", res.Count-res.Status[200], res.Count)}
	}
	return nil
}
