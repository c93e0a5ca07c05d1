package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/input"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
)

// cliResult is what a user sees from one run.
type cliResult struct {
	code   int
	stdout string
	stderr string
}

// testDeps returns dependencies with buffers, a fixed clock, fixed entropy
// and an empty environment, so output is byte-stable.
func testDeps(t *testing.T, env map[string]string) (*Deps, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	rio, in, out, errOut := render.Test()
	d := &Deps{
		IO:       rio,
		Now:      func() time.Time { return time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC) },
		Entropy:  bytes.NewReader(bytes.Repeat([]byte{7}, 1<<16)),
		Getenv:   testGetenv(env),
		Fixtures: fixtures.FS,
		Build:    BuildInfo{Version: "test"},
		Clock:    clock.NewVirtual(time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC)),
	}
	d.ReadFile = func(ctx context.Context, name string, limit int64) ([]byte, error) {
		return input.ReadFile(ctx, name, bytes.NewReader(in.Bytes()), limit)
	}
	d.Open = func(ctx context.Context, name string) (io.ReadCloser, error) {
		return input.Open(ctx, name, bytes.NewReader(in.Bytes()))
	}
	return d, in, out, errOut
}

// testGetenv reads env, where a listen's inspector defaults to a port the
// OS picks: a test never binds the fixed 127.0.0.1:4040.
func testGetenv(env map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := env[k]; ok || k != envUI {
			return v
		}
		return "127.0.0.1:0"
	}
}

func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) cliResult {
	t.Helper()
	d, in, out, errOut := testDeps(t, env)
	in.WriteString(stdin)
	code := Execute(context.Background(), d, args...)
	return cliResult{code, out.String(), errOut.String()}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const docSig = "cc99bf5947391ddb0d0d9866f5b9d3a68e8b273c5ac8f699b4ae2399a7433118"

func TestSecret(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string
		stderrHas  string
		stderrNone bool
	}{
		{"prints only the secret", []string{"secret", "user@example.com"}, 0, "dXNlckBleGFtcGxlLmNvbQ==\n", "", true},
		{"decode", []string{"secret", "--decode", "dXNlckBleGFtcGxlLmNvbQ=="}, 0, "user@example.com\n", "", true},
		{"mixed case warns on stderr", []string{"secret", "User@Example.com"}, 0, "VXNlckBFeGFtcGxlLmNvbQ==\n", "capital letters", false},
		{"whitespace warns", []string{"secret", " user@example.com"}, 0, "IHVzZXJAZXhhbXBsZS5jb20=\n", "whitespace", false},
		{"no email is a usage error", []string{"secret"}, 2, "", "missing email", false},
		{"bad base64", []string{"secret", "--decode", "%%%"}, 2, "", "not base64", false},
		{"unknown flag", []string{"secret", "--nope"}, 2, "", "unknown flag", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", tt.args...)
			if r.code != tt.code || r.stdout != tt.stdout {
				t.Errorf("%v: code %d stdout %q, want %d %q (stderr %q)", tt.args, r.code, r.stdout, tt.code, tt.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.stderrHas) || tt.stderrNone && r.stderr != "" {
				t.Errorf("%v: stderr %q, want it to contain %q", tt.args, r.stderr, tt.stderrHas)
			}
		})
	}
}

