package cmd

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/export"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
)

// checkExport checks --export and --shards, and takes the export folder
// off the end of args: `send --all --count N --export vegeta DIR`.
func (o *sendOptions) checkExport(c *cobra.Command, args *[]string) error {
	fl := c.Flags()
	if o.Export == "" {
		if fl.Changed("shards") {
			return flagErrorf("`--shards` splits an export: add `--export vegeta DIR`, or drop `--shards`")
		}
		return nil
	}
	if !slices.Contains(export.Formats(), o.Export) {
		return flagErrorf("bad `--export` %q: the formats are %s", o.Export, strings.Join(export.Formats(), ", "))
	}
	if len(*args) == 0 {
		return flagErrorf("`--export %s` needs a folder to write into, as the last argument, like --export %s ./load", o.Export, o.Export)
	}
	o.ExportDir = (*args)[len(*args)-1]
	*args = (*args)[:len(*args)-1]
	for _, name := range []string{"concurrency", "rate", "dry-run", "print-curl", "verbose", "body"} {
		if fl.Changed(name) {
			return flagErrorf("`--export` writes deliveries for another tool and sends nothing, so `--%s` cannot apply: drop one of them", name)
		}
	}
	switch {
	case fl.Changed("count") && o.Count < 1:
		return flagErrorf("bad `--count` %d: give how many deliveries to export, like --count 10000", o.Count)
	case o.Shards < 1:
		return flagErrorf("bad `--shards` %d: give how many target files to write, one per machine, like --shards 3", o.Shards)
	}
	return nil
}

// runExport writes the deliveries for another load tool and says how to
// run it.
func runExport(ctx context.Context, opts *sendOptions, t target) error {
	count := opts.Count
	if count == 0 {
		count = len(opts.Actions)
	}
	next, err := opts.Builder()
	if err != nil {
		return err
	}
	ex, err := export.WriteVegeta(ctx, export.VegetaOptions{
		Dir: opts.ExportDir, URL: t.URL, Header: t.Header, Count: count, Shards: opts.Shards, Next: next,
	})
	if err != nil {
		return inputErr(err)
	}
	if opts.JSON {
		return opts.IO.JSON(render.NewExportRecord(t.URL, ex))
	}
	render.ExportSummary(opts.IO.Out, opts.IO.Styles(), t.URL, ex)
	return nil
}
