package render

import (
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// look is how one output stream renders: the colour profile (Ascii when
// colour is off) and whether the terminal's background is dark. It is
// decided once, in System, and applied to that stream's renderer.
type look struct {
	profile termenv.Profile
	dark    bool
}

// newRenderer returns a lipgloss renderer bound to w that renders as l
// says and never probes the terminal itself: its profile and background are
// set explicitly, so no escape query (OSC 11) is ever written or awaited.
func newRenderer(w io.Writer, l look) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(w, termenv.WithProfile(l.profile))
	r.SetColorProfile(l.profile)
	r.SetHasDarkBackground(l.dark)
	return r
}

// palette is every colour the output uses, each for three depths of
// terminal and two backgrounds. On a 16-colour terminal a colour is one of
// the terminal's own sixteen (its theme already suits the background), the
// same as before 256-colour support; 256-colour and truecolor terminals get
// shades chosen to read well on a dark or a light background.
type palette struct {
	green, red, amber, cyan, blue, brightBlue, magenta, grey lipgloss.CompleteAdaptiveColor
}

// shades builds one palette colour: its 16-colour index, then the 256-colour
// index and the RGB value for a dark and for a light background.
func shades(ansi, dark256, darkRGB, light256, lightRGB string) lipgloss.CompleteAdaptiveColor {
	return lipgloss.CompleteAdaptiveColor{
		Dark:  lipgloss.CompleteColor{ANSI: ansi, ANSI256: dark256, TrueColor: darkRGB},
		Light: lipgloss.CompleteColor{ANSI: ansi, ANSI256: light256, TrueColor: lightRGB},
	}
}

// colours returns the palette. On a dark background the shades are light
// enough to read on black; on a light one dark enough to read on white
// (each at least 4.5:1 against it).
func colours() palette {
	return palette{
		green:      shades("2", "78", "#5FD787", "28", "#1A7F37"),
		red:        shades("1", "203", "#FF5F5F", "160", "#CF222E"),
		amber:      shades("3", "221", "#FFD75F", "130", "#9A6700"),
		cyan:       shades("6", "80", "#5FD7D7", "23", "#0E7C86"),
		blue:       shades("4", "111", "#87AFFF", "25", "#0969DA"),
		brightBlue: shades("12", "111", "#87AFFF", "25", "#0969DA"),
		magenta:    shades("5", "176", "#D787D7", "127", "#8250DF"),
		grey:       shades("8", "245", "#8A8A8A", "243", "#6E7781"),
	}
}

// richer reports whether p has more than the sixteen theme colours.
func richer(p termenv.Profile) bool { return p == termenv.ANSI256 || p == termenv.TrueColor }

// terminalProfile is how many colours the terminal can show, from TERM and
// COLORTERM as termenv reads them (xterm-256color → 256, COLORTERM=truecolor
// → 24-bit, kitty, WezTerm…). Whether to colour at all is decide's
// question, not this one's.
func terminalProfile(getenv func(string) string) termenv.Profile {
	o := termenv.NewOutput(io.Discard, termenv.WithEnvironment(environ(getenv)),
		termenv.WithTTY(true), termenv.WithProfile(termenv.Ascii))
	return o.ColorProfile()
}

// darkBackground guesses the terminal's background from COLORFGBG
// ("fg;bg", set by rxvt, Konsole and others: "0;15" is black on white) and
// assumes dark without it. It never asks the terminal: an OSC 11 query
// costs a round trip at every start, waits up to termenv's 5 s on terminals
// that do not answer, and can swallow keys typed meanwhile; the palette
// reads on either background anyway, only less well.
func darkBackground(getenv func(string) string) bool {
	v := getenv("COLORFGBG")
	i := strings.LastIndexByte(v, ';')
	if i < 0 {
		return true
	}
	n, err := strconv.Atoi(v[i+1:])
	if err != nil || n < 0 || n > 255 {
		return true
	}
	var c termenv.Color = termenv.ANSI256Color(n)
	if n < 16 {
		c = termenv.ANSIColor(n)
	}
	_, _, l := termenv.ConvertToRGB(c).Hsl()
	return l < 0.5
}

// environ lets termenv read the environment through the injected getenv.
type environ func(string) string

func (e environ) Getenv(key string) string { return e(key) }

func (environ) Environ() []string { return nil }
