package cmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// syncBuffer is a buffer a running listener writes while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// running is a `listen` started in the background.
type running struct {
	url    string
	stdout *syncBuffer
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan int
}

// startListen runs `listen --port 0 args...` and waits for its ready line.
func startListen(t *testing.T, real bool, args ...string) *running {
	t.Helper()
	return startListenTo(t, real, nil, args...)
}

// startListenTo is startListen with standard output going to out (nil:
// the running's stdout buffer).
func startListenTo(t *testing.T, real bool, out io.Writer, args ...string) *running {
	t.Helper()
	return startListenEnv(t, real, out, nil, args...)
}

// startListenEnv is startListenTo with env as the environment.
func startListenEnv(t *testing.T, real bool, out io.Writer, env map[string]string, args ...string) *running {
	t.Helper()
	d, _, _, _ := testDeps(t, env)
	if real {
		d.Clock = clock.Real()
	}
	r := &running{stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan int, 1)}
	d.IO.Out, d.IO.ErrOut = r.stdout, r.stderr
	if out != nil {
		d.IO.Out = out
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- Execute(ctx, d, append([]string{"listen", "--port", "0"}, args...)...) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, rest, ok := strings.Cut(r.stderr.String(), "listening on http://"); ok {
			host, _, _ := strings.Cut(rest, " ")
			r.url = "http://" + host
			break
		}
		select {
		case code := <-r.done:
			if !strings.Contains(r.stderr.String(), "listening on") {
				t.Fatalf("listen exited %d before it was ready: %s", code, r.stderr.String())
			}
			r.done <- code // ready, then done: let the test see the exit
		case <-time.After(5 * time.Millisecond):
		}
	}
	if r.url == "" {
		t.Fatalf("no ready line: %q", r.stderr.String())
	}
	t.Cleanup(cancel)
	return r
}

func (r *running) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-r.done:
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("listen did not exit")
		return -1
	}
}

func postSigned(t *testing.T, url string, body []byte, sig string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set(signature.Header, sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestListenFlags(t *testing.T) {
	d, _, _, _ := testDeps(t, nil)
	var got *listenOptions
	c := newListenCmd(d, func(o *listenOptions) error { got = o; return nil })
	c.SetArgs([]string{})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Port != 5000 || got.Host != "127.0.0.1" || got.maxBody != 5<<20 || got.Path != "" {
		t.Errorf("defaults = port %d host %q max %d path %q", got.Port, got.Host, got.maxBody, got.Path)
	}
	c = newListenCmd(d, func(o *listenOptions) error { got = o; return nil })
	c.SetArgs([]string{"--allow-ip", "38.80.170.0/24", "--allow-ip", "10.0.0.7", "--respond", "500,timeout,200", "--events", "reservation.created,message.created", "--max-body", "1MiB"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if len(got.allow) != 2 || got.allow[1].String() != "10.0.0.7/32" || got.script.String() != "500,timeout,200" || !got.eventSet["message.created"] || got.maxBody != 1<<20 {
		t.Errorf("parsed = %+v", got)
	}
}

func TestListenBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		err  string
	}{
		{[]string{"--respond", "500,abc"}, "use an HTTP status from 200 to 599"},
		{[]string{"--respond", "700"}, "200 to 599"},
		{[]string{"--respond", "100"}, "answer 1 is 100: a 1xx status is an interim answer"},
		{[]string{"--respond", "500,101"}, "cannot be scripted"},
		{[]string{"--allow-ip", "38.80.170.0/33"}, "CIDR like 38.80.170.0/24"},
		{[]string{"--port", "70000"}, "1-65535"},
		{[]string{"--path", "hook"}, "start it with /"},
		{[]string{"--max-body", "lots"}, "bad size"},
		{[]string{"--timeout", "5s"}, "needs `--expect N`"},
		{[]string{"--forward-to", "localhost:3000"}, "absolute http"},
		{[]string{"--respond", "500", "--forward-to", "http://127.0.0.1:1"}, "cannot be used together"},
		{[]string{"--delay", "-1s"}, "positive duration"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"listen"}, tt.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.err) || r.stdout != "" {
				t.Errorf("listen %v = %d %q, want exit 2 with %q", tt.args, r.code, r.stderr, tt.err)
			}
		})
	}
}

