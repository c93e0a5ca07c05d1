package render

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

var profiles = []struct {
	name    string
	profile termenv.Profile
}{
	{"Ascii", termenv.Ascii},
	{"ANSI", termenv.ANSI},
	{"ANSI256", termenv.ANSI256},
	{"TrueColor", termenv.TrueColor},
}

// styledLines renders one of each styled thing the printers use, quoted so
// the golden file shows every escape byte.
func styledLines(p termenv.Profile, dark bool) string {
	st := stylesFrom(newRenderer(io.Discard, look{profile: p, dark: dark}))
	var errOut bytes.Buffer
	s := &IO{ErrOut: &errOut, colorErr: p != termenv.Ascii, term: p, dark: dark}
	s.Warnf("odd payload")
	s.Errorf("no secret")
	lines := []string{
		st.StatusText(200), st.StatusText(204), st.StatusText(503),
		st.Tick(), st.Cross(), st.Bang(),
		st.Dim.Render("12ms"), st.ID.Render("01KB2Y5X0Q3W7F8G9H0J1K2M3P"), st.Bold.Render("listening"),
		st.Key.Render("guest"),
		string(st.PrettyJSON([]byte(`{"s":"a\nb","n":1,"t":true,"f":false,"z":null}`))),
		errOut.String(),
	}
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%q\n", l)
	}
	return b.String()
}

func TestPaletteGolden(t *testing.T) {
	var out bytes.Buffer
	for _, pr := range profiles {
		for _, dark := range []bool{true, false} {
			fmt.Fprintf(&out, "== %s dark=%v ==\n%s", pr.name, dark, styledLines(pr.profile, dark))
		}
	}
	golden(t, "TestPalette.golden", out.Bytes())
}

// TestPaletteSixteenUnchanged pins what 16-colour terminals got before the
// palette: the terminal's own colours, whatever the background.
func TestPaletteSixteenUnchanged(t *testing.T) {
	if dark, light := styledLines(termenv.ANSI, true), styledLines(termenv.ANSI, false); dark != light {
		t.Errorf("16-colour output depends on the background:\n%s\n%s", dark, light)
	}
	st := newStyles(true)
	for _, tt := range []struct{ got, want string }{
		{st.StatusText(200), "\x1b[32m200 OK\x1b[0m"},
		{st.Cross(), "\x1b[1;31m✗\x1b[0m"},
		{st.Dim.Render("12ms"), "\x1b[2m12ms\x1b[0m"},
		{st.ID.Render("id"), "\x1b[36mid\x1b[0m"},
		{st.Key.Render("k"), "\x1b[34mk\x1b[0m"},
		{st.Warn.Render("204"), "\x1b[33m204\x1b[0m"},
	} {
		if tt.got != tt.want {
			t.Errorf("16-colour style = %q, want %q", tt.got, tt.want)
		}
	}
}

// TestPaletteAdapts checks that richer terminals get their own shades and
// that these differ between a dark and a light background.
func TestPaletteAdapts(t *testing.T) {
	for _, p := range []termenv.Profile{termenv.ANSI256, termenv.TrueColor} {
		dark, light := styledLines(p, true), styledLines(p, false)
		if dark == light {
			t.Errorf("profile %v: same output on dark and light backgrounds", p)
		}
		if dark == styledLines(termenv.ANSI, true) {
			t.Errorf("profile %v: same output as 16 colours", p)
		}
	}
	want := map[termenv.Profile]string{termenv.ANSI256: "\x1b[38;5;78m", termenv.TrueColor: "\x1b[38;2;95;215;135m"}
	for p, seq := range want {
		if got := stylesFrom(newRenderer(io.Discard, look{profile: p, dark: true})).Tick(); !strings.HasPrefix(got, seq) {
			t.Errorf("profile %v: Tick() = %q, want it to start %q", p, got, seq)
		}
	}
}

