package listener

import (
	"strings"
	"testing"
)

func TestParseScript(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{"500,500,timeout,200", "500,500,timeout,200", ""},
		{" 503 , TIMEOUT ", "503,timeout", ""},
		{"200", "200", ""},
		{"", "", "empty script"},
		{"500,,200", "", `answer 2 is ""`},
		{"500,abc", "", `answer 2 is "abc"`},
		{"99", "", "200 to 599"},
		{"600", "", "200 to 599"},
		{"100", "", "answer 1 is 100: a 1xx status is an interim answer"},
		{"500,101", "", "answer 2 is 101: a 1xx status"},
		{"199", "", "cannot be scripted"},
		{"103,200", "", "use a final status from 200 to 599"},
		{"+200", "", ""},
		{strings.Repeat("200,", 100) + "200", "", "at most 100"},
	}
	for _, tt := range tests {
		got, err := ParseScript(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseScript(%q) error = %v, want %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && tt.want != "" && (err != nil || got.String() != tt.want):
			t.Errorf("ParseScript(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestScriptAt(t *testing.T) {
	s, _ := ParseScript("500,timeout,200")
	for n, want := range map[int]string{0: "500", 1: "500", 2: "timeout", 3: "200", 9: "200"} {
		if got := s.At(n).String(); got != want {
			t.Errorf("At(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestBytes(t *testing.T) {
	for in, want := range map[string]int64{"5MiB": 5 << 20, "512KiB": 512 << 10, "5 MB": 5 << 20, "1000": 1000, "10k": 10 << 10} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "-1", "5GiB!", "x", "1.5MiB"} {
		if _, err := ParseBytes(bad); err == nil {
			t.Errorf("ParseBytes(%q) = nil error", bad)
		}
	}
	if FormatBytes(5<<20) != "5 MiB" || FormatBytes(1536) != "1536 B" {
		t.Errorf("FormatBytes")
	}
}

func FuzzScript(f *testing.F) {
	for _, s := range []string{"500,500,timeout,200", "", ",", "timeout", "999", "200,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		script, err := ParseScript(s)
		if err != nil {
			return
		}
		for _, st := range script {
			if !st.Timeout && (st.Status < 200 || st.Status > 599) {
				t.Fatalf("ParseScript(%q) accepted status %d", s, st.Status)
			}
		}
		again, err := ParseScript(script.String())
		if err != nil || again.String() != script.String() {
			t.Fatalf("round trip of %q: %q, %v", s, again, err)
		}
		_ = script.At(len(script) + 3)
	})
}

// FuzzParseBytes checks that any --max-body either fails cleanly or gives
// a positive limit of at most 1 TiB that FormatBytes writes back to itself.
func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"5MiB", "512KiB", "5 MB", "1000", "10k", "", "0", "-1", "1.5MiB", "1099511627776", "1048577MiB", "9223372036854775807B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseBytes(s)
		if err != nil {
			return
		}
		if n <= 0 || n > 1<<40 {
			t.Fatalf("ParseBytes(%q) = %d, want 1 B to 1 TiB", s, n)
		}
		back, err := ParseBytes(strings.ReplaceAll(FormatBytes(n), " ", ""))
		if err != nil || back != n {
			t.Fatalf("ParseBytes(FormatBytes(%d) = %q) = %d, %v", n, FormatBytes(n), back, err)
		}
	})
}
