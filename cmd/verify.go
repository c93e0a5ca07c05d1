package cmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
	"github.com/hospitable-hook/hospitable-hook/pkg/store"
)

type verifyOptions struct {
	IO       *render.IO
	ReadFile func(context.Context, string, int64) ([]byte, error)
	Open     func(context.Context, string) (io.ReadCloser, error)
	Secret   func() signature.Secret

	File      string
	Signature string
	JSON      bool
}

func newVerifyCmd(d *Deps, runF func(*verifyOptions) error) *cobra.Command {
	opts := &verifyOptions{IO: d.IO, ReadFile: d.ReadFile, Open: d.Open}
	var sf secretFlags
	c := &cobra.Command{
		Use:   "verify --file <file> [--signature <hex>]",
		Short: "Check a signature offline and explain a mismatch",
		Long: `verify checks a Signature against the exact bytes of a body and, when they do
not match, finds out why: a trailing newline, CRLF line endings, pretty-printed
or re-escaped JSON, a secret with whitespace, the decoded email used as key, an
upper-case or prefixed signature, or a different secret altogether.

Without --signature, the file may be a capture file from ` + "`listen --save`" + `: every
record's body is checked against its own Signature header.

Exit status: 0 valid, 1 invalid, 2 bad input.`,
		Example: `  $ hospitable-hook verify --file body.json --signature cc99bf59… --secret 123456
  $ hospitable-hook verify --file captured.jsonl --email you@example.com
  $ curl -s … | hospitable-hook verify --file - --signature "$SIG" --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if opts.File == "" {
				return flagErrorf("missing `--file`: name the body file (or `-` for standard input), or a capture file from `listen --save`")
			}
			if c.Flags().Changed("signature") && opts.Signature == "" {
				return flagErrorf("empty `--signature`: pass the Signature header's value (64 hex characters)")
			}
			opts.Secret = func() signature.Secret { return sf.resolve(d) }
			if runF != nil {
				return runF(opts)
			}
			return runVerify(c.Context(), opts)
		},
	}
	c.Flags().StringVarP(&opts.File, "file", "f", "", "Body file, capture file, or `-` for standard input")
	c.Flags().StringVarP(&opts.Signature, "signature", "s", "", "The received Signature header value")
	c.Flags().BoolVar(&opts.JSON, "json", false, "Print one JSON object per check")
	addSecretFlags(c, &sf)
	return c
}

// verifyResult is one check as --json prints it.
type verifyResult struct {
	Line   int    `json:"line,omitempty"`
	ID     string `json:"id,omitempty"`
	Action string `json:"action,omitempty"`
	signature.Report
}

func runVerify(ctx context.Context, opts *verifyOptions) error {
	if opts.Signature != "" {
		body, err := readInput(ctx, opts.ReadFile, opts.File)
		if err != nil {
			return err
		}
		secret := opts.Secret()
		report, err := signature.Check(body, opts.Signature, secret)
		if err != nil {
			return inputErr(fmt.Errorf("bad `--signature`: %w; pass the Signature header's value, 64 lowercase hex characters", err))
		}
		printVerify(opts, verifyResult{Report: report}, "")
		if !report.Valid {
			return errSilentFailure
		}
		return nil
	}
	// A capture is read a record at a time: its size does not matter.
	f, err := opts.Open(ctx, opts.File)
	if err != nil {
		return readError(opts.File, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return readError(opts.File, err)
	}
	secret := opts.Secret()
	if !store.IsCaptureStart(head) {
		return flagErrorf("missing `--signature`: pass the Signature header's value, or give a capture file from `listen --save`")
	}
	return verifyCapture(opts, br, secret)
}

func verifyCapture(opts *verifyOptions, r io.Reader, secret signature.Secret) error {
	checked, failed := 0, 0
	err := store.Read(r, func(e store.Entry) error {
		checked++
		body, _ := e.Record.BodyBytes()
		res := verifyResult{Line: e.Line, ID: e.Record.ID, Action: e.Record.Action}
		sigs := http.Header(e.Record.Headers).Values(signature.Header)
		if len(sigs) > 1 {
			opts.IO.Warnf("line %d: %d Signature headers; checking the first", e.Line, len(sigs))
		}
		received := ""
		if len(sigs) > 0 {
			received = sigs[0]
		}
		report, err := signature.Check(body, received, secret)
		if err != nil {
			report.Valid = false
			report.Reason = describeSignatureError(err)
			report.Fix = "the sender must put the lowercase hex HMAC-SHA256 of the body in the Signature header"
		}
		res.Report = report
		if !report.Valid {
			failed++
		}
		printVerify(opts, res, fmt.Sprintf("line %d %s %s", e.Line, e.Record.Action, e.Record.ID))
		return nil
	}, func(le *store.LineError) {
		opts.IO.Warnf("%s %s: skipped", opts.File, le)
	})
	if err != nil {
		return readError(opts.File, err)
	}
	if checked == 0 {
		return inputErr(fmt.Errorf("%s holds no readable capture record", opts.File))
	}
	if !opts.JSON {
		fmt.Fprintf(opts.IO.Out, "%d checked, %d valid, %d invalid\n", checked, checked-failed, failed)
	}
	if failed > 0 {
		return errSilentFailure
	}
	return nil
}

func describeSignatureError(err error) string {
	switch {
	case errors.Is(err, signature.ErrMissing):
		return "no Signature header"
	default:
		return err.Error()
	}
}

func printVerify(opts *verifyOptions, res verifyResult, label string) {
	if opts.JSON {
		_ = opts.IO.JSON(res)
		return
	}
	render.VerifyReport(opts.IO.Out, opts.IO.Styles(), label, res.Report)
}
