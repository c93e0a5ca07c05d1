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

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
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
func decide(outTTY, errTTY bool, getenv func(string) string) *IO {
	allowed := getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
	forced := getenv("CLICOLOR_FORCE") != "" && getenv("CLICOLOR_FORCE") != "0"
	return &IO{
		outTTY:   outTTY,
		errTTY:   errTTY,
		colorOut: allowed && (forced || outTTY),
		colorErr: allowed && (forced || errTTY),
	}
}

// Test returns an IO writing into buffers, with no terminal and no colour,
// plus the buffers for standard input, output and error.
func Test() (*IO, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IO{In: in, Out: out, ErrOut: errOut}, in, out, errOut
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

// Styles returns the styles for standard output.
func (s *IO) Styles() *Styles {
	if s.styles == nil {
		s.styles = newStyles(s.colorOut)
	}
	return s.styles
}

// ErrStyles returns the styles for standard error, whose colour is decided
// separately: `cmd | less` still deserves a coloured warning on the terminal.
func (s *IO) ErrStyles() *Styles {
	if s.errStyle == nil {
		s.errStyle = newStyles(s.colorErr)
	}
	return s.errStyle
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
	s.prefixed(color.FgYellow, "warning: ", sprintfln(format, args...))
}

// Notef prints a dimmed note on standard error: context the user may want,
// never a result.
func (s *IO) Notef(format string, args ...any) {
	_, _ = io.WriteString(s.ErrOut, s.ErrStyles().Dim.Render(sprintf(format, args...))+"\n")
}

// Errorf prints a one-line error on standard error, as `error: …`.
func (s *IO) Errorf(format string, args ...any) {
	s.prefixed(color.FgRed, "error: ", sprintfln(format, args...))
}

// prefixed writes a line on standard error behind a bold coloured label.
// fatih/color decides colour from stdout alone, so it is set per value from
// the decision made for stderr.
func (s *IO) prefixed(fg color.Attribute, label, line string) {
	prefix := color.New(fg, color.Bold)
	if s.colorErr {
		prefix.EnableColor()
	} else {
		prefix.DisableColor()
	}
	_, _ = prefix.Fprint(s.ErrOut, label)
	_, _ = io.WriteString(s.ErrOut, line)
}
