package render

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// rawUnsafe returns the first character in s that must not reach a
// terminal as it is (allowing line feeds and tabs when block), or -1.
func rawUnsafe(s string, block bool) rune {
	marks := 0
	for _, r := range s {
		if block && (r == '\n' || r == '\t') {
			marks = 0
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return r
		}
		if unicode.In(r, unicode.Mn, unicode.Me) {
			if marks++; marks > maxMarks {
				return r
			}
		} else {
			marks = 0
		}
	}
	return -1
}

func TestSafe(t *testing.T) {
	storm := "e" + strings.Repeat("\u0301", 10)
	tests := []struct{ in, want string }{
		{"reservation.created", "reservation.created"},
		{"José 🙂 日本", "José 🙂 日本"},
		{"a\x1b[2Jb", `a\x1b[2Jb`},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"line\r✓ valid signature", `line\x0d✓ valid signature`},
		{"a\nb\tc", `a\x0ab\x09c`},
		{"\x7f\u0085\u009b31m", `\x7f\x85\x9b31m`},
		{"invoice\u202egnp.exe", `invoice\u202egnp.exe`},
		{"\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c", `\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c`},
		{"zero\u200bwidth\u200c\u200d\u2060\ufeff", `zero\u200bwidth\u200c\u200d\u2060\ufeff`},
		{"a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"tag\U000e0041", `tag\U000e0041`},
		{storm, "e" + strings.Repeat("\u0301", 6) + strings.Repeat(`\u0301`, 4)},
		{"Vie\u0323\u0302t", "Vie\u0323\u0302t"},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		if got := Safe(tt.in); got != tt.want {
			t.Errorf("Safe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := SafeBlock("a\r\nb\tc\rd\x1b"), "a\nb\tc\\x0dd\\x1b"; got != want {
		t.Errorf("SafeBlock() = %q, want %q", got, want)
	}
}

func TestSafeJSON(t *testing.T) {
	v := map[string]string{"action": "a\u009b31m\u202e\u200b\u2028\x7f\x1b" + "e" + strings.Repeat("\u0301", 9) + "🙂\U000e0041"}
	b, _ := json.Marshal(v)
	got := SafeJSON(b)
	if r := rawUnsafe(string(got), false); r >= 0 {
		t.Fatalf("SafeJSON() = %s, still carries %U raw", got, r)
	}
	var back map[string]string
	if err := json.Unmarshal(got, &back); err != nil || back["action"] != v["action"] {
		t.Fatalf("SafeJSON() = %s, decodes to %q, %v; want the same value", got, back["action"], err)
	}
	if !strings.Contains(string(got), `\u009b31m\u202e\u200b\u2028\u007f\u001b`) || !strings.Contains(string(got), `\udb40\udc41`) {
		t.Errorf("SafeJSON() = %s, want the characters as \\u escapes", got)
	}
}

func TestSafeXML(t *testing.T) {
	type doc struct {
		Name string `xml:"name,attr"`
		Text string `xml:",chardata"`
	}
	in := doc{Name: "a\u202eb\u0085", Text: "x\u200by\u009b"}
	b, _ := xml.Marshal(in)
	got := SafeXML(b)
	if r := rawUnsafe(string(got), false); r >= 0 {
		t.Fatalf("SafeXML() = %s, still carries %U raw", got, r)
	}
	var back doc
	if err := xml.Unmarshal(got, &back); err != nil || back != in {
		t.Fatalf("SafeXML() = %s, decodes to %+v, %v; want %+v", got, back, err, in)
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://user:s3cret@example.com/hook?x=1", "https://user:xxxxx@example.com/hook?x=1"},
		{"http://127.0.0.1:5000/webhooks/hospitable", "http://127.0.0.1:5000/webhooks/hospitable"},
		{"https://token@example.com/", "https://token@example.com/"},
		{"http://user:p%zz@host/x", "http://user:xxxxx@host/x"},
		{"http://u:pw@host/\x1b[2J", `http://u:xxxxx@host/\x1b[2J`},
	}
	for _, tt := range tests {
		if got := SafeURL(tt.in); got != tt.want {
			t.Errorf("SafeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShellQuoteKeepsBytesEscapesTerminal(t *testing.T) {
	if got := ShellQuote(`{"a":"it's"}`); got != `'{"a":"it'\''s"}'` {
		t.Errorf("ShellQuote(plain) = %s", got)
	}
	got := ShellQuote("a\x1b[2J'\\\u202e\n")
	if want := `$'a\x1b[2J\'\\\xe2\x80\xae` + "\n'"; got != want {
		t.Errorf("ShellQuote(hostile) = %q, want %q", got, want)
	}
}

// FuzzSafe: whatever the input, Safe and SafeBlock output is UTF-8 with no
// raw control, format (bidi, zero-width) or separator character and no
// run of combining marks past the cap, and sanitising twice changes
// nothing more. SafeJSON keeps a JSON string's value.
func FuzzSafe(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[31mred", "\u202eevil", "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301", "\xff\xfe", "a\r\nb", "\u009b\u200b\u2028\ufeff", "\\x1b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, block := range []bool{false, true} {
			out := sanitize(s, block, -1)
			if !utf8.ValidString(out) {
				t.Fatalf("sanitize(%q, %v) = %q, not UTF-8", s, block, out)
			}
			if r := rawUnsafe(out, block); r >= 0 {
				t.Fatalf("sanitize(%q, %v) = %q, carries %U", s, block, out, r)
			}
			if again := sanitize(out, block, -1); again != out {
				t.Fatalf("sanitize twice (%v): %q then %q", block, out, again)
			}
		}
		if !utf8.ValidString(s) {
			return
		}
		b, _ := json.Marshal(s)
		got := SafeJSON(b)
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != s {
			t.Fatalf("SafeJSON(%s) = %s, decodes to %q, %v", b, got, back, err)
		}
		if r := rawUnsafe(string(got), false); r >= 0 {
			t.Fatalf("SafeJSON(%s) = %s, carries %U", b, got, r)
		}
	})
}
