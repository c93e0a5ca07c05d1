package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	r := runCLI(t, nil, "", "demo")
	if r.code != 0 {
		t.Fatalf("demo = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"1/4 A local endpoint", "listening on http://127.0.0.1:", "built-in development secret",
		"2/4 Every action, signed", "✓ review.created", "11 of 11 answered 200 and verified",
		"3/4 A forged delivery", "✗ forged: signature does not match", "← 401 Unauthorized", "refused with 401 and counted as forged",
		"4/4 Hospitable's retries", "#1  T+0s        500", "#2  T+1s        500", "#3  T+6s        200", "200 OK: delivered",
		"as attempt 1 ← 500, attempt 2 ← 500, attempt 3 ← 200", "delivered on attempt 3 at T+6s",
		"all 4 steps behaved as expected in 0ms",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.stderr != "" {
		t.Errorf("demo wrote to stderr: %q", r.stderr)
	}
}

func TestDemoJSON(t *testing.T) {
	r := runCLI(t, nil, "", "demo", "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 5 {
		t.Fatalf("demo --json = %d, %d lines:\n%s", r.code, len(lines), r.stdout)
	}
	for i, name := range []string{"listen", "send", "forged", "retry"} {
		var step struct {
			Type, Name string
			Step       int
			OK         bool
			Problems   []string
		}
		if err := json.Unmarshal([]byte(lines[i]), &step); err != nil || step.Type != "step" || step.Name != name || step.Step != i+1 || !step.OK || step.Problems == nil {
			t.Errorf("line %d = %s (%v)", i+1, lines[i], err)
		}
	}
	var result struct {
		Type string
		OK   bool
	}
	if err := json.Unmarshal([]byte(lines[4]), &result); err != nil || result.Type != "result" || !result.OK {
		t.Errorf("last line = %s (%v)", lines[4], err)
	}
}
