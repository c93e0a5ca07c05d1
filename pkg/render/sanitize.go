package render

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
)

// maxMarks is how many combining marks in a row Safe lets through: enough
// for any script's stacked accents and vowel signs, too few to smear a
// "Zalgo" storm over the lines above and below.
const maxMarks = 6

// Safe makes a value that came from outside (a body's action or id, a
// header, a path, a response preview, a captured field) safe to print on a
// terminal, on one line. Everything that could drive the terminal or lie
// about what is shown is written visibly escaped instead:
//
//   - C0 and C1 control characters and DEL, ESC included: \x1b, \x9b, \x7f,
//     line breaks and tabs too (\x0a), so a value cannot start a line;
//   - invisible format characters: bidi overrides, embeddings and isolates
//     (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C), zero-width ones
//     (U+200B–U+200D, U+2060, U+FEFF) and every other Unicode "Cf": \u202e;
//   - the line and paragraph separators U+2028 and U+2029;
//   - combining marks past the sixth in a row.
//
// Bytes that are not UTF-8 become U+FFFD. The output never contains any of
// these, and Safe(Safe(s)) == Safe(s). Every printer in this package passes
// outside values through Safe or SafeBlock; --json output through SafeJSON.
func Safe(s string) string { return sanitize(s, false, -1) }

// SafeBlock is Safe for text shown as a block of lines (a body, a response
// under -v): line feeds and tabs stay, a CR before a line feed goes.
func SafeBlock(s string) string {
	return sanitize(strings.ReplaceAll(s, "\r\n", "\n"), true, -1)
}

// unsafeRune reports whether r must not reach a terminal as it is.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	case r < 0x80:
		return false
	}
	return unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

func isMark(r rune) bool { return r >= 0x300 && unicode.In(r, unicode.Mn, unicode.Me) }

// clean reports whether s needs no change, without allocating (or copying
// a []byte to a string): the common case.
func clean[T string | []byte](s T, block bool) bool {
	decode := func(i int) (rune, int) { return utf8.DecodeRuneInString(string(s[i:])) }
	if b, ok := any(s).([]byte); ok {
		decode = func(i int) (rune, int) { return utf8.DecodeRune(b[i:]) }
	}
	marks := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 || c == 0x7f) && !(block && (c == '\n' || c == '\t')) {
				return false
			}
			marks = 0
			i++
			continue
		}
		r, size := decode(i)
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			return false
		}
		if isMark(r) {
			if marks++; marks > maxMarks {
				return false
			}
		} else {
			marks = 0
		}
		i += size
	}
	return true
}

// sanitize is Safe (block false) or SafeBlock (true), leaving keep alone:
// the indented body of `listen -v` keeps the ESC of its own colouring
// (valid JSON cannot carry a raw ESC).
func sanitize(s string, block bool, keep rune) string {
	if clean(s, block) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	marks := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == keep || block && (r == '\n' || r == '\t'):
			b.WriteRune(r)
			marks = 0
		case unsafeRune(r):
			writeEscape(&b, r)
		case isMark(r):
			if marks++; marks > maxMarks {
				writeEscape(&b, r)
			} else {
				b.WriteRune(r)
			}
		default:
			b.WriteRune(r)
			marks = 0
		}
	}
	return b.String()
}

func writeEscape(b *strings.Builder, r rune) {
	switch {
	case r < 0x100:
		fmt.Fprintf(b, `\x%02x`, r)
	case r < 0x10000:
		fmt.Fprintf(b, `\u%04x`, r)
	default:
		fmt.Fprintf(b, `\U%08x`, r)
	}
}

// SafeJSON escapes, in JSON text, what encoding/json leaves raw and Safe
// would escape: C1 controls, DEL, bidi and zero-width characters and the
// other format characters, and combining marks past the sixth in a row,
// all as \uXXXX (a surrogate pair above U+FFFF). The JSON means the same;
// only a terminal that shows it, or a tool that greps it, sees a
// difference. Structure is ASCII, so only string contents change.
func SafeJSON(b []byte) []byte { return escapeUnsafe(b, appendJSONEscape) }

// SafeXML is SafeJSON for XML text: the same characters become numeric
// character references (&#x202e;), which mean the same to an XML reader.
func SafeXML(b []byte) []byte { return escapeUnsafe(b, appendXMLEscape) }

// escapeUnsafe is SafeJSON and SafeXML: it copies b, writing through esc
// each rune that Safe would escape and the format leaves raw (bytes that
// are not UTF-8 as U+FFFD). C0 controls are left alone: outside strings
// they are the format's whitespace, and inside they are escaped already.
func escapeUnsafe(b []byte, esc func(out []byte, r rune) []byte) []byte {
	if clean(b, true) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	marks := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		escape := false
		switch {
		case r >= 0x20 && r < 0x7f:
			marks = 0
		case r == utf8.RuneError && size == 1:
			escape = true
		case unsafeRune(r):
			escape = r >= 0x7f // C0 controls are only legal as whitespace
		case isMark(r):
			marks++
			escape = marks > maxMarks
		default:
			marks = 0
		}
		if escape {
			out = esc(out, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// appendJSONEscape writes r as \uXXXX, a surrogate pair above U+FFFF.
func appendJSONEscape(out []byte, r rune) []byte {
	if r >= 0x10000 {
		r -= 0x10000
		return fmt.Appendf(out, `\u%04x\u%04x`, 0xD800+(r>>10)&0x3FF, 0xDC00+r&0x3FF)
	}
	return fmt.Appendf(out, `\u%04x`, r)
}

// appendXMLEscape writes r as a numeric character reference.
func appendXMLEscape(out []byte, r rune) []byte { return fmt.Appendf(out, "&#x%x;", r) }

// SafeURL is Safe for a URL, with its password (if any) masked by
// deliver.RedactURL: https://user:secret@host/hook is shown, logged and
// written to reports as https://user:xxxxx@host/hook.
func SafeURL(raw string) string { return Safe(deliver.RedactURL(raw)) }
