package cmd

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/starter"
)

type initOptions struct {
	IO *render.IO

	Framework string
	Dir       string
	Force     bool
	List      bool
	JSON      bool
}

func newInitCmd(d *Deps, runF func(*initOptions) error) *cobra.Command {
	opts := &initOptions{IO: d.IO}
	c := &cobra.Command{
		Use:   "init <framework> [dir]",
		Short: "Write a correct webhook receiver for your framework",
		Long: `init writes a small receiver for one framework into dir (default ` + starter.DefaultDir + `,
created as needed) that gets right what receivers usually get wrong: it checks
the signature on the raw body bytes with a constant-time comparison, answers
401 to a missing, malformed or wrong signature, answers 200 to every validly
signed delivery (unknown actions too) before the slow work runs, skips a retry
it has already taken on, and refuses bodies over 5 MiB.

Every starter reads PORT and HOSPITABLE_WEBHOOK_SECRET, serves
POST /webhooks/hospitable, has a Procfile with a web: line and a README, and
comes with a unit test of its signature check. Each passes ` + "`hospitable-hook check`" + `
in this project's CI.

Existing files are never overwritten without --force; without it, nothing is
written when one is in the way.`,
		Example: `  $ hospitable-hook init --list
  $ hospitable-hook init express
  $ hospitable-hook init flask ./webhooks
  $ hospitable-hook init go . --force`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 2 {
				return flagErrorf("init takes a framework and a directory, got %d arguments", len(args))
			}
			return nil
		},
		ValidArgsFunction: completeInit,
		RunE: func(c *cobra.Command, args []string) error {
			if err := opts.takeArgs(args); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runInit(opts)
		},
	}
	c.Flags().BoolVar(&opts.List, "list", false, "List the frameworks")
	c.Flags().BoolVar(&opts.JSON, "json", false, "With --list: one JSON object per framework")
	c.Flags().BoolVarP(&opts.Force, "force", "f", false, "Overwrite files that are in the way")
	return c
}

// takeArgs checks the flags against the arguments and takes the framework
// and the directory from them.
func (o *initOptions) takeArgs(args []string) error {
	switch {
	case o.List && len(args) > 0:
		return flagErrorf("`--list` takes no framework: run `hospitable-hook init --list`, then `hospitable-hook init NAME`")
	case o.List && o.Force:
		return flagErrorf("`--force` goes with a framework, not with `--list`")
	case o.JSON && !o.List:
		return flagErrorf("`--json` goes with `--list`")
	case !o.List && len(args) == 0:
		return flagErrorf("missing framework: choose one of %s (`hospitable-hook init --list` describes them)", strings.Join(starter.Names(), ", "))
	}
	if len(args) > 0 {
		o.Framework = args[0]
	}
	o.Dir = starter.DefaultDir
	if len(args) == 2 {
		if strings.TrimSpace(args[1]) == "" {
			return flagErrorf("empty directory: give a path, or leave it out for ./%s", starter.DefaultDir)
		}
		o.Dir = args[1]
	}
	return nil
}

// completeInit completes a framework, then a directory.
func completeInit(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return starter.Names(), cobra.ShellCompDirectiveNoFileComp
	}
	if len(args) == 1 {
		return nil, cobra.ShellCompDirectiveFilterDirs
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

func runInit(opts *initOptions) error {
	if opts.List {
		return listStarters(opts)
	}
	s, err := starter.Lookup(opts.Framework)
	if err != nil {
		return inputErr(err)
	}
	res, err := starter.Write(s, opts.Dir, opts.Force)
	var exists *starter.ExistsError
	switch {
	case errors.As(err, &exists):
		return inputErr(err)
	case err != nil:
		if len(res.Paths) > 0 {
			opts.IO.Warnf("wrote %d of the starter's files before this failed: %s", len(res.Paths), strings.Join(res.Paths, ", "))
		}
		return inputErr(err)
	}
	render.StarterWritten(opts.IO.Out, opts.IO.Styles(), s, res)
	return nil
}

// listStarters prints the frameworks (--list).
func listStarters(opts *initOptions) error {
	if !opts.JSON {
		render.StarterList(opts.IO.Out, opts.IO.Styles(), starter.All())
		return nil
	}
	for _, s := range starter.All() {
		if err := opts.IO.JSON(render.NewStarterRecord(s)); err != nil {
			return err
		}
	}
	return nil
}