func TestListenEndToEnd(t *testing.T) {
	capturePath := filepath.Join(t.TempDir(), "capture.jsonl")
	r := startListen(t, false, "--save", capturePath, "--respond", "500,200")
	res := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	sig := signature.Sign(res, devSecret)
	steps := []struct {
		body   []byte
		sig    string
		status int
	}{
		{res, sig, 500},
		{res, sig, 200},
		{res, signature.Sign(res, "wrong"), 401},
		{[]byte("not json"), signature.Sign([]byte("not json"), devSecret), 400},
	}
	for i, s := range steps {
		if got := postSigned(t, r.url+"/webhooks/hospitable", s.body, s.sig); got != s.status {
			t.Errorf("delivery %d answered %d, want %d", i+1, got, s.status)
		}
		// The record is on disk as soon as the answer arrives.
		data, _ := os.ReadFile(capturePath)
		if n := bytes.Count(data, []byte("\n")); n != i+1 {
			t.Errorf("after answer %d the capture file has %d lines", i+1, n)
		}
	}
	resp, err := http.Get(r.url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r.cancel() // Ctrl-C
	if code := r.wait(t); code != 0 {
		t.Errorf("exit %d after Ctrl-C, want 0; stderr %s", code, r.stderr.String())
	}
	out := r.stdout.String()
	for _, want := range []string{
		"✓ reservation.created 01KB2Y5X0Q3W7F8G9H0J1K2M3N /webhooks/hospitable ← 500 Internal Server Error",
		"retry 2 /webhooks/hospitable ← 200 OK",
		"✗ forged: signature does not match",
		"(not JSON, 8 bytes) /webhooks/hospitable ← 400 Bad Request",
		"GET / ← 200 OK status page",
		"code HMZ4TQ8KXN",
		"stopped: 4 received, 3 verified, 2 rejected, 1 duplicate, 1 forged",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(r.stderr.String(), "development secret") || !strings.Contains(r.stderr.String(), "answering 500,200 per delivery id") {
		t.Errorf("stderr = %s", r.stderr.String())
	}
	v := runCLI(t, nil, "", "verify", "--file", capturePath)
	if v.code != 1 || !strings.Contains(v.stdout, "4 checked, 3 valid, 1 invalid") {
		t.Errorf("verify on the capture = %d\n%s%s", v.code, v.stdout, v.stderr)
	}
}

func TestListenJSONAndExpect(t *testing.T) {
	r := startListen(t, true, "--json", "--expect", "2", "--timeout", "20s")
	a := fixturetest.Envelope(t, "message.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3P")
	postSigned(t, r.url, a, signature.Sign(a, devSecret))
	postSigned(t, r.url, a, signature.Sign(a, devSecret)) // a retry is not a new delivery
	postSigned(t, r.url, b, signature.Sign(b, devSecret))
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d, want 0 once 2 deliveries arrived; stderr %s", code, r.stderr.String())
	}
	sc := bufio.NewScanner(strings.NewReader(r.stdout.String()))
	var types []string
	for sc.Scan() {
		var obj map[string]any
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("stdout line is not JSON: %q", sc.Text())
		}
		types = append(types, obj["type"].(string))
		if obj["type"] == "ready" && (obj["port"] == float64(0) || !strings.HasPrefix(obj["url"].(string), "http://127.0.0.1:")) {
			t.Errorf("ready object = %s", sc.Text())
		}
		if obj["type"] == "delivery" && (obj["verified"] != true || obj["status"] != float64(200) || obj["body"] == nil) {
			t.Errorf("delivery object = %s", sc.Text())
		}
	}
	if strings.Join(types, ",") != "ready,delivery,delivery,delivery" {
		t.Errorf("stdout types = %v", types)
	}
	if !strings.Contains(r.stderr.String(), "stopped: 3 received") {
		t.Errorf("the --json summary belongs on stderr: %s", r.stderr.String())
	}
}

func TestListenExpectTimesOut(t *testing.T) {
	r := startListen(t, false, "--expect", "1", "--timeout", "30s") // virtual clock: times out at once
	if code := r.wait(t); code != 1 || !strings.Contains(r.stderr.String(), "timed out after 30s: 0 of 1") {
		t.Errorf("exit %d, stderr %s", code, r.stderr.String())
	}
}

