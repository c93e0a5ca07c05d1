package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/bytediff"
)

// TestBodyDiffSanitised: bytes around the difference come from outside and
// may hold terminal escapes or line breaks; they are shown escaped, and
// the hex marks the differing byte.
func TestBodyDiffSanitised(t *testing.T) {
	var out bytes.Buffer
	d := bytediff.Compare([]byte("{\"a\":\"\x1b[2J\r\n\"}"), []byte("{\"a\":\"\x1b[2J\n\"}"))
	BodyDiff(&out, newStyles(false), "got.json", "want.json", d)
	text := out.String()
	if strings.Contains(text, "\x1b") || strings.Contains(text, "\r") {
		t.Errorf("raw control bytes reached the output:\n%q", text)
	}
	for _, want := range []string{"differ from byte 10 (line 1, column 11)", `\u001b[2J\r\n`, "[0d]", "[0a]", `"\r" (0d) here and "\n" (0a)`} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	out.Reset()
	BodyDiff(&out, newStyles(false), "a\x1b.json", "b.json", bytediff.Compare([]byte("x"), []byte("x")))
	if !strings.Contains(out.String(), "identical") || strings.Contains(out.String(), "\x1b") {
		t.Errorf("identical: %q", out.String())
	}
}