func TestSecretExplain(t *testing.T) {
	r := runCLI(t, nil, "", "secret", "--explain", "user@example.com")
	for _, want := range []string{"dXNlckBleGFtcGxlLmNvbQ==", "75 73 65 72", "echo", "decoded", "printf"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("secret --explain output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestSign(t *testing.T) {
	body := writeFile(t, "body.json", `{"foo":"bar"}`)
	r := runCLI(t, nil, "", "sign", "--file", body, "--secret", "123456")
	if r.code != 0 || r.stdout != docSig+"\n" {
		t.Errorf("sign = %d %q, want 0 and the doc signature", r.code, r.stdout)
	}
	r = runCLI(t, nil, `{"foo":"bar"}`, "sign", "-f", "-", "--secret", "123456")
	if r.stdout != docSig+"\n" {
		t.Errorf("sign from stdin = %q", r.stdout)
	}
	r = runCLI(t, nil, "", "sign", "-f", body, "--secret", "123456", "--curl", "http://127.0.0.1:5000/webhooks/hospitable")
	for _, want := range []string{"--data-binary '@" + body + "'", "'Signature: " + docSig + "'", "'Content-Type: application/json'", "'http://127.0.0.1:5000/webhooks/hospitable'"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sign --curl lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runCLI(t, nil, "", "sign", "-f", body, "--curl", "localhost:5000")
	if r.code != 2 || !strings.Contains(r.stderr, "absolute http") {
		t.Errorf("sign --curl with a bad URL = %d %q", r.code, r.stderr)
	}
	r = runCLI(t, nil, "", "sign", "-f", body)
	if !strings.Contains(r.stderr, "development secret") || strings.Contains(r.stdout, "development") {
		t.Errorf("the development secret must be announced on stderr only: stdout %q stderr %q", r.stdout, r.stderr)
	}
}

func TestVerifyExitCodes(t *testing.T) {
	compact := writeFile(t, "compact.json", `{"foo":"bar"}`)
	spaced := writeFile(t, "spaced.json", `{"foo": "bar"}`)
	tests := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"valid", []string{"verify", "-f", compact, "-s", docSig, "--secret", "123456"}, 0, "valid signature", ""},
		{"invalid with reason", []string{"verify", "-f", spaced, "-s", docSig, "--secret", "123456"}, 1, "covers compact JSON", ""},
		{"bad hex", []string{"verify", "-f", compact, "-s", "xyz", "--secret", "123456"}, 2, "", "64 lowercase hex"},
		{"missing file", []string{"verify", "-f", "/nonexistent/body.json", "-s", docSig}, 2, "", "no such file"},
		{"no signature", []string{"verify", "-f", compact}, 2, "", "missing `--signature`"},
		{"no file", []string{"verify", "-s", docSig}, 2, "", "missing `--file`"},
		{"secret and email together", []string{"verify", "-f", compact, "-s", docSig, "--secret", "a", "--email", "b@c"}, 2, "", "cannot be used together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.out) || !strings.Contains(r.stderr, tt.err) {
				t.Errorf("%v = %d\nstdout %q\nstderr %q\nwant %d, stdout with %q, stderr with %q", tt.args, r.code, r.stdout, r.stderr, tt.code, tt.out, tt.err)
			}
			if tt.code == 2 && r.stdout != "" {
				t.Errorf("usage errors print nothing on stdout, got %q", r.stdout)
			}
		})
	}
}

func TestVerifyJSON(t *testing.T) {
	spaced := writeFile(t, "spaced.json", `{"foo": "bar"}`)
	r := runCLI(t, map[string]string{"HOSPITABLE_WEBHOOK_SECRET": "123456"}, "", "verify", "-f", spaced, "-s", docSig, "--json")
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("verify --json printed %q: %v", r.stdout, err)
	}
	for _, k := range []string{"valid", "body_length", "body_sha256", "signature", "expected", "secret", "secret_origin", "finding", "reason", "fix"} {
		if _, ok := got[k]; !ok {
			t.Errorf("verify --json lacks %q: %s", k, r.stdout)
		}
	}
	if got["valid"] != false || got["secret_origin"] != "HOSPITABLE_WEBHOOK_SECRET" || strings.Contains(r.stdout, "123456") {
		t.Errorf("verify --json = %s", r.stdout)
	}
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
}

func TestVerifyCaptureFile(t *testing.T) {
	good := `{"received_at":"2026-11-28T09:35:24Z","method":"POST","path":"/","remote_addr":"127.0.0.1:1","headers":{"Signature":["` + docSig + `"]},"body":"{\"foo\":\"bar\"}","verified":true,"status":200}`
	bad := `{"received_at":"2026-11-28T09:35:24Z","method":"POST","path":"/","remote_addr":"127.0.0.1:1","headers":{"Signature":["` + docSig + `"]},"body":"{\"foo\":\"bar\"}\n","verified":false,"status":401}`
	file := writeFile(t, "capture.jsonl", good+"\n"+bad+"\n"+`{"torn`)
	r := runCLI(t, nil, "", "verify", "-f", file, "--secret", "123456")
	if r.code != 1 {
		t.Errorf("exit %d, want 1 since line 2 fails", r.code)
	}
	if !strings.Contains(r.stdout, "2 checked, 1 valid, 1 invalid") || !strings.Contains(r.stdout, "newline") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "line 3") {
		t.Errorf("the torn line is not reported with its number: %q", r.stderr)
	}
	file = writeFile(t, "capture.jsonl", good+"\n")
	if r := runCLI(t, nil, "", "verify", "-f", file, "--secret", "123456"); r.code != 0 {
		t.Errorf("a valid capture exits %d", r.code)
	}
}
