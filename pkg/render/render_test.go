package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/<name>, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./pkg/render -update` to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestColourDecision(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name     string
		outTTY   bool
		env      map[string]string
		wantOut  bool
		wantErr  bool
		errorTTY bool
	}{
		{"terminal", true, nil, true, true, true},
		{"piped", false, nil, false, false, false},
		{"piped stdout, terminal stderr", false, nil, false, true, true},
		{"NO_COLOR", true, map[string]string{"NO_COLOR": "1"}, false, false, true},
		{"TERM=dumb", true, map[string]string{"TERM": "dumb"}, false, false, true},
		{"CLICOLOR_FORCE", false, map[string]string{"CLICOLOR_FORCE": "1"}, true, true, false},
		{"CLICOLOR_FORCE=0", true, map[string]string{"CLICOLOR_FORCE": "0"}, true, true, true},
		// NO_COLOR and TERM=dumb win over CLICOLOR_FORCE, as the README says.
		{"CLICOLOR_FORCE with NO_COLOR", true, map[string]string{"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, false, false, true},
		{"CLICOLOR_FORCE with TERM=dumb", false, map[string]string{"CLICOLOR_FORCE": "1", "TERM": "dumb"}, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decide(tt.outTTY, tt.errorTTY, env(tt.env))
			if s.colorOut != tt.wantOut || s.colorErr != tt.wantErr {
				t.Errorf("decide() colour out=%v err=%v, want %v %v", s.colorOut, s.colorErr, tt.wantOut, tt.wantErr)
			}
		})
	}
}

func sampleReport() signature.Report {
	r, _ := signature.Assess([]byte(`{"foo": "bar"}`), "cc99bf5947391ddb0d0d9866f5b9d3a68e8b273c5ac8f699b4ae2399a7433118",
		signature.Secret{Value: "123456", Origin: signature.FromSecretFlag})
	return r
}

func TestVerifyReportPlain(t *testing.T) {
	io, _, out, _ := Test()
	VerifyReport(out, io.Styles(), "", sampleReport())
	if strings.Contains(out.String(), "\x1b[") {
		t.Errorf("plain output has escape codes")
	}
	golden(t, "TestVerifyReport.golden", out.Bytes())
}

func TestVerifyReportTTY(t *testing.T) {
	io, _, out, _ := Test()
	io.SetTerminal(true, true)
	io.SetColor(true)
	VerifyReport(out, io.Styles(), "", sampleReport())
	if !strings.Contains(out.String(), "\x1b[") {
		t.Errorf("terminal output has no colour")
	}
	golden(t, "TestVerifyReport.tty.golden", out.Bytes())
}

func TestPrettyJSON(t *testing.T) {
	plain := newStyles(false)
	got := string(plain.PrettyJSON([]byte(`{"b":1,"a":"https:\/\/x"}`)))
	if got != "{\n  \"b\": 1,\n  \"a\": \"https:\\/\\/x\"\n}\n" {
		t.Errorf("PrettyJSON = %q", got)
	}
	if got := string(plain.PrettyJSON([]byte("not json"))); got != "not json" {
		t.Errorf("PrettyJSON(not json) = %q, want it unchanged", got)
	}
	if !strings.Contains(string(newStyles(true).PrettyJSON([]byte(`{"a":1}`))), "\x1b[") {
		t.Errorf("coloured PrettyJSON has no colour")
	}
}

func TestStatusText(t *testing.T) {
	st := newStyles(false)
	for code, want := range map[int]string{200: "200 OK", 204: "204 No Content", 599: "599"} {
		if got := st.StatusText(code); got != want {
			t.Errorf("StatusText(%d) = %q, want %q", code, got, want)
		}
	}
}