// luminance is the WCAG relative luminance of c.
func luminance(c termenv.Color) float64 {
	rgb := termenv.ConvertToRGB(c)
	lin := func(v float64) float64 {
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(rgb.R) + 0.7152*lin(rgb.G) + 0.0722*lin(rgb.B)
}

func contrast(a, b float64) float64 { return (math.Max(a, b) + 0.05) / (math.Min(a, b) + 0.05) }

// TestPaletteContrast checks every shade for 256-colour and truecolor
// terminals reads against its background: at least 4.5:1 (WCAG AA) against
// black for the dark shades and against white for the light ones.
func TestPaletteContrast(t *testing.T) {
	c := colours()
	for name, tone := range map[string]lipgloss.CompleteAdaptiveColor{
		"green": c.green, "red": c.red, "amber": c.amber, "cyan": c.cyan, "blue": c.blue,
		"brightBlue": c.brightBlue, "magenta": c.magenta, "grey": c.grey,
	} {
		for _, bg := range []struct {
			shade lipgloss.CompleteColor
			lum   float64
		}{{tone.Dark, 0}, {tone.Light, 1}} {
			for p, v := range map[termenv.Profile]string{termenv.ANSI256: bg.shade.ANSI256, termenv.TrueColor: bg.shade.TrueColor} {
				col := p.Color(v)
				if col == nil {
					t.Fatalf("%s: %q is not a colour of profile %v", name, v, p)
				}
				if r := contrast(luminance(col), bg.lum); r < 4.5 {
					t.Errorf("%s %q on background luminance %v: contrast %.2f, want at least 4.5", name, v, bg.lum, r)
				}
			}
		}
	}
}

func TestDarkBackground(t *testing.T) {
	tests := []struct {
		colorfgbg string
		want      bool
	}{
		{"", true},              // unknown: dark, the common default
		{"15;0", true},          // white on black
		{"0;15", false},         // black on white
		{"0;default;15", false}, // rxvt's three fields: the background is last
		{"0;7", false},          // black on light grey
		{"7;default", true},     // no number: dark
		{"0;231", false},        // a 256-colour white
		{"15;234", true},        // a 256-colour near black
		{"0;999", true},         // out of range: dark
		{"garbage", true},
	}
	for _, tt := range tests {
		t.Run(tt.colorfgbg, func(t *testing.T) {
			env := func(k string) string { return map[string]string{"COLORFGBG": tt.colorfgbg}[k] }
			if got := darkBackground(env); got != tt.want {
				t.Errorf("darkBackground(COLORFGBG=%q) = %v, want %v", tt.colorfgbg, got, tt.want)
			}
		})
	}
}

func TestTerminalProfile(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want termenv.Profile
	}{
		{"no TERM", nil, termenv.Ascii},
		{"xterm", map[string]string{"TERM": "xterm"}, termenv.ANSI},
		{"xterm-256color", map[string]string{"TERM": "xterm-256color"}, termenv.ANSI256},
		{"COLORTERM=truecolor", map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}, termenv.TrueColor},
		{"kitty", map[string]string{"TERM": "xterm-kitty"}, termenv.TrueColor},
		// CI says nothing about the terminal's depth: the TERM still does.
		{"CI", map[string]string{"TERM": "xterm-256color", "CI": "1"}, termenv.ANSI256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := terminalProfile(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("terminalProfile(%v) = %v, want %v", tt.env, got, tt.want)
			}
		})
	}
}

