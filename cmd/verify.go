package cmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/bytediff"
	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/input"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

type verifyOptions struct {
	IO       *render.IO
	ReadFile func(context.Context, string, int64) ([]byte, error)
	Open     func(context.Context, string) (io.ReadCloser, error)
	Secret   func() signature.Secret
	// Older resolves the older secrets of a rotation (secretFlags.older).
	Older func() []signature.Secret

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
			opts.Secret = func() signature.Secret { return sf.resolve(d) }
			opts.Older = func() []signature.Secret { return rf.older(d, sf) }
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

// verifyResult is one check as --json prints it.
type verifyResult struct {
	Line   int    `json:"line,omitempty"`
	ID     string `json:"id,omitempty"`
	Action string `json:"action,omitempty"`
	// OlderSecret says the signature matched only an older secret of a
	// rotation (named in the report's secret fields), not the current one.
	OlderSecret bool `json:"older_secret,omitempty"`
	signature.Report
}

// verifyTarget is the body verify works on and the signature it checks:
// the whole file, or one record of a capture file.
type verifyTarget struct {
	body     []byte
	received string
	// header is set when received came from the record's Signature header
	// (an empty one is then a finding, not a usage error).
	header bool
	// line, id and action name the record, when there is one.
	line       int
	id, action string
}

func (t verifyTarget) label() string {
	if t.line == 0 {
		return ""
	}
	return fmt.Sprintf("line %d %s %s", t.line, t.action, t.id)
}

func runVerify(ctx context.Context, opts *verifyOptions) error {
	// The file is streamed: a capture is read a record at a time, whatever
	// its size, and a body is read whole only up to maxInput.
	f, err := opts.Open(ctx, opts.File)
	if err != nil {
		return readError(opts.File, err)
	}
	defer f.Close()
	in := bufio.NewReaderSize(f, 64<<10)
	head, err := in.Peek(64 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return readError(opts.File, err)
	}
	// Every mistake in the input is reported before the secret is
	// resolved, so no secret notice precedes a usage error.
	isCapture := capture.IsCaptureStart(head)
	if opts.Record > 0 && !isCapture {
		return flagErrorf("`--record` picks a record of a capture file from `listen --save`, and %s is not one", opts.File)
	}
	if opts.Signature != "" {
		if _, err := signature.Parse(opts.Signature); errors.Is(err, signature.ErrMalformed) {
			return inputErr(fmt.Errorf("bad `--signature`: %w; pass the Signature header's value, 64 lowercase hex characters", err))
		}
	}
	var original []byte
	if opts.Against != "" {
		if isCapture && opts.Record == 0 {
			return flagErrorf("`--against` compares one body: pick the record of %s with `--record N`", opts.File)
		}
		if original, err = readInput(ctx, opts.ReadFile, opts.Against); err != nil {
			return err
		}
	}
	if !isCapture && opts.Signature == "" && opts.Against == "" {
		return flagErrorf("missing `--signature`: pass the Signature header's value (or the one your app computed), or give a capture file from `listen --save`")
	}
	// The whole file is the body unless a record of a capture is checked.
	var data []byte
	if opts.Record == 0 && (!isCapture || opts.Signature != "") {
		if data, err = readCapped(in, opts.File); err != nil {
			return err
		}
	}
	t := verifyTarget{body: data, received: opts.Signature}
	switch {
	case opts.Record > 0:
		if t, err = pickRecord(opts, in); err != nil {
			return err
		}
		if opts.Extract {
			_, err := opts.IO.Out.Write(t.body)
			return err
		}
	case isCapture && opts.Signature == "":
		return verifyCapture(opts, in)
	case opts.Signature == "" && opts.Against == "":
		return flagErrorf("missing `--signature`: pass the Signature header's value (or the one your app computed), or give a capture file from `listen --save`")
	}

	failed := false
	if original != nil {
		d := bytediff.Compare(t.body, original)
		if opts.JSON {
			_ = opts.IO.JSON(render.NewBodyDiffRecord(d))
		} else {
			render.BodyDiff(opts.IO.Out, opts.IO.Styles(), opts.File, opts.Against, d)
		}
		failed = !d.Equal
	}
	if t.received != "" || t.header {
		res := verifyResult{Line: t.line, ID: t.id, Action: t.action}
		res.Report, res.OlderSecret = checkSignature(t.body, t.received, opts.Secret(), opts.older())
		printVerify(opts, res, t.label())
		failed = failed || !res.Valid
	}
	if failed {
		return errSilentFailure
	}
	return nil
}

// pickRecord finds the record on line opts.Record of a capture file; its
// Signature header is checked unless --signature gives another.
func pickRecord(opts *verifyOptions, file io.Reader) (verifyTarget, error) {
	var t verifyTarget
	lines, found := 0, false
	err := capture.Read(file, func(e capture.Entry) error {
		lines = e.Line
		if e.Line != opts.Record || found {
			return nil
		}
		body, err := e.Record.BodyBytes()
		if err != nil {
			return fmt.Errorf("line %d: %w", e.Line, err)
		}
		found = true
		t = verifyTarget{body: body, received: opts.Signature, line: e.Line, id: e.Record.ID, action: e.Record.Action}
		if t.received == "" {
			t.received, t.header = firstSignature(opts, e), true
		}
		return nil
	}, func(le *capture.LineError) {
		if le.Line == opts.Record {
			opts.IO.Warnf("%s %s", opts.File, le)
		}
	})
	switch {
	case err != nil:
		return t, readError(opts.File, err)
	case !found:
		return t, flagErrorf("no readable capture record on line %d of %s (the last record is on line %d): pick a line that `hospitable-hook verify --file %s` lists", opts.Record, opts.File, lines, opts.File)
	}
	return t, nil
}

// firstSignature is the record's Signature header, warning when it has
// several.
func firstSignature(opts *verifyOptions, e capture.Entry) string {
	sigs := http.Header(e.Record.Headers).Values(signature.Header)
	if len(sigs) > 1 {
		opts.IO.Warnf("line %d: %d Signature headers; checking the first", e.Line, len(sigs))
	}
	if len(sigs) == 0 {
		return ""
	}
	return sigs[0]
}

// checkSignature checks a signature that may be missing or malformed, as a
// captured header may be: that is a finding, reported like a mismatch.
// When the current secret does not match, the older secrets of a rotation
// are tried; older says one of them did.
func checkSignature(body []byte, received string, secret signature.Secret, olderSecrets []signature.Secret) (report signature.Report, older bool) {
	report, err := signature.Assess(body, received, secret)
	if err != nil {
		report.Valid = false
		report.Reason = describeSignatureError(err)
		report.Fix = "the sender must put the lowercase hex HMAC-SHA256 of the body in the Signature header"
		return report, false
	}
	if report.Valid {
		return report, false
	}
	for _, o := range olderSecrets {
		if signature.Verify(body, received, o.Value) == nil {
			if r, err := signature.Assess(body, received, o); err == nil {
				return r, true
			}
		}
	}
	return report, false
}

func (opts *verifyOptions) older() []signature.Secret {
	if opts.Older == nil {
		return nil
	}
	return opts.Older()
}

func verifyCapture(opts *verifyOptions, file io.Reader) error {
	checked, failed, unreadable := 0, 0, 0
	// Resolved at the first readable record: a file with none is an input
	// error, not preceded by a secret notice.
	var secret *signature.Secret
	var older []signature.Secret
	err := capture.Read(file, func(e capture.Entry) error {
		checked++
		body, _ := e.Record.BodyBytes()
		if e.Record.BodyTruncated {
			opts.IO.Warnf("line %d: the capture kept only the first %d of %d bytes of this refused delivery's body (body_truncated), so its signature cannot match", e.Line, len(body), e.Record.BodySize)
		}
		res := verifyResult{Line: e.Line, ID: e.Record.ID, Action: e.Record.Action}
		received := firstSignature(opts, e)
		if secret == nil {
			s := opts.Secret()
			secret, older = &s, opts.older()
		}
		res.Report, res.OlderSecret = checkSignature(body, received, *secret, older)
		if !res.Valid {
			failed++
		}
		printVerify(opts, res, fmt.Sprintf("line %d %s %s", e.Line, e.Record.Action, e.Record.ID))
		return nil
	}, func(le *capture.LineError) {
		unreadable++
		opts.IO.Warnf("%s %s: skipped", opts.File, le)
	})
	if err != nil {
		return readError(opts.File, err)
	}
	if checked == 0 {
		return inputErr(fmt.Errorf("%s holds no readable capture record", opts.File))
	}
	if !opts.JSON {
		line := fmt.Sprintf("%d checked, %d valid, %d invalid", checked, checked-failed, failed)
		if unreadable > 0 {
			line += fmt.Sprintf(", %d unreadable", unreadable)
		}
		fmt.Fprintln(opts.IO.Out, line)
	}
	if failed > 0 {
		return errSilentFailure
	}
	if unreadable > 0 {
		// A line that cannot be read cannot be checked: "all valid" would
		// be a claim about records nobody saw.
		return &checkFailed{fmt.Errorf("%d line%s of %s could not be read (see the warnings above), so %s not checked; the %d readable records are valid",
			unreadable, map[bool]string{true: "", false: "s"}[unreadable == 1], opts.File, map[bool]string{true: "it was", false: "they were"}[unreadable == 1], checked)}
	}
	return nil
}

// readCapped reads the rest of r, the body file name, refusing more than
// maxInput bytes.
func readCapped(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err == nil && int64(len(b)) > maxInput {
		err = &input.TooLargeError{Name: name, Limit: maxInput}
	}
	if err != nil {
		return nil, readError(name, err)
	}
	return b, nil
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
