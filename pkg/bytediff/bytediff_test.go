package bytediff

import (
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name              string
		body, other       string
		equal             bool
		offset, line, col int
		summary           string
	}{
		{"identical", `{"a":1}`, `{"a":1}`, true, 7, 0, 0, ""},
		{"slash unescaped", `{"u":"https://x"}`, `{"u":"https:\/\/x"}`, false, 12, 1, 13, `byte 12 is "/" (2f) here and "\" (5c) in the original`},
		{"newline added", "{\"a\":1}\n", `{"a":1}`, false, 7, 1, 8, `this body has 1 more bytes at the end: "\n"`},
		{"truncated", `{"a":1`, `{"a":1}`, false, 6, 1, 7, `stops 1 bytes short of the original's end, which goes on with "}"`},
		{"second line", "{\n  \"a\": 1\r\n}", "{\n  \"a\": 1\n}", false, 10, 2, 9, `byte 10 is "\r" (0d) here and "\n" (0a) in the original`},
		{"empty", "", "x", false, 0, 1, 1, `stops 1 bytes short`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compare([]byte(tt.body), []byte(tt.other))
			if r.Equal != tt.equal || r.Offset != tt.offset || !tt.equal && (r.Line != tt.line || r.Column != tt.col) || !strings.Contains(r.Summary, tt.summary) {
				t.Errorf("Compare(%q, %q) = %+v; want equal %v at offset %d, line %d column %d, summary with %q", tt.body, tt.other, r, tt.equal, tt.offset, tt.line, tt.col, tt.summary)
			}
		})
	}
}

func TestCompareContextWindow(t *testing.T) {
	body := strings.Repeat("a", 40) + "X" + strings.Repeat("b", 40)
	other := strings.Repeat("a", 40) + "Y" + strings.Repeat("b", 40)
	r := Compare([]byte(body), []byte(other))
	if r.Start != 40-Window || string(r.Context) != strings.Repeat("a", Window)+"X"+strings.Repeat("b", Window-1) || r.OtherContext[Window] != 'Y' {
		t.Errorf("context: start %d, %q / %q", r.Start, r.Context, r.OtherContext)
	}
}

func FuzzCompare(f *testing.F) {
	f.Add([]byte(`{"a":1}`), []byte(`{"a":2}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		r := Compare(a, b)
		if r.Equal != (string(a) == string(b)) {
			t.Fatalf("Equal = %v for %q and %q", r.Equal, a, b)
		}
		if !r.Equal && (r.Offset > len(a) || r.Offset > len(b) || r.Offset < len(a) && r.Offset < len(b) && a[r.Offset] == b[r.Offset]) {
			t.Fatalf("offset %d is not the first difference of %q and %q", r.Offset, a, b)
		}
	})
}

func TestShow(t *testing.T) {
	for in, want := range map[string]string{
		`{"u":"https:\/\/x"}`: `{"u":"https:\/\/x"}`,
		"a\r\n\tb":            `a\r\n\tb`,
		"\x1b[2J":             `\u001b[2J`,
		"\xff":                `\xff`,
		"José \u0085":         `José \u0085`,
	} {
		if got := Show([]byte(in)); got != want {
			t.Errorf("Show(%q) = %q, want %q", in, got, want)
		}
	}
}
