package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/anonymize"
	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/input"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
)

type fixturesImportOptions struct {
	IO *render.IO
	// ReadFile reads the capture, at most a limit of bytes.
	ReadFile func(context.Context, string, int64) ([]byte, error)
	// Dir is the user fixtures directory.
	Dir string

	Capture  string
	Record   int
	Name     string
	Messages bool
	Force    bool
}

func newFixturesImportCmd(d *Deps, runF func(*fixturesImportOptions) error) *cobra.Command {
	opts := &fixturesImportOptions{IO: d.IO, ReadFile: d.ReadFile}
	var dir fixturesDir
	c := &cobra.Command{
		Use:   "import <capture>",
		Short: "Turn a captured delivery into a user fixture, personal data replaced",
		Long: `import takes one delivery from a capture file (listen --save), or a file that
is one delivery body, and writes it as a user fixture with the personal data
replaced by consistent fakes: guest and host names, emails, phone numbers,
addresses and coordinates, profile pictures, Wi-Fi names and passwords, door
and lock codes (also inside access instructions). With --messages, message,
review and note text is replaced too; without it, that text is kept with the
names, emails and phone numbers found in it replaced.

Everything else is kept byte for byte: key order, types, lengths of codes and
numbers, and the escaping style (PHP's \/ and \uXXXX, or raw UTF-8). Values
are rewritten in place, never re-serialised. Read the result before you
commit it: a fake can only replace what looks personal.

The record is the one on line --record of the capture (default: the last
delivery). The fixture is written to the user fixtures directory (--fixtures-dir,
else $` + fixture.EnvDir + `, else ./` + fixture.DefaultDir + `) as
NAME.json; send, simulate, fixtures show and scenario files use it by NAME.`,
		Example: `  $ hospitable-hook listen --save prod.jsonl
  $ hospitable-hook fixtures import prod.jsonl --record 3 --name double-cancel
  $ hospitable-hook send double-cancel --to http://127.0.0.1:8000/webhooks/hospitable`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return flagErrorf("give one capture file, like `fixtures import capture.jsonl`")
			}
			if opts.Record < 0 {
				return flagErrorf("bad `--record` %d: give the line number of a delivery in the capture", opts.Record)
			}
			if opts.Name != "" {
				if err := fixture.CheckName(opts.Name); err != nil {
					return flagErrorf("`--name`: %w", err)
				}
			}
			opts.Capture = args[0]
			opts.Dir = dir.dir(d)
			if runF != nil {
				return runF(opts)
			}
			return runFixturesImport(opts)
		},
	}
	fl := c.Flags()
	fl.IntVar(&opts.Record, "record", 0, "Import the record on this `line` of the capture (default: the last delivery)")
	fl.StringVar(&opts.Name, "name", "", "Fixture `name` (default: the action and the end of the delivery id)")
	fl.BoolVar(&opts.Messages, "messages", false, "Replace message, review and note text too")
	fl.BoolVar(&opts.Force, "force", false, "Replace a user fixture of the same name")
	dir.add(c)
	return c
}

// maxImportCapture caps the capture file `fixtures import` reads.
const maxImportCapture = 256 << 20

func runFixturesImport(opts *fixturesImportOptions) error {
	// A capture to pick one delivery from is read whole, up to
	// maxImportCapture: cut a larger one down with `verify --record N
	// --extract` first.
	data, err := opts.ReadFile(context.Background(), opts.Capture, maxImportCapture)
	if input.IsTooLarge(err) {
		return inputErr(fmt.Errorf("read %s: %w; take the one delivery out first with `hospitable-hook verify --file %s --record N --extract > body.json`, then import body.json", opts.Capture, err, opts.Capture))
	}
	if err != nil {
		return readError(opts.Capture, err)
	}
	picked, err := anonymize.Pick(data, opts.Record, func(e *capture.LineError) {
		opts.IO.Warnf("%s: skipped %s", opts.Capture, e)
	})
	if err != nil {
		return inputErr(fmt.Errorf("%s: %w", opts.Capture, err))
	}
	body, rep, err := anonymize.Body(picked.Body, anonymize.Options{Messages: opts.Messages})
	if err != nil {
		return inputErr(fmt.Errorf("%s: %w", opts.Capture, err))
	}
	name := opts.Name
	if name == "" {
		name = fixture.DefaultName(picked.Action, picked.ID)
	}
	path, err := fixture.WriteUser(opts.Dir, name, body, opts.Force)
	if errors.Is(err, fixture.ErrExists) {
		return inputErr(err)
	}
	if err != nil {
		return err
	}
	render.FixtureImported(opts.IO.Out, opts.IO.Styles(), render.FixtureImport{
		From: opts.Capture, Line: picked.Line, Action: picked.Action, ID: picked.ID,
		Name: name, Path: path, Report: rep, Messages: opts.Messages,
	})
	return nil
}
