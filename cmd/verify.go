package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/bytediff"
	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
	"github.com/hospitable-hook/hospitable-hook/pkg/verify"
)

type verifyOptions struct {
	IO       *render.IO
	ReadFile func(context.Context, string, int64) ([]byte, error)
	Open     func(context.Context, string) (io.ReadCloser, error)
	// Secrets resolves the current secret and the older ones of a
	// rotation (secretFlags.resolve, rotationFlags.older).
	Secrets verify.Secrets

	File      string
	Signature string
	Against   string
	Record    int
	Extract   bool
	JSON      bool
}

func newVerifyCmd(d *Deps, runF func(*verifyOptions) error) *cobra.Command {
	opts := &verifyOptions{IO: d.IO, ReadFile: d.ReadFile, Open: d.Open}
	var sf secretFlags
	var rf rotationFlags
	c := &cobra.Command{
		Use:   "verify --file <file> [--signature <hex>]",
		Short: "Check a signature offline and explain a mismatch",
		Long: `verify checks a Signature against the exact bytes of a body and, when they do
not match, finds out why: a trailing newline or carriage return, CRLF line
endings, pretty-printed or re-escaped JSON, PHP's json_encode(json_decode($raw,
true)), a secret with whitespace, the decoded email used as key, an upper-case
or prefixed signature, or a different secret altogether.

--signature may be the header Hospitable sent, or the signature your own app
computed (log it): verify then says what your app did to the bytes or the key
to get it, which is how most mismatches are solved.

Without --signature, the file may be a capture file from ` + "`listen --save`" + `: every
record's body is checked against its own Signature header. --record N picks
the record on line N (the line verify and replay print); with --extract, its
exact body bytes are written to standard output, and nothing else, to feed
your app or --against.

--against ORIGINAL compares the body with another file byte by byte and shows
the first difference: its offset, line and column, the bytes around it in
both, and in hex. It needs no secret; with --signature the signature is
checked too.

Exit status: 0 valid (and identical), 1 invalid (or different), 2 bad input.`,
		Example: `  $ hospitable-hook verify --file body.json --signature cc99bf59… --secret 123456
  $ hospitable-hook verify --file captured.jsonl --email you@example.com
  $ hospitable-hook verify --file captured.jsonl --record 3 --signature "$SIG_MY_APP_COMPUTED"
  $ hospitable-hook verify --file captured.jsonl --record 3 --extract > body.json
  $ hospitable-hook verify --file what-my-app-hashed.json --against body.json
  $ curl -s … | hospitable-hook verify --file - --signature "$SIG" --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := opts.checkFlags(c); err != nil {
				return err
			}
			opts.Secrets = func() (signature.Secret, []signature.Secret) { return sf.resolve(d), rf.older(d, sf) }
			if runF != nil {
				return runF(opts)
			}
			return runVerify(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.StringVarP(&opts.File, "file", "f", "", "Body file, capture file, or `-` for standard input")
	fl.StringVarP(&opts.Signature, "signature", "s", "", "The Signature header received, or the signature your app computed, to see why it differs")
	fl.StringVar(&opts.Against, "against", "", "Compare the body byte by byte with this `original` file and show the first difference")
	fl.IntVar(&opts.Record, "record", 0, "With a capture file: check only the record on line `N`")
	fl.BoolVar(&opts.Extract, "extract", false, "With --record: write that record's exact body to standard output, and nothing else")
	fl.BoolVar(&opts.JSON, "json", false, "Print one JSON object per check")
	addSecretFlags(c, &sf)
	allowRotation(c, &sf, &rf)
	return c
}

// checkFlags checks the flag combinations that need no look at the file.
func (opts *verifyOptions) checkFlags(c *cobra.Command) error {
	switch {
	case opts.File == "":
		return flagErrorf("missing `--file`: name the body file (or `-` for standard input), or a capture file from `listen --save`")
	case c.Flags().Changed("signature") && opts.Signature == "":
		return flagErrorf("empty `--signature`: pass the Signature header's value (64 hex characters)")
	case c.Flags().Changed("record") && opts.Record < 1:
		return flagErrorf("bad `--record` %d: give the line number of a record in the capture file, like --record 3", opts.Record)
	case opts.Extract && opts.Record == 0:
		return flagErrorf("`--extract` writes one record's body: pick it with `--record N`, the line number verify prints for it")
	case opts.Extract && (opts.Signature != "" || opts.Against != ""):
		return flagErrorf("`--extract` only writes the body: drop `--signature` and `--against`, or drop `--extract`")
	case opts.Against != "" && opts.Against == opts.File:
		return flagErrorf("`--against` names the same file as `--file`: compare the body with another one")
	}
	return nil
}

func runVerify(ctx context.Context, opts *verifyOptions) error {
	// The file is streamed: a capture is read a record at a time, whatever
	// its size, and a body is read whole only up to maxInput.
	f, err := opts.Open(ctx, opts.File)
	if err != nil {
		return readError(opts.File, err)
	}
	defer f.Close()
	in, isCapture, err := verify.Sniff(f)
	if err != nil {
		return readError(opts.File, err)
	}
	original, err := opts.checkInput(ctx, isCapture)
	if err != nil {
		return err
	}
	var t verify.Target
	switch {
	case opts.Record > 0:
		if t, err = opts.pickRecord(in); err != nil || opts.Extract {
			return err
		}
	case isCapture && opts.Signature == "":
		return verifyCapture(opts, in)
	default:
		// The whole file is the body.
		if t.Body, err = readCapped(in, opts.File); err != nil {
			return err
		}
		t.Received = opts.Signature
	}
	return verifyTarget(opts, t, original)
}

// checkInput reports every mistake in the input before the secret is
// resolved, so no secret notice precedes a usage error, and reads the
// --against file.
func (opts *verifyOptions) checkInput(ctx context.Context, isCapture bool) (original []byte, err error) {
	if opts.Record > 0 && !isCapture {
		return nil, flagErrorf("`--record` picks a record of a capture file from `listen --save`, and %s is not one", opts.File)
	}
	if opts.Signature != "" {
		if _, err := signature.Parse(opts.Signature); errors.Is(err, signature.ErrMalformed) {
			return nil, inputErr(fmt.Errorf("bad `--signature`: %w; pass the Signature header's value, 64 lowercase hex characters", err))
		}
	}
	if opts.Against != "" {
		if isCapture && opts.Record == 0 {
			return nil, flagErrorf("`--against` compares one body: pick the record of %s with `--record N`", opts.File)
		}
		if original, err = readInput(ctx, opts.ReadFile, opts.Against); err != nil {
			return nil, err
		}
	}
	if !isCapture && opts.Signature == "" && opts.Against == "" {
		return nil, flagErrorf("missing `--signature`: pass the Signature header's value (or the one your app computed), or give a capture file from `listen --save`")
	}
	return original, nil
}

// pickRecord finds the record on line opts.Record of a capture file; its
// Signature header is checked unless --signature gives another. With
// --extract, its body is written out.
func (opts *verifyOptions) pickRecord(in io.Reader) (verify.Target, error) {
	t, err := verify.Find(in, opts.Record, opts.Signature, opts.IO.Warnf, func(le *capture.LineError) {
		opts.IO.Warnf("%s %s", opts.File, le)
	})
	var nf *verify.NotFoundError
	switch {
	case errors.As(err, &nf):
		return t, flagErrorf("no readable capture record on line %d of %s (the last record is on line %d): pick a line that `hospitable-hook verify --file %s` lists", nf.Line, opts.File, nf.Last, opts.File)
	case err != nil:
		return t, readError(opts.File, err)
	case opts.Extract:
		_, err := opts.IO.Out.Write(t.Body)
		return t, err
	}
	return t, nil
}

// verifyTarget compares the body with the --against file, checks its
// signature, and prints both.
func verifyTarget(opts *verifyOptions, t verify.Target, original []byte) error {
	failed := false
	if original != nil {
		d := bytediff.Compare(t.Body, original)
		if opts.JSON {
			_ = opts.IO.JSON(render.NewBodyDiffRecord(d))
		} else {
			render.BodyDiff(opts.IO.Out, opts.IO.Styles(), opts.File, opts.Against, d)
		}
		failed = !d.Equal
	}
	if t.Signed() {
		res := t.Check(opts.Secrets)
		printVerify(opts, res)
		failed = failed || !res.Valid
	}
	if failed {
		return errSilentFailure
	}
	return nil
}

// verifyCapture checks every record of a capture file.
func verifyCapture(opts *verifyOptions, in io.Reader) error {
	tally, err := verify.Capture(in, opts.Secrets, func(res verify.Result) { printVerify(opts, res) }, opts.IO.Warnf,
		func(le *capture.LineError) { opts.IO.Warnf("%s %s: skipped", opts.File, le) })
	switch {
	case err != nil:
		return readError(opts.File, err)
	case tally.Checked == 0:
		return inputErr(fmt.Errorf("%s holds no readable capture record", opts.File))
	}
	if !opts.JSON {
		fmt.Fprintln(opts.IO.Out, tally)
	}
	if tally.Failed > 0 {
		return errSilentFailure
	}
	if err := tally.UnreadableError(opts.File); err != nil {
		return &checkFailed{err}
	}
	return nil
}

func printVerify(opts *verifyOptions, res verify.Result) {
	label := res.Label()
	if res.OlderSecret {
		where := ""
		if label != "" {
			where = label + ": "
		}
		opts.IO.Warnf("%sthe signature matches only the older secret %s from %s, not the current one: the sender still signs with it",
			where, res.Secret, res.SecretOrigin)
	}
	if opts.JSON {
		_ = opts.IO.JSON(res)
		return
	}
	render.VerifyReport(opts.IO.Out, opts.IO.Styles(), label, res.Report)
}