func TestListenExpectFailsOnForged(t *testing.T) {
	r := startListen(t, true, "--expect", "3")
	a := fixturetest.Envelope(t, "property.deleted", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	postSigned(t, r.url, a, signature.Sign(a, devSecret))
	postSigned(t, r.url, a, "")
	if code := r.wait(t); code != 1 || !strings.Contains(r.stderr.String(), "failed signature verification") {
		t.Errorf("exit %d, stderr %s", code, r.stderr.String())
	}
}

func TestListenEventsFilterAndPII(t *testing.T) {
	r := startListen(t, false, "--events", "reservation.created", "-v")
	res := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	msg := fixturetest.Envelope(t, "message.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3P")
	postSigned(t, r.url, msg, signature.Sign(msg, devSecret))
	postSigned(t, r.url, res, signature.Sign(res, devSecret))
	r.cancel()
	r.wait(t)
	out := r.stdout.String()
	if strings.Contains(out, "message.created") || !strings.Contains(out, "reservation.created") {
		t.Errorf("--events did not filter:\n%s", out)
	}
	if strings.Contains(out, "jose.carvalho@example.com") || !strings.Contains(out, `"email": "[masked]"`) {
		t.Errorf("-v must mask personal data")
	}
	if !strings.Contains(out, "stopped: 2 received") {
		t.Errorf("filtered deliveries still count: %s", out)
	}
}

func TestListenPortInUse(t *testing.T) {
	r := startListen(t, false)
	port := r.url[strings.LastIndex(r.url, ":")+1:]
	res := runCLI(t, nil, "", "listen", "--port", port)
	if res.code != 1 || !strings.Contains(res.stderr, "pick another `--port`") {
		t.Errorf("second listen on %s = %d %q", port, res.code, res.stderr)
	}
}

func TestListenCapturesExactBytes(t *testing.T) {
	capturePath := filepath.Join(t.TempDir(), "c.jsonl")
	r := startListen(t, false, "--save", capturePath)
	body := []byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"message.created","data":{"body":"Ol\u00e1 https:\/\/x <b>"},"created":"2026-11-28T09:35:24Z","version":"1.0"}`)
	postSigned(t, r.url, body, signature.Sign(body, devSecret))
	r.cancel()
	r.wait(t)
	data, _ := os.ReadFile(capturePath)
	var got []byte
	_ = capture.Read(bytes.NewReader(data), func(e capture.Entry) error { got, _ = e.Record.BodyBytes(); return nil }, nil)
	if !bytes.Equal(got, body) {
		t.Errorf("captured %q, want %q", got, body)
	}
}

func TestListenQuietPrintsOnlyTheSummary(t *testing.T) {
	r := startListen(t, false, "--quiet")
	body := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	for i, sig := range []string{signature.Sign(body, devSecret), signature.Sign(body, devSecret), "forged"} {
		want := map[bool]int{true: 200, false: 401}[i < 2]
		if got := postSigned(t, r.url+"/webhooks/hospitable", body, sig); got != want {
			t.Errorf("delivery %d answered %d, want %d", i+1, got, want)
		}
	}
	r.cancel()
	if code := r.wait(t); code != 0 {
		t.Errorf("exit %d", code)
	}
	if got, want := r.stdout.String(), "stopped: 3 received, 2 verified, 1 rejected, 1 duplicate, 1 forged\n"; got != want {
		t.Errorf("--quiet stdout = %q, want only the summary %q", got, want)
	}
	if !strings.Contains(r.stderr.String(), "listening on") || strings.Contains(r.stderr.String(), "not shown") {
		t.Errorf("--quiet stderr = %q, want the ready line and no dropped rows", r.stderr.String())
	}
}

func TestListenQuietConflicts(t *testing.T) {
	for _, args := range [][]string{{"--quiet", "-v"}, {"-q", "--events", "review.created"}} {
		if r := runCLI(t, nil, "", append([]string{"listen"}, args...)...); r.code != 2 || !strings.Contains(r.stderr, "quiet") {
			t.Errorf("listen %v = %d %q, want exit 2 naming --quiet", args, r.code, r.stderr)
		}
	}
}

// A delivery whose signature fails for a known reason is shown with the
// reason and the fix, in the rows and in --json.
func TestListenExplainsForgedDeliveries(t *testing.T) {
	res := fixturetest.Envelope(t, "message.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3P")
	withNewline := append(append([]byte{}, res...), '\n')
	for _, jsonOut := range []bool{false, true} {
		args := []string{}
		if jsonOut {
			args = append(args, "--json")
		}
		r := startListen(t, false, args...)
		if got := postSigned(t, r.url+"/webhooks/hospitable", withNewline, signature.Sign(res, devSecret)); got != 401 {
			t.Errorf("a body with an unsigned trailing newline answered %d, want 401", got)
		}
		r.cancel()
		r.wait(t)
		out := r.stdout.String()
		if jsonOut {
			if !strings.Contains(out, `"explanation":{`) || !strings.Contains(out, `"code":"body-trailing-newline-added"`) {
				t.Errorf("--json lacks the explanation:\n%s", out)
			}
			continue
		}
		if !strings.Contains(out, "why: ") || !strings.Contains(out, "ends with a newline that was not signed") || !strings.Contains(out, "fix: ") {
			t.Errorf("the row does not say why the signature failed:\n%s", out)
		}
	}
}
