package render

import (
	"encoding/json"
	"io"
	"strings"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/tidwall/pretty"

	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// Styles holds the semantic styles every printer uses. Commands never pick
// colours; they say what a piece of text is.
type Styles struct {
	// OK marks success: a verified signature, a 200.
	OK lipgloss.Style
	// Fail marks failure: a forged delivery, a 5xx, a failed check.
	Fail lipgloss.Style
	// Warn marks what works but is suspicious: a 204, an odd payload.
	Warn lipgloss.Style
	// Dim marks context: times, lengths, hints.
	Dim lipgloss.Style
	// ID marks identifiers: delivery ids, actions.
	ID lipgloss.Style
	// Bold marks headings and the key fact of a line.
	Bold lipgloss.Style
	// Key marks field names in digests.
	Key lipgloss.Style

	// json is PrettyJSON's colouring, nil without colour, made on first
	// use (it renders a dozen styles, ten times the cost of all the others).
	json func() *pretty.Style
}

// newStyles returns the styles most tests render with: those of a 16-colour
// terminal on a dark background, or no colour at all.
func newStyles(color bool) *Styles {
	l := look{profile: termenv.Ascii, dark: true}
	if color {
		l.profile = termenv.ANSI
	}
	return stylesFrom(newRenderer(io.Discard, l))
}

// stylesFrom builds the styles from a renderer bound to the stream they
// will be written to, the way every style of the program is built: the
// renderer knows the colour profile and the background, the palette says
// what each role looks like under them.
func stylesFrom(r *lipgloss.Renderer) *Styles {
	c := colours()
	fg := func(tone lipgloss.CompleteAdaptiveColor) lipgloss.Style { return r.NewStyle().Foreground(tone) }
	s := &Styles{
		OK:   fg(c.green),
		Fail: fg(c.red).Bold(true),
		Warn: fg(c.amber),
		Dim:  r.NewStyle().Faint(true),
		ID:   fg(c.cyan),
		Bold: r.NewStyle().Bold(true),
		Key:  fg(c.blue),
	}
	// Faint is all sixteen colours offer for "less important", and some
	// terminals do not draw it; richer terminals get a grey instead.
	if richer(r.ColorProfile()) {
		s.Dim = fg(c.grey)
	}
	if r.ColorProfile() != termenv.Ascii {
		s.json = sync.OnceValue(func() *pretty.Style { return jsonStyle(s, fg(c.brightBlue).Bold(true), fg(c.magenta)) })
	}
	return s
}

// jsonStyle colours JSON from the same palette as the rest of the output:
// strings as OK, numbers as Warn, booleans as ID, null as Dim, brackets in
// bold. On 16-colour terminals these are tidwall/pretty's own colours, as
// before. Control characters inside strings are still escaped by pretty's
// terminal Append.
func jsonStyle(s *Styles, key, escape lipgloss.Style) *pretty.Style {
	return &pretty.Style{
		Key:      sgr(key),
		String:   sgr(s.OK),
		Number:   sgr(s.Warn),
		True:     sgr(s.ID),
		False:    sgr(s.ID),
		Null:     sgr(s.Dim),
		Escape:   sgr(escape),
		Brackets: sgr(s.Bold),
		Append:   pretty.TerminalStyle.Append,
	}
}

// sgr returns the escape sequences st puts before and after a text.
func sgr(st lipgloss.Style) [2]string {
	// No SGR sequence contains an x, so the cut is exact.
	before, after, _ := strings.Cut(st.Render("x"), "x")
	return [2]string{before, after}
}

// Status returns the style for an HTTP status as Hospitable judges it: only
// 200 is success, any other 2xx is suspicious (it will be retried), the rest
// is failure.
func (s *Styles) Status(code int) lipgloss.Style {
	switch {
	case verdict.Delivered(code):
		return s.OK
	case code >= 200 && code < 300:
		return s.Warn
	default:
		return s.Fail
	}
}

// StatusText renders a status as `200 OK`, styled.
func (s *Styles) StatusText(code int) string {
	return s.Status(code).Render(verdict.StatusText(code))
}

// Tick renders the success mark.
func (s *Styles) Tick() string { return s.OK.Render("✓") }

// Cross renders the failure mark.
func (s *Styles) Cross() string { return s.Fail.Render("✗") }

// Bang renders the warning mark.
func (s *Styles) Bang() string { return s.Warn.Render("!") }

// Mark renders ✓ when ok is true and ✗ otherwise.
func (s *Styles) Mark(ok bool) string {
	if ok {
		return s.Tick()
	}
	return s.Cross()
}

// PrettyJSON indents JSON bytes (keeping key order and the exact scalar
// text) and colours them when colour is on. Bytes that are not JSON come
// back unchanged, and so do bytes whose indented form would be much larger
// than they are: each line repeats the indent once per level, so a forged
// body of short values nested deep would indent to a quadratic size.
func (s *Styles) PrettyJSON(b []byte) []byte {
	if !json.Valid(b) || indentedSize(b, 2) > maxIndented(len(b)) {
		return b
	}
	out := pretty.PrettyOptions(b, &pretty.Options{Width: 1, Indent: "  "})
	if s.json != nil {
		out = pretty.Color(out, s.json())
	}
	return out
}

// maxIndented is the most bytes PrettyJSON produces for n bytes of JSON:
// real payloads indent to two or three times their compact size.
func maxIndented(n int) int { return 8*n + 64<<10 }

// indentedSize returns (a bound on) the size of b indented with indent
// spaces a level, one value a line, in one iterative pass: every value and
// every closing bracket starts a new line indented to its depth.
func indentedSize(b []byte, indent int) int {
	size, depth := len(b)+1, 0 // and a final newline
	line := func() { size += 1 + depth*indent }
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			depth++
			line()
		case '}', ']':
			depth--
			line()
		case ',':
			line()
		case ':':
			size++
		}
	}
	return size
}
