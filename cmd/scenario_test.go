package cmd

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/scenario"
)

func TestScenarioList(t *testing.T) {
	r := runCLI(t, nil, "", "scenario", "list")
	for _, name := range []string{"booking-lifecycle", "guest-journey", "property-lifecycle", "disconnection"} {
		if r.code != 0 || !strings.Contains(r.stdout, name) {
			t.Errorf("scenario list = %d, lacks %s:\n%s", r.code, name, r.stdout)
		}
	}
	r = runCLI(t, nil, "", "scenario", "show", "booking-lifecycle")
	if r.code != 0 || !strings.Contains(r.stdout, "triggers [status_changed]") || !strings.Contains(r.stdout, "--set data.id=${steps.booked.data.id}") {
		t.Errorf("scenario show = %d:\n%s", r.code, r.stdout)
	}
}

// The booking lifecycle arrives as four linked deliveries, the last a
// cancellation sent as reservation.changed with status_changed.
func TestScenarioRunBookingLifecycle(t *testing.T) {
	srv, hits := endpoint(t, answer(200, "ok"))
	r := runCLI(t, nil, "", "scenario", "run", "booking-lifecycle", "--to", srv.URL, "--secret", "s3cret")
	if r.code != 0 {
		t.Fatalf("scenario run = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	got := hits()
	if len(got) != 4 {
		t.Fatalf("endpoint got %d deliveries, want 4", len(got))
	}
	booked := gjson.ParseBytes(got[0].body)
	last := gjson.ParseBytes(got[3].body)
	if last.Get("action").String() != "reservation.changed" || last.Get("triggers").Raw != `["status_changed"]` ||
		last.Get("data.reservation_status.current.category").String() != "cancelled" ||
		last.Get("data.id").String() != booked.Get("data.id").String() {
		t.Errorf("the cancellation arrived as %s", got[3].body)
	}
	if gjson.GetBytes(got[1].body, "data.reservation_id").String() != booked.Get("data.id").String() {
		t.Errorf("the message does not refer to the booking")
	}
	for _, want := range []string{"✓ #4", "cancelled", "reservation.changed", "every expectation met"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

// With a seed, chaos gives the same timeline every time.
func TestScenarioRunSeedRepeats(t *testing.T) {
	var outs []string
	for range 2 {
		srv, hits := endpoint(t, answer(200, "ok"))
		r := runCLI(t, nil, "", "scenario", "run", "booking-lifecycle", "--to", srv.URL, "--duplicates", "--reorder", "--seed", "7")
		if r.code != 0 {
			t.Fatalf("run = %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if n := len(hits()); n != 5 {
			t.Errorf("endpoint got %d deliveries, want 5 (4 steps and 1 duplicate)", n)
		}
		outs = append(outs, strings.ReplaceAll(r.stdout, srv.URL, "URL"))
	}
	if outs[0] != outs[1] {
		t.Errorf("two runs with --seed 7 differ:\n%s\n%s", outs[0], outs[1])
	}
	for _, want := range []string{"seed 7", "duplicate of #", "reordered before", "reordered after"} {
		if !strings.Contains(outs[0], want) {
			t.Errorf("output lacks %q:\n%s", want, outs[0])
		}
	}
}

func TestScenarioRunFailsOnNon200(t *testing.T) {
	srv, _ := endpoint(t, answer(204, ""))
	r := runCLI(t, nil, "", "scenario", "run", "disconnection", "--to", srv.URL, "--json")
	if r.code != 1 {
		t.Fatalf("scenario run against a 204 = %d, want 1", r.code)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 4 {
		t.Fatalf("--json printed %d lines, want 3 deliveries and a summary:\n%s", len(lines), r.stdout)
	}
	for _, l := range lines[:3] {
		rec := gjson.Parse(l)
		if !json.Valid([]byte(l)) || rec.Get("type").String() != "delivery" || rec.Get("met").Bool() || rec.Get("status").Int() != 204 ||
			!strings.Contains(rec.Get("verdict").String(), "204 No Content, not 200") {
			t.Errorf("delivery record: %s", l)
		}
	}
	if s := gjson.Parse(lines[3]); s.Get("type").String() != "summary" || s.Get("ok").Bool() || s.Get("missed").Int() != 3 {
		t.Errorf("summary record: %s", lines[3])
	}
}

func TestScenarioRunRetry(t *testing.T) {
	var n atomic.Int32
	srv, _ := endpoint(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.WriteHeader(500)
			return
		}
		w.WriteHeader(200)
	})
	r := runCLI(t, nil, "", "scenario", "run", "disconnection", "--to", srv.URL, "--retry", "--instant")
	if r.code != 0 || !strings.Contains(r.stdout, "delivered on attempt 3 at T+6s") || !strings.Contains(r.stdout, "#2  T+1s") {
		t.Errorf("scenario run --retry = %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// A file written the way the README shows runs, with a user fixture, and
// its mistakes name the file and the line.
func TestScenarioRunFile(t *testing.T) {
	dir, env, story := scenarioFiles(t)
	srv, hits := endpoint(t, answer(200, ""))
	runStoryObserved(t, dir, env, story, srv.URL, hits)
	hits()
	scenarioMistakes(t, dir, story, srv.URL)
	if n := len(hits()); n != 0 {
		t.Errorf("bad input still sent %d deliveries", n)
	}
}

// scenarioFiles writes a user fixture, a story that uses it and an observer
// script into a directory; env points the fixtures directory there.
func scenarioFiles(t *testing.T) (dir string, env map[string]string, story string) {
	t.Helper()
	dir = t.TempDir()
	fixtures := filepath.Join(dir, "fixtures")
	if err := os.Mkdir(fixtures, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		filepath.Join(fixtures, "vip-booking.json"): `{"id":"x","action":"reservation.created","data":{"id":"r-1","guest":{"first_name":"Sam"}},"created":"2026-01-01T00:00:00Z","version":"v2","triggers":["status_changed"]}`,
		filepath.Join(dir, "story.yaml"): `name: vip
steps:
  - name: booked
    fixture: vip-booking
  - name: cancelled
    fixture: reservation.changed
    wait: 2d
    set:
      - data.id=${steps.booked.data.id}
      - data.reservation_status.current.category=cancelled
    triggers: [status_changed]
    chaos: [duplicate]
    expect: {status: 200, processed: 1}
    note: mark it cancelled
`,
		filepath.Join(dir, "count.sh"): "#!/bin/sh\necho 1\n",
	}
	for name, content := range files {
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(name, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir, map[string]string{fixture.EnvDir: fixtures}, filepath.Join(dir, "story.yaml")
}

// runStoryObserved runs the story against url with observers that count
// right, count wrong and fail.
func runStoryObserved(t *testing.T, dir string, env map[string]string, story, url string, hits func() []hit) {
	t.Helper()
	r := runCLI(t, env, "", "scenario", "run", story, "--to", url, "--observe", filepath.Join(dir, "count.sh"))
	if r.code != 0 {
		t.Fatalf("scenario run FILE = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	got := hits()
	if len(got) != 3 || gjson.GetBytes(got[0].body, "data.id").String() != "r-1" || gjson.GetBytes(got[2].body, "data.id").String() != "r-1" ||
		gjson.GetBytes(got[0].body, "data.guest.first_name").String() != "Sam" {
		t.Errorf("deliveries: %d, first %s", len(got), got[0].body)
	}
	if !strings.Contains(r.stdout, "processed 1, expected 1") {
		t.Errorf("no observation in:\n%s", r.stdout)
	}
	// The command is run by the shell with the step in its environment.
	seen := filepath.Join(dir, "seen.txt")
	r = runCLI(t, env, "", "scenario", "run", story, "--to", url, "--observe", `echo "$HOSPITABLE_HOOK_CASE $HOSPITABLE_HOOK_ACTION" >> `+seen+`; grep -c nothing `+seen+` || true`)
	if b, _ := os.ReadFile(seen); r.code != 1 || string(b) != "booked reservation.created\ncancelled reservation.changed\n" ||
		!strings.Contains(r.stdout, "processed 0, expected 1") {
		t.Errorf("--observe with grep -c = %d, saw %q:\n%s%s", r.code, b, r.stdout, r.stderr)
	}
	r = runCLI(t, env, "", "scenario", "run", story, "--to", url, "--observe", "echo no database >&2; exit 3")
	if r.code != 1 || !strings.Contains(r.stdout, "--observe failed: observer `echo no database >&2; exit 3`: exit status 3 (it printed \"no database\")") {
		t.Errorf("--observe failing = %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// scenarioMistakes makes every input mistake of scenario run: each exits 2
// and says what is wrong.
func scenarioMistakes(t *testing.T, dir, story, url string) {
	t.Helper()
	bad := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(bad, []byte("steps:\n  - fixture: reservation.created\n    wiat: 2d\n"), 0o644)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"scenario", "run", bad, "--to", url}, bad + ":3: steps[1].wiat: unknown key"},
		{[]string{"scenario", "run", "booking-lifecycle", "--to", url, "--duplicates=9"}, "--duplicates=9: the story allows at most 4"},
		{[]string{"scenario", "run", "booking-lifecycle", "--to", url, "--duplicates=x"}, "give a count"},
		{[]string{"scenario", "run", "booking-lifecycl", "--to", url}, `unknown scenario "booking-lifecycl"`},
		{[]string{"scenario", "run", filepath.Join(dir, "none.yaml")}, "read scenario"},
		{[]string{"scenario", "run", story, "--to", url}, `unknown action "vip-booking"`},
		{[]string{"scenario", "run", "disconnection", "--instant", "--speed", "2"}, "`--instant` does not wait"},
	} {
		r := runCLI(t, nil, "", tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v = %d %q, want 2 with %q", tt.args[2:], r.code, r.stderr, tt.want)
		}
	}
}

// Nothing listening: the run stops after the first attempt and says why.
func TestScenarioRunUnreachable(t *testing.T) {
	srv, _ := endpoint(t, answer(200, ""))
	url := srv.URL
	srv.Close()
	r := runCLI(t, nil, "", "scenario", "run", "booking-lifecycle", "--to", url, "--retry")
	if r.code != 1 || !strings.Contains(r.stderr, "cannot reach "+url) || strings.Count(r.stdout, "✗ #") != 1 {
		t.Errorf("scenario run against nothing = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A password in the URL is sent, never printed.
	withPass := strings.Replace(url, "http://", "http://bob:hunter2pw@", 1)
	r = runCLI(t, nil, "", "scenario", "run", "booking-lifecycle", "--to", withPass)
	if r.code != 1 || strings.Contains(r.stdout+r.stderr, "hunter2pw") || !strings.Contains(r.stderr, "cannot reach http://bob:xxxxx@") {
		t.Errorf("scenario run to a URL with a password prints it:\n%s%s", r.stdout, r.stderr)
	}
}

func TestScenarioRunFlags(t *testing.T) {
	tests := []struct {
		args             []string
		dup, reo, concur int
		retry, seedSet   bool
		seed             uint64
	}{
		{args: nil},
		{args: []string{"--duplicates", "--reorder", "--concurrent"}, dup: scenario.Auto, reo: scenario.Auto, concur: scenario.Auto},
		{args: []string{"--duplicates=3", "--reorder=0", "--concurrent=auto"}, dup: 3, concur: scenario.Auto},
		{args: []string{"--retry", "--seed", "7"}, retry: true, seedSet: true, seed: 7},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			d, _, _, _ := testDeps(t, nil)
			var got *scenarioRunOptions
			c := newScenarioRunCmd(d, func(o *scenarioRunOptions) error { got = o; return nil })
			c.SetArgs(append([]string{"booking-lifecycle"}, tt.args...))
			if err := c.Execute(); err != nil {
				t.Fatal(err)
			}
			ch := got.Chaos
			if ch.Duplicates != tt.dup || ch.Reorders != tt.reo || ch.Concurrent != tt.concur || ch.Retry != tt.retry || got.SeedSet != tt.seedSet || ch.Seed != tt.seed {
				t.Errorf("opts = %+v, seedSet %v", ch, got.SeedSet)
			}
		})
	}
}
