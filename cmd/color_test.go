package cmd

import (
	"context"
	"strings"
	"testing"
)

// TestNoColorFlag runs commands whose output is styled on both streams
// (a pretty-printed payload, a signature report, a warning, an error) on a
// colour terminal: with --no-color not one escape byte is printed, without
// it both streams are coloured.
func TestNoColorFlag(t *testing.T) {
	body := writeFile(t, "body.json", `{"foo": "bar"}`)
	for _, args := range [][]string{
		{"fixtures", "show", "reservation.created"},
		{"verify", "-f", body, "-s", docSig, "--secret", "123456"},
		{"verify", "-f", body, "-s", docSig, "--secret", "wrong"},
		{"secret", "User@Example.com"},
		// cobra's own errors, raised before any command runs
		{"send", "--bogus"},
		{"send", "no.such-action"},
		{"verify", "extra-argument"},
	} {
		for _, noColor := range []bool{false, true} {
			d, _, out, errOut := testDeps(t, nil)
			d.IO.SetTerminal(true, true)
			d.IO.SetColor(true)
			argv := args
			if noColor {
				argv = append([]string{"--no-color"}, args...)
			}
			Execute(context.Background(), d, argv...)
			got := out.String() + errOut.String()
			if has := strings.Contains(got, "\x1b"); has == noColor {
				t.Errorf("%q: escape bytes %v, want %v:\n%s", argv, has, !noColor, got)
			}
		}
	}
}