// TestStreamLook checks the colour decision is what a stream renders with:
// off is Ascii whatever the terminal, on is at least the sixteen colours.
func TestStreamLook(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name           string
		outTTY, errTTY bool
		env            map[string]string
		out, err       look
	}{
		{"256-colour terminal, light", true, true, map[string]string{"TERM": "xterm-256color", "COLORFGBG": "0;15"},
			look{termenv.ANSI256, false}, look{termenv.ANSI256, false}},
		{"piped stdout", false, true, map[string]string{"COLORTERM": "truecolor"},
			look{termenv.Ascii, true}, look{termenv.TrueColor, true}},
		{"NO_COLOR", true, true, map[string]string{"TERM": "xterm-256color", "NO_COLOR": "1"},
			look{termenv.Ascii, true}, look{termenv.Ascii, true}},
		{"CLICOLOR_FORCE, no TERM", false, false, map[string]string{"CLICOLOR_FORCE": "1"},
			look{termenv.ANSI, true}, look{termenv.ANSI, true}},
		{"xterm", true, true, map[string]string{"TERM": "xterm", "COLORFGBG": "15;0"},
			look{termenv.ANSI, true}, look{termenv.ANSI, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decide(tt.outTTY, tt.errTTY, env(tt.env))
			if got := s.look(s.colorOut); got != tt.out {
				t.Errorf("stdout look = %+v, want %+v", got, tt.out)
			}
			if got := s.look(s.colorErr); got != tt.err {
				t.Errorf("stderr look = %+v, want %+v", got, tt.err)
			}
		})
	}
}

// TestRendererNeverProbes checks the renderer keeps the decided profile and
// background, so lipgloss never queries the terminal (it would write an
// OSC 11 query to the stream and wait for the answer).
func TestRendererNeverProbes(t *testing.T) {
	for _, pr := range profiles {
		for _, dark := range []bool{true, false} {
			var w bytes.Buffer
			r := newRenderer(&w, look{profile: pr.profile, dark: dark})
			_ = stylesFrom(r).Tick()
			if r.ColorProfile() != pr.profile || r.HasDarkBackground() != dark || w.Len() != 0 {
				t.Errorf("renderer(%s, dark=%v): profile %v, dark %v, wrote %q", pr.name, dark, r.ColorProfile(), r.HasDarkBackground(), w.String())
			}
		}
	}
}

// TestNoColourAnyTerminal checks that with colour off (NO_COLOR, TERM=dumb,
// --no-color) nothing on either stream carries an escape byte, whatever the
// terminal could show.
func TestNoColourAnyTerminal(t *testing.T) {
	for _, tt := range []struct {
		env     map[string]string
		noColor bool // --no-color
	}{
		{map[string]string{"NO_COLOR": "1", "COLORTERM": "truecolor", "COLORFGBG": "0;15"}, false},
		{map[string]string{"TERM": "dumb", "CLICOLOR_FORCE": "1"}, false},
		{map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}, true},
	} {
		s := decide(true, true, func(k string) string { return tt.env[k] })
		var out, errOut bytes.Buffer
		s.Out, s.ErrOut = &out, &errOut
		if tt.noColor {
			s.SetColor(false)
		}
		st := s.Styles()
		out.WriteString(st.StatusText(200) + st.StatusText(503) + st.Mark(true) + st.Bang() + st.Dim.Render("x") +
			st.ID.Render("x") + st.Key.Render("x") + st.Bold.Render("x") + string(st.PrettyJSON([]byte(`{"a":[1,true,null,"b"]}`))))
		s.Warnf("w")
		s.Errorf("e")
		s.Notef("n")
		if bytes.ContainsRune(out.Bytes(), 0x1b) || bytes.ContainsRune(errOut.Bytes(), 0x1b) {
			t.Errorf("env %v, --no-color %v: escape bytes in %q / %q", tt.env, tt.noColor, out.String(), errOut.String())
		}
	}
}

// BenchmarkStartStyles is what colour costs a command at start: the
// decision from the environment and both streams' styles.
func BenchmarkStartStyles(b *testing.B) {
	env := map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor", "COLORFGBG": "0;15"}
	for b.Loop() {
		s := decide(true, true, func(k string) string { return env[k] })
		s.Out, s.ErrOut = io.Discard, io.Discard
		_, _ = s.Styles(), s.ErrStyles()
	}
}
