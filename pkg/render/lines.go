package render

import (
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// The small text helpers the printers share: detail lines under a row,
// one-line excerpts of outside bytes, plurals and milliseconds.

// indent lines up detail lines under the verdict mark of a row.
const indent = "         "

// detail prints s as a detail line, indented under its row.
func detail(w io.Writer, s string) { fmt.Fprintln(w, indent+s) }

// excerpt shows the start of a body on one line: text as is, quoted, with
// control characters escaped; bytes that are not UTF-8 by their count.
func excerpt(b []byte, n int) string {
	if !utf8.Valid(b) {
		return fmt.Sprintf("(%d bytes, not UTF-8)", len(b))
	}
	r := []rune(string(b))
	cut := ""
	if len(r) > n {
		r, cut = r[:n], "…"
	}
	q := fmt.Sprintf("%q", string(r))
	return Safe(q) + cut
}

// plural is "s" unless n is 1.
func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ms is a duration in milliseconds, to the microsecond, as --json's
// latency_ms fields write it.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
