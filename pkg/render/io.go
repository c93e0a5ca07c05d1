// Package render owns everything the user sees: the output streams, the
// single decision whether to colour them, the semantic styles, and the
// printers that turn results into lines. Commands hand results here and
// never choose colours themselves.
package render

import (
	"bytes"
	"encoding/json"
	"io"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"
	"golang.org/x/term"
)

// IO is the set of streams a command talks to, with what is known about them.
type IO struct {
	// In is standard input.
	In io.Reader
	// Out receives what the user asked for: results, reports, JSON.
	Out io.Writer
	// ErrOut receives progress, hints, warnings and errors.
	ErrOut io.Writer

	outTTY   bool
	errTTY   bool
	colorOut bool
	colorErr bool
	// term is how many colours the terminal shows, dark whether its
	// background is dark: how colour looks where there is colour.
	term     termenv.Profile
	dark     bool
	styles   *Styles
	errStyle *Styles
	// width is the terminal's width in columns; 0 when not a terminal.
	width int
}

// System returns the process's streams with the colour decision made once:
// colour only on a terminal, never with NO_COLOR set or TERM=dumb.
// CLICOLOR_FORCE=1 forces colour where no terminal is detected (tmux pipes,
// CI logs that render ANSI), but never over NO_COLOR or TERM=dumb: a user
// who asked for no colour gets none.
func System(getenv func(string) string) *IO {
	s := decide(isTerminal(os.Stdout), isTerminal(os.Stderr), getenv)
	s.In, s.Out, s.ErrOut = os.Stdin, os.Stdout, os.Stderr
	if s.outTTY {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			s.width = w
		}
	}
	return s
}

// decide is the colour decision, apart from the real streams so it can be
// tested.
// How colour looks is read from the environment too (terminalProfile,
// darkBackground), never asked of the terminal.
func decide(outTTY, errTTY bool, getenv func(string) string) *IO {
	allowed := getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
	forced := getenv("CLICOLOR_FORCE") != "" && getenv("CLICOLOR_FORCE") != "0"
	s := &IO{
		outTTY:   outTTY,
		errTTY:   errTTY,
		colorOut: allowed && (forced || outTTY),
		colorErr: allowed && (forced || errTTY),
		term:     termenv.ANSI,
		dark:     true,
	}
	if s.colorOut || s.colorErr {
		s.term, s.dark = terminalProfile(getenv), darkBackground(getenv)
	}
	return s
}

// Test returns an IO writing into buffers, with no terminal and no colour,
// plus the buffers for standard input, output and error. Colour, when a
// test turns it on, is that of a 16-colour terminal on a dark background.
func Test() (*IO, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IO{In: in, Out: out, ErrOut: errOut, term: termenv.ANSI, dark: true}, in, out, errOut
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// SetTerminal marks standard output and error as terminals (or not). Tests
// use it to render what a person at a terminal would see.
func (s *IO) SetTerminal(out, errOut bool) {
	s.outTTY, s.errTTY = out, errOut
	s.styles, s.errStyle = nil, nil
}

// SetColor turns colour on or off for both streams; `--no-color` calls it
// with false, golden tests of terminal output with true.
func (s *IO) SetColor(enabled bool) {
	s.colorOut, s.colorErr = enabled, enabled
	s.styles, s.errStyle = nil, nil
}

// WithOut returns a copy of s whose standard output is w, with the same
// terminal and colour decisions: `listen` writes through a buffer this way.
func (s *IO) WithOut(w io.Writer) *IO {
	c := *s
	c.Out = w
	return &c
}

// Width is standard output's width in columns, where long report lines
// wrap; 0 when it is not a terminal (lines are not wrapped then).
func (s *IO) Width() int { return s.width }

// Styles returns the styles for standard output, built once from a
// renderer bound to it.
func (s *IO) Styles() *Styles {
	if s.styles == nil {
		s.styles = stylesFrom(newRenderer(s.Out, s.look(s.colorOut)))
	}
	return s.styles
}

// ErrStyles returns the styles for standard error, whose colour is decided
// separately: `cmd | less` still deserves a coloured warning on the terminal.
func (s *IO) ErrStyles() *Styles {
	if s.errStyle == nil {
		s.errStyle = stylesFrom(newRenderer(s.ErrOut, s.look(s.colorErr)))
	}
	return s.errStyle
}

// look is how a stream whose colour is on (or off) renders. A terminal
// whose TERM names no colours still gets the sixteen basic ones once colour
// is on (CLICOLOR_FORCE, an unknown TERM): every terminal draws those.
func (s *IO) look(color bool) look {
	switch {
	case !color:
		return look{profile: termenv.Ascii, dark: s.dark}
	case s.term == termenv.Ascii:
		return look{profile: termenv.ANSI, dark: s.dark}
	default:
		return look{profile: s.term, dark: s.dark}
	}
}

// JSON writes v as one line of JSON on standard output, for `--json` streams.
func (s *IO) JSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = append(SafeJSON(b), '\n')
	_, err = s.Out.Write(b)
	return err
}

// Warnf prints a warning on standard error, prefixed so it stands out from
// the results on standard output.
func (s *IO) Warnf(format string, args ...any) {
	s.prefixed(s.ErrStyles().Warn.Bold(true), "warning: ", sprintfln(format, args...))
}

// Notef prints a dimmed note on standard error: context the user may want,
// never a result.
func (s *IO) Notef(format string, args ...any) {
	_, _ = io.WriteString(s.ErrOut, s.ErrStyles().Dim.Render(sprintf(format, args...))+"\n")
}

// Errorf prints a one-line error on standard error, as `error: …`.
func (s *IO) Errorf(format string, args ...any) {
	s.prefixed(s.ErrStyles().Fail, "error: ", sprintfln(format, args...))
}

// prefixed writes a line on standard error behind a bold coloured label.
func (s *IO) prefixed(label lipgloss.Style, text, line string) {
	_, _ = io.WriteString(s.ErrOut, label.Render(text)+line)
}
