// Package bytediff finds where two bodies first differ, byte by byte, for
// `verify --against`: a signature covers bytes, so the first byte that
// differs between what was signed and what was verified is usually the
// whole story (a "\/" unescaped, a newline added, a key reordered).
package bytediff

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Window is how many bytes of context Compare keeps on each side of the
// first difference.
const Window = 16

// Result is how two bodies compare.
type Result struct {
	// Equal is set when the bodies are byte-identical.
	Equal bool `json:"identical"`
	// Length and OtherLength are the sizes of the body and of the one it
	// was compared against.
	Length      int `json:"length"`
	OtherLength int `json:"original_length"`
	// Offset is the first byte (from 0) at which they differ; when one is
	// a prefix of the other, the length of the shorter.
	Offset int `json:"offset"`
	// Line and Column locate Offset in the body, both from 1.
	Line   int `json:"line"`
	Column int `json:"column"`
	// Start is the offset of the first byte of Context and OtherContext.
	Start int `json:"context_start"`
	// Context and OtherContext hold up to Window bytes before the
	// difference and Window bytes from it, of each body.
	Context      []byte `json:"-"`
	OtherContext []byte `json:"-"`
	// Summary says in words what differs at Offset.
	Summary string `json:"summary"`
}

// Compare finds the first difference between body and other.
func Compare(body, other []byte) Result {
	r := Result{Length: len(body), OtherLength: len(other)}
	n := min(len(body), len(other))
	off := 0
	for off < n && body[off] == other[off] {
		off++
	}
	if off == n && len(body) == len(other) {
		r.Equal, r.Offset = true, len(body)
		return r
	}
	r.Offset = off
	r.Line = 1 + bytes.Count(body[:off], []byte("\n"))
	r.Column = off - bytes.LastIndexByte(body[:off], '\n')
	r.Start = max(0, off-Window)
	r.Context = body[r.Start:min(len(body), off+Window)]
	r.OtherContext = other[r.Start:min(len(other), off+Window)]
	r.Summary = summary(body, other, off)
	return r
}

// summary names the difference at off in the words a developer uses.
func summary(body, other []byte, off int) string {
	switch {
	case off == len(other):
		return fmt.Sprintf("this body has %d more bytes at the end: %s", len(body)-off, quote(body[off:], Window))
	case off == len(body):
		return fmt.Sprintf("this body stops %d bytes short of the original's end, which goes on with %s", len(other)-off, quote(other[off:], Window))
	}
	return fmt.Sprintf("byte %d is %s (%02x) here and %s (%02x) in the original", off, quote(body[off:off+1], 1), body[off], quote(other[off:off+1], 1), other[off])
}

// quote shows up to n bytes of b between quotes (see Show).
func quote(b []byte, n int) string {
	if len(b) > n {
		return `"` + Show(b[:n]) + `"…`
	}
	return `"` + Show(b) + `"`
}

// Show writes bytes as a developer reads JSON: printable text as it is,
// backslashes and quotes included, and everything else escaped (\r, \n,
// \t, \xNN for other control characters and bytes that are not UTF-8), so
// line endings are visible and a terminal is never driven by the bytes.
func Show(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&sb, `\x%02x`, b[0])
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\t':
			sb.WriteString(`\t`)
		case unicode.IsControl(r) || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteRune(r)
		}
		b = b[size:]
	}
	return sb.String()
}
