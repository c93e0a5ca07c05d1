// Package verify checks signatures offline, as the verify command does: a
// body against a signature, or the records of a capture file (`listen
// --save`) against their own Signature headers. When the current secret
// does not match, the older secrets of a rotation are tried.
package verify

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// Secrets returns the current secret and the older ones of a rotation.
// Resolving may print a notice, so it is called only once a check is due.
type Secrets func() (current signature.Secret, older []signature.Secret)

// once returns Secrets that resolves s at the first call only.
func (s Secrets) once() Secrets {
	var (
		done    bool
		current signature.Secret
		older   []signature.Secret
	)
	return func() (signature.Secret, []signature.Secret) {
		if !done {
			current, older = s()
			done = true
		}
		return current, older
	}
}

// Result is one check, as verify --json prints it.
type Result struct {
	Line   int    `json:"line,omitempty"`
	ID     string `json:"id,omitempty"`
	Action string `json:"action,omitempty"`
	// OlderSecret says the signature matched only an older secret of a
	// rotation (named in the report's secret fields), not the current one.
	OlderSecret bool `json:"older_secret,omitempty"`
	signature.Report
}

// Label names the record checked, like "line 3 review.created 01K…", or
// is empty when a whole file was checked.
func (r Result) Label() string {
	if r.Line == 0 {
		return ""
	}
	return fmt.Sprintf("line %d %s %s", r.Line, r.Action, r.ID)
}

// Target is a body and the signature to check it against: a whole file, or
// one record of a capture file.
type Target struct {
	// Body is the exact bytes checked.
	Body []byte
	// Received is the signature given or captured.
	Received string
	// Header says Received came from the record's Signature header, so
	// an empty one is a finding (no Signature header), not a usage error.
	Header bool
	// Line, ID and Action name the record, when there is one.
	Line       int
	ID, Action string
}

// Signed reports whether there is a signature to check: one was given, or
// the record's header (even an empty one) stands for it.
func (t Target) Signed() bool { return t.Received != "" || t.Header }

// Check checks the target's signature with secrets.
func (t Target) Check(secrets Secrets) Result {
	res := Result{Line: t.Line, ID: t.ID, Action: t.Action}
	current, older := secrets()
	res.Report, res.OlderSecret = Check(t.Body, t.Received, current, older)
	return res
}

// Check checks a signature that may be missing or malformed, as a captured
// header may be: that is a finding, reported like a mismatch. When current
// does not match, the older secrets of a rotation are tried; olderMatched
// says one of them did, and the report then names it.
func Check(body []byte, received string, current signature.Secret, older []signature.Secret) (report signature.Report, olderMatched bool) {
	report, err := signature.Assess(body, received, current)
	if err != nil {
		report.Valid = false
		report.Reason = describe(err)
		report.Fix = "the sender must put the lowercase hex HMAC-SHA256 of the body in the Signature header"
		return report, false
	}
	if report.Valid {
		return report, false
	}
	for _, o := range older {
		if signature.Verify(body, received, o.Value) == nil {
			if r, err := signature.Assess(body, received, o); err == nil {
				return r, true
			}
		}
	}
	return report, false
}

func describe(err error) string {
	if errors.Is(err, signature.ErrMissing) {
		return "no Signature header"
	}
	return err.Error()
}

// sniffSize is how much of a file Sniff looks at.
const sniffSize = 64 << 10

// Sniff buffers r and reports whether it starts like a capture file,
// without consuming anything: the returned reader reads r from its start.
func Sniff(r io.Reader) (*bufio.Reader, bool, error) {
	in := bufio.NewReaderSize(r, sniffSize)
	head, err := in.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return in, false, err
	}
	return in, capture.IsCaptureStart(head), nil
}
