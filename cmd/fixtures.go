package cmd

import (
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
)

func newFixturesCmd(d *Deps) *cobra.Command {
	c := &cobra.Command{
		Use:   "fixtures",
		Short: "List, show and import payloads",
		Long: `fixtures lists the built-in payloads, one per action: the six actions that
Hospitable's webhook guide names and the five more of its v2 webhook reference.
send posts them; fixtures shows them.

User fixtures live in --fixtures-dir, else $` + fixture.EnvDir + `, else
./` + fixture.DefaultDir + `: one <name>.json envelope each, which
` + "`fixtures import`" + ` writes from a capture with the personal data replaced.
send, simulate and scenario files use them by name.`,
		Example: `  $ hospitable-hook fixtures list
  $ hospitable-hook fixtures show reservation.created
  $ hospitable-hook fixtures show message.created --raw | hospitable-hook sign --file -`,
		Args: cobra.NoArgs,
	}
	c.AddCommand(newFixturesListCmd(d, nil), newFixturesShowCmd(d, nil), newFixturesImportCmd(d, nil))
	return c
}

type fixturesListOptions struct {
	IO *render.IO
	// Set holds the built-in and user fixtures.
	Set func() *fixture.Set

	JSON bool
}

func newFixturesListCmd(d *Deps, runF func(*fixturesListOptions) error) *cobra.Command {
	opts := &fixturesListOptions{IO: d.IO}
	var dir fixturesDir
	c := &cobra.Command{
		Use:   "list",
		Short: "List the actions with a built-in payload",
		Long: `list prints every action that has a built-in payload, which of Hospitable's
sources names it (the webhook guide, the v2 webhook reference, or both), and
what the payload shows; then the user fixtures, with their action and file.`,
		Example: `  $ hospitable-hook fixtures list
  $ hospitable-hook fixtures list --json | jq -r .action`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Set = func() *fixture.Set { return dir.set(d) }
			if runF != nil {
				return runF(opts)
			}
			return runFixturesList(opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "Print one JSON object per action")
	dir.add(c)
	return c
}

func runFixturesList(opts *fixturesListOptions) error {
	var users []fixture.Entry
	entries, errs := opts.Set().Entries()
	for _, e := range entries {
		if e.Source == fixture.SourceUser {
			users = append(users, e)
		}
	}
	for _, err := range errs {
		opts.IO.Warnf("%s", err)
	}
	if !opts.JSON {
		render.FixtureList(opts.IO.Out, opts.IO.Styles(), fixture.Catalog())
		render.UserFixtureList(opts.IO.Out, opts.IO.Styles(), users)
		return nil
	}
	if err := render.JSONLines(opts.IO, fixture.Catalog(), render.NewFixtureRecord); err != nil {
		return err
	}
	return render.JSONLines(opts.IO, users, render.NewUserFixtureRecord)
}

type fixturesShowOptions struct {
	IO      *render.IO
	Now     func() time.Time
	Entropy io.Reader
	// Set holds the built-in and user fixtures.
	Set func() *fixture.Set

	Action   string
	Raw      bool
	Encoding string
	Version  string
}

func newFixturesShowCmd(d *Deps, runF func(*fixturesShowOptions) error) *cobra.Command {
	opts := &fixturesShowOptions{IO: d.IO, Now: d.Now, Entropy: d.Entropy}
	var dir fixturesDir
	c := &cobra.Command{
		Use:   "show <action|name>",
		Short: "Print an action's built-in payload, or a user fixture's",
		Long: `show pretty-prints the data of an action's built-in payload.

With --raw it prints instead the exact bytes send would post: the whole
envelope with a fresh id and created, encoded (--encoding php by default, or
compact), with no trailing newline. --encoding and --version go with --raw
only; for overrides, use ` + "`send --dry-run`" + `.`,
		Example: `  $ hospitable-hook fixtures show reservation.created
  $ hospitable-hook fixtures show message.created --raw --encoding compact > body.json`,
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return completeFixtures(d)(c, args, toComplete)
		},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return flagErrorf("name one action, like `fixtures show reservation.created` (see `hospitable-hook fixtures list`)")
			}
			opts.Action = args[0]
			for _, name := range []string{"encoding", "version"} {
				if c.Flags().Changed(name) && !opts.Raw {
					return flagErrorf("`--%s` goes with `--raw`, which prints the bytes send would post", name)
				}
			}
			opts.Set = func() *fixture.Set { return dir.set(d) }
			if runF != nil {
				return runF(opts)
			}
			return runFixturesShow(opts)
		},
	}
	c.Flags().BoolVar(&opts.Raw, "raw", false, "Print the exact bytes send would post: the encoded envelope, no trailing newline")
	stringEnumFlag(c, &opts.Encoding, "encoding", string(event.PHP), event.Encodings(), "With --raw: the body `encoding`")
	c.Flags().StringVar(&opts.Version, "version", event.DefaultVersion, "With --raw: the envelope `version`")
	dir.add(c)
	return c
}

func runFixturesShow(opts *fixturesShowOptions) error {
	spec, err := event.FromFixture(opts.Set(), opts.Action)
	if err != nil {
		return inputErr(err)
	}
	if !opts.Raw {
		_, err := opts.IO.Out.Write(opts.IO.Styles().PrettyJSON(render.SafeJSON(spec.Data)))
		return err
	}
	spec.Encoding, _ = event.ParseEncoding(opts.Encoding)
	spec.Version = opts.Version
	body, err := event.NewBuilder(opts.Now, opts.Entropy).Body(spec)
	if err != nil {
		return err
	}
	_, err = opts.IO.Out.Write(body)
	return err
}
