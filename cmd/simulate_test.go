package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// scriptedEndpoint answers the n-th request with answers[n] (the last one
// repeating) and records what it received.
type scriptedEndpoint struct {
	mu      sync.Mutex
	answers []int
	bodies  []string
	sigs    []string
}

func (e *scriptedEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	e.mu.Lock()
	n := len(e.bodies)
	e.bodies = append(e.bodies, string(body))
	e.sigs = append(e.sigs, r.Header.Get("Signature"))
	code := e.answers[min(n, len(e.answers)-1)]
	e.mu.Unlock()
	if code == 0 { // never answer within the sender's timeout
		<-r.Context().Done()
		return
	}
	w.WriteHeader(code)
}

// received counts the requests so far; handlers may still be running
// (a timed-out attempt's handler waits for its connection to close).
func (e *scriptedEndpoint) received() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.bodies)
}

func newScripted(t *testing.T, answers ...int) (*scriptedEndpoint, string) {
	t.Helper()
	e := &scriptedEndpoint{answers: answers}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return e, srv.URL + "/webhooks/hospitable"
}

func attemptLines(stdout string) []string {
	var out []string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.Contains(l, " #") && strings.Contains(l, "T+") {
			out = append(out, l)
		}
	}
	return out
}

func TestSimulateDefaultScheduleExhausted(t *testing.T) {
	e, url := newScripted(t, 500)
	r := runCLI(t, nil, "", "simulate", "reservation.created", "--to", url)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (schedule exhausted)\n%s%s", r.code, r.stdout, r.stderr)
	}
	lines := attemptLines(r.stdout)
	wantTimes := []string{"T+0s ", "T+1s ", "T+6s ", "T+16s ", "T+1h0m16s ", "T+7h0m16s "}
	if len(lines) != len(wantTimes) {
		t.Fatalf("got %d attempt lines, want 6:\n%s", len(lines), r.stdout)
	}
	for i, want := range wantTimes {
		if !strings.Contains(lines[i], want) {
			t.Errorf("attempt %d line %q, want schedule time %q", i+1, lines[i], want)
		}
	}
	if !strings.Contains(lines[5], "schedule exhausted") || !strings.Contains(r.stdout, "gave up after 6 attempts at T+7h0m16s") {
		t.Errorf("output lacks the exhausted outcome:\n%s", r.stdout)
	}
	if len(e.bodies) != 6 {
		t.Fatalf("endpoint got %d requests, want 6", len(e.bodies))
	}
	for i := range e.bodies {
		if e.bodies[i] != e.bodies[0] || e.sigs[i] != e.sigs[0] {
			t.Errorf("attempt %d sent other bytes or another signature than attempt 1", i+1)
		}
	}
}

func TestSimulateStops(t *testing.T) {
	tests := []struct {
		name     string
		answers  []int
		args     []string
		code     int
		requests int
		outcome  string
	}{
		{"fails twice then 200", []int{500, 500, 200}, nil, 0, 3, "delivered on attempt 3 at T+6s"},
		{"204 is retried", []int{204, 200}, nil, 0, 2, "delivered on attempt 2 at T+1s"},
		{"201 is retried", []int{201, 201, 201}, []string{"--schedule", "2s,2s"}, 1, 3, "gave up after 3 attempts at T+4s"},
		{"first attempt", []int{200}, nil, 0, 1, "delivered on attempt 1 at T+0s"},
		{"no retries", []int{500}, []string{"--schedule", "none"}, 1, 1, "gave up after 1 attempt at T+0s"},
		{"timeouts count as failures", []int{0, 0, 200}, []string{"--timeout", "50ms", "--schedule", "1m,1m"}, 0, 3, "delivered on attempt 3 at T+2m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, url := newScripted(t, tt.answers...)
			r := runCLI(t, nil, "", append([]string{"simulate", "message.created", "--to", url}, tt.args...)...)
			if n := e.received(); r.code != tt.code || n != tt.requests || !strings.Contains(r.stdout, tt.outcome) {
				t.Errorf("exit %d after %d requests, want %d after %d with %q:\n%s%s", r.code, n, tt.code, tt.requests, tt.outcome, r.stdout, r.stderr)
			}
		})
	}
}

