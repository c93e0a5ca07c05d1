package cmd

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener/listenertest"
)

func TestSendLoad(t *testing.T) {
	srv, hits := endpoint(t, answer(200, "ok"))
	r := runCLI(t, nil, "", "send", "reservation.created", "message.created", "--count", "30", "--concurrency", "4", "--to", srv.URL+"/webhooks/hospitable")
	if r.code != 0 {
		t.Fatalf("send --count = %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	got := hits()
	ids, actions := map[string]bool{}, map[string]int{}
	for _, h := range got {
		ids[gjson.GetBytes(h.body, "id").String()] = true
		actions[gjson.GetBytes(h.body, "action").String()]++
		if sig := h.header.Get("Signature"); sig != hmacHex(h.body, devSecret) {
			t.Errorf("delivery %s: Signature %q does not match its body", gjson.GetBytes(h.body, "id"), sig)
		}
	}
	if len(got) != 30 || len(ids) != 30 {
		t.Errorf("endpoint got %d deliveries with %d distinct ids, want 30 and 30", len(got), len(ids))
	}
	if actions["reservation.created"] != 15 || actions["message.created"] != 15 {
		t.Errorf("actions = %v, want the two cycled, 15 each", actions)
	}
	for _, want := range []string{"Summary:", "Deliveries/s:", "Sent:          30 of 30, 4 at a time, pace unlimited", "p50", "p99", "max", "200 OK                    30", "✓ all 30 deliveries answered 200"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestSendLoadJSON(t *testing.T) {
	srv, _ := endpoint(t, answer(200, "ok"))
	r := runCLI(t, nil, "", "send", "--all", "--count", "22", "-c", "3", "--rate", "2/s", "--json", "--to", srv.URL)
	if r.code != 0 || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("send --count --json = %d, want 0 and one line\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{"concurrency", "count", "deliveries_per_second", "errors", "latency_ms", "ok", "rate_per_second", "sent", "status", "total_ms", "url"}
	if got := slices.Sorted(maps.Keys(rec)); !slices.Equal(got, wantKeys) {
		t.Errorf("keys = %v, want %v", got, wantKeys)
	}
	lat, _ := rec["latency_ms"].(map[string]any)
	if got := slices.Sorted(maps.Keys(lat)); !slices.Equal(got, []string{"max", "mean", "p50", "p90", "p99"}) {
		t.Errorf("latency_ms keys = %v", got)
	}
	// 22 deliveries at 2/s: the last starts at 10.5s on the test's virtual clock.
	if rec["ok"] != true || rec["sent"] != 22.0 || rec["rate_per_second"] != 2.0 || rec["total_ms"] != 10500.0 ||
		rec["status"].(map[string]any)["200"] != 22.0 || len(rec["errors"].(map[string]any)) != 0 {
		t.Errorf("summary = %s", r.stdout)
	}
}

func TestSendLoadExitCodes(t *testing.T) {
	failing, _ := endpoint(t, answer(500, "no"))
	closed := "http://" + listenertest.ClosedAddr(t)
	ok, _ := endpoint(t, answer(200, "ok"))
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"500s exit 1", []string{"--to", failing.URL, "--count", "6"}, 1, "500 Internal Server Error 6", "6 of 6 deliveries were not answered 200"},
		{"refused exit 1", []string{"--to", closed, "--count", "4", "--json"}, 1, `"errors":{"connection_refused":4}`, "4 of 4"},
		{"all 200 exit 0", []string{"--to", ok.URL, "--count", "3"}, 0, "✓ all 3", ""},
		{"concurrency without count", []string{"--to", ok.URL, "--concurrency", "5"}, 2, "", "--count N"},
		{"zero count", []string{"--to", ok.URL, "--count", "0"}, 2, "", "bad `--count` 0"},
		{"zero concurrency", []string{"--to", ok.URL, "--count", "5", "-c", "0"}, 2, "", "bad `--concurrency` 0"},
		{"bad rate", []string{"--to", ok.URL, "--count", "5", "--rate", "fast"}, 2, "", "bad rate"},
		{"dry run", []string{"--to", ok.URL, "--count", "5", "--dry-run"}, 2, "", "drop `--count`"},
		{"verbose", []string{"--to", ok.URL, "--count", "5", "-v"}, 2, "", "`--verbose`"},
		{"bad URL", []string{"--to", "localhost:5000", "--count", "5"}, 2, "", "bad URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"send", "property.updated"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("send %v = %d, want %d with %q on stdout and %q on stderr\nstdout %s\nstderr %s", tt.args, r.code, tt.code, tt.stdout, tt.stderr, r.stdout, r.stderr)
			}
		})
	}
}