func TestSimulateVerdicts(t *testing.T) {
	_, url := newScripted(t, 204, 0, 200)
	r := runCLI(t, nil, "", "simulate", "review.created", "--to", url, "--timeout", "50ms")
	lines := attemptLines(r.stdout)
	if len(lines) != 3 {
		t.Fatalf("want 3 attempts:\n%s", r.stdout)
	}
	if !strings.Contains(lines[0], "204 No Content, not 200: Hospitable retries in 1s") {
		t.Errorf("204 line = %q", lines[0])
	}
	if !strings.Contains(lines[1], "timed out") || !strings.Contains(lines[1], "retries in 5s") {
		t.Errorf("timeout line = %q", lines[1])
	}
	// The sender gave up, not necessarily the app: the retry repeats its work.
	if !strings.Contains(r.stdout, "the app may have done the work although the sender gave up waiting: the retry will run it again") {
		t.Errorf("no word after the timeout that the app may have done the work:\n%s", r.stdout)
	}
	_, url = newScripted(t, 0, 200)
	r = runCLI(t, nil, "", "simulate", "review.created", "--to", url, "--timeout", "50ms", "--json")
	first, _, _ := strings.Cut(r.stdout, "\n")
	var a map[string]any
	if err := json.Unmarshal([]byte(first), &a); err != nil || !strings.Contains(fmt.Sprint(a["note"]), "the retry will run it again") {
		t.Errorf("--json attempt after a timeout has no note: %s (%v)", first, err)
	}
}

func TestSimulateJSON(t *testing.T) {
	_, url := newScripted(t, 500, 200)
	r := runCLI(t, nil, "", "simulate", "property.changed", "--to", url, "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 {
		t.Fatalf("exit %d, %d lines, want 0 and 3 (2 attempts, 1 outcome):\n%s", r.code, len(lines), r.stdout)
	}
	var a1, out map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &a1); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[2]), &out); err != nil {
		t.Fatal(err)
	}
	if a1["type"] != "attempt" || a1["status"] != 500.0 || a1["schedule_time"] != "T+0s" || a1["next_delay"] != "1s" {
		t.Errorf("attempt record = %s", lines[0])
	}
	if out["type"] != "outcome" || out["delivered"] != true || out["attempts"] != 2.0 || out["schedule_time"] != "T+1s" {
		t.Errorf("outcome record = %s", lines[2])
	}
}

func TestSimulateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"simulate"},
		{"simulate", "reservation.created", "review.created"},
		{"simulate", "reservation.created", "--instant", "--speed", "10"},
		{"simulate", "reservation.created", "--speed", "0"},
		{"simulate", "reservation.created", "--schedule", "1s,x"},
		{"simulate", "reservation.create"},
		{"simulate", "reservation.created", "--to", "localhost:5000"},
	} {
		r := runCLI(t, nil, "", args...)
		if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, "error: ") && !strings.Contains(r.stderr, "\nerror: ") {
			t.Errorf("%v = exit %d, stdout %q, stderr %q; want exit 2 with an error on stderr only", args, r.code, r.stdout, r.stderr)
		}
	}
}

// idleEndpoint answers 500 to every delivery, but closes, without an
// answer, a kept-alive connection that has been idle longer than its
// keep-alive (50ms) when the next request arrives on it. Idle time is read
// from the run's own (virtual) clock, so the default schedule's waits of
// 1s to 6h outlast the keep-alive without the test waiting.
type idleEndpoint struct {
	clk      interface{ Now() time.Time }
	mu       sync.Mutex
	conns    int
	answered int
	last     map[string]time.Time
}

func (e *idleEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	last, seen := e.last[r.RemoteAddr]
	stale := seen && e.clk.Now().Sub(last) > 50*time.Millisecond
	e.mu.Unlock()
	if stale {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	_, _ = io.Copy(io.Discard, r.Body)
	w.WriteHeader(http.StatusInternalServerError)
	e.mu.Lock()
	e.answered++
	e.last[r.RemoteAddr] = e.clk.Now()
	e.mu.Unlock()
}

func TestSimulateFreshConnectionPerAttempt(t *testing.T) {
	d, _, out, errOut := testDeps(t, nil)
	e := &idleEndpoint{clk: d.Clock, last: map[string]time.Time{}}
	srv := httptest.NewUnstartedServer(e)
	srv.Config.IdleTimeout = 50 * time.Millisecond
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			e.mu.Lock()
			e.conns++
			e.mu.Unlock()
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	code := Execute(context.Background(), d, "simulate", "reservation.created", "--to", srv.URL+"/webhooks/hospitable")
	e.mu.Lock()
	defer e.mu.Unlock()
	if code != 1 || e.answered != 6 || e.conns != 6 || strings.Contains(out.String(), "closed") {
		t.Errorf("exit %d; the endpoint answered %d of 6 attempts over %d connections; want all 6, each on a new connection:\n%s%s", code, e.answered, e.conns, out, errOut)
	}
}
