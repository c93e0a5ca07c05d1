package listener

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
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

const secret = "c2VjcmV0QGV4YW1wbGUuY29t"

var t0 = time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC)

func post(t *testing.T, url string, body []byte, sig string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set(signature.Header, sig)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// next waits for the next event, failing after a deadline.
func next(t *testing.T, h *Handler) Event {
	t.Helper()
	select {
	case ev := <-h.Events():
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
		return Event{}
	}
}

func newServer(t *testing.T, cfg Config) (*Handler, *httptest.Server) {
	t.Helper()
	if cfg.Secret == "" {
		cfg.Secret = secret
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.NewVirtual(t0)
	}
	h := New(cfg)
	srv := httptest.NewServer(h)
	t.Cleanup(func() { h.Release(); srv.Close() })
	return h, srv
}

func TestStatuses(t *testing.T) {
	valid := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	sig := signature.Sign(valid, secret)
	notJSON := []byte("hello, world")
	big := bytes.Repeat([]byte("x"), 2048)
	allow := []netip.Prefix{netip.MustParsePrefix("38.80.170.0/24")}
	tests := []struct {
		name     string
		cfg      Config
		method   string
		path     string
		body     []byte
		sig      string
		header   []string
		chunked  bool
		status   int
		check    Outcome
		verified bool
		reason   string
	}{
		{name: "valid", body: valid, sig: sig, status: 200, check: OutcomeOK, verified: true},
		{name: "no signature", body: valid, status: 401, check: OutcomeSignature, reason: "no Signature header"},
		{name: "wrong signature", body: valid, sig: signature.Sign(valid, "other"), status: 401, check: OutcomeSignature, reason: "does not match"},
		{name: "malformed signature", body: valid, sig: "xyz", status: 401, check: OutcomeSignature, reason: "64 hex"},
		{name: "upper-case signature", body: valid, sig: strings.ToUpper(sig), status: 401, check: OutcomeSignature, reason: "lowercase"},
		{name: "not JSON", body: notJSON, sig: signature.Sign(notJSON, secret), status: 400, check: OutcomeNotJSON, verified: true},
		{name: "no-verify accepts forged", cfg: Config{NoVerify: true}, body: valid, sig: "0000", status: 200, check: OutcomeOK, reason: "64 hex"},
		{name: "too large", cfg: Config{MaxBody: 1024}, body: big, sig: signature.Sign(big, secret), status: 413, check: OutcomeTooLarge, reason: "1 KiB"},
		{name: "too large, chunked", cfg: Config{MaxBody: 1024}, body: big, chunked: true, status: 413, check: OutcomeTooLarge},
		{name: "exactly the limit", cfg: Config{MaxBody: int64(len(valid))}, body: valid, sig: sig, status: 200, check: OutcomeOK, verified: true},
		{name: "outside allow-ip", cfg: Config{AllowIPs: allow}, body: valid, sig: sig, status: 403, check: OutcomeForbidden, reason: "127.0.0.1"},
		{name: "inside allow-ip via trusted proxy", cfg: Config{AllowIPs: allow, TrustProxy: true}, body: valid, sig: sig, header: []string{"X-Forwarded-For", "1.2.3.4, 38.80.170.9"}, status: 200, check: OutcomeOK, verified: true},
		{name: "spoofed first X-Forwarded-For entry", cfg: Config{AllowIPs: allow, TrustProxy: true}, body: valid, sig: sig, header: []string{"X-Forwarded-For", "38.80.170.9, 10.0.0.1"}, status: 403, check: OutcomeForbidden},
		{name: "X-Forwarded-For ignored without trust-proxy", cfg: Config{AllowIPs: allow}, body: valid, sig: sig, header: []string{"X-Forwarded-For", "38.80.170.9"}, status: 403, check: OutcomeForbidden},
		{name: "PUT", method: "PUT", body: valid, status: 405},
		{name: "wrong path", cfg: Config{Path: "/webhooks/hospitable"}, path: "/other", body: valid, sig: sig, status: 404},
		{name: "right path", cfg: Config{Path: "/webhooks/hospitable"}, path: "/webhooks/hospitable", body: valid, sig: sig, status: 200, check: OutcomeOK, verified: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t, tt.cfg)
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			var rd io.Reader = bytes.NewReader(tt.body)
			if tt.chunked {
				rd = io.MultiReader(rd) // hides the length: sent chunked
			}
			req, _ := http.NewRequest(method, srv.URL+tt.path, rd)
			if tt.sig != "" {
				req.Header.Set(signature.Header, tt.sig)
			}
			for i := 0; i+1 < len(tt.header); i += 2 {
				req.Header.Set(tt.header[i], tt.header[i+1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			ev := next(t, h)
			if resp.StatusCode != tt.status || ev.Status != tt.status {
				t.Errorf("status = %d (event %d), want %d", resp.StatusCode, ev.Status, tt.status)
			}
			if ev.Outcome != tt.check || ev.Verified != tt.verified || !strings.Contains(ev.Reason, tt.reason) {
				t.Errorf("event check %q verified %v reason %q, want %q %v %q", ev.Outcome, ev.Verified, ev.Reason, tt.check, tt.verified, tt.reason)
			}
		})
	}
}

func TestStatusPage(t *testing.T) {
	_, srv := newServer(t, Config{Path: "/hook"})
	resp, err := http.Get(srv.URL + "/anything")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || !strings.Contains(string(b), "POST Hospitable webhook deliveries to /hook") {
		t.Errorf("GET = %d %q", resp.StatusCode, b)
	}
}

func TestRetryMarkingAndStats(t *testing.T) {
	h, srv := newServer(t, Config{})
	body := fixturetest.Envelope(t, "message.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	other := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3P")
	for i, b := range [][]byte{body, body, other, body} {
		post(t, srv.URL, b, signature.Sign(b, secret))
		ev := next(t, h)
		want := []int{1, 2, 1, 3}[i]
		if ev.Attempt != want {
			t.Errorf("delivery %d: attempt %d, want %d", i, ev.Attempt, want)
		}
	}
	post(t, srv.URL, body, "bad")
	next(t, h)
	s := h.Stats()
	if s.Received != 5 || s.Verified != 4 || s.FirstVerified != 2 || s.Duplicates != 2 || s.Forged != 1 || s.Rejected != 1 {
		t.Errorf("Stats = %+v", s)
	}
}

func TestSeenIsBounded(t *testing.T) {
	s := newSeen(2)
	for _, id := range []string{"a", "b", "a", "c", "a", "b"} {
		s.attempt(id)
	}
	// "a" was evicted by "c" (ring of two: a,b -> c,b -> c,a), so it starts over.
	if len(s.count) > 2 {
		t.Errorf("seen holds %d ids, want at most 2", len(s.count))
	}
	if got := s.attempt("a"); got != 2 {
		t.Errorf("attempt(a) = %d, want 2", got)
	}
}

func TestCaptureIsWrittenBeforeTheAnswer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "capture.jsonl")
	w, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, srv := newServer(t, Config{Recorder: w})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			id := "01KB2Y5X0Q3W7F8G9H0J1K2M" + string(rune('A'+i)) + "0"
			b := fixturetest.Envelope(t, "reservation.created", id)
			resp, err := http.Post(srv.URL+"/hook", "application/json", bytes.NewReader(b))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			// The answer is here: the record must already be on disk.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Error(err)
				return
			}
			if !bytes.Contains(data, []byte(`"id":"`+id+`"`)) {
				t.Errorf("answer %d arrived before its record was written", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	data, _ := os.ReadFile(path)
	n := 0
	_ = capture.Read(bytes.NewReader(data), func(e capture.Entry) error {
		n++
		body, _ := e.Record.BodyBytes()
		if e.Record.Status != 401 || e.Record.Verified || e.Record.Reason != "no Signature header" || e.Record.Path != "/hook" || !bytes.HasPrefix(body, []byte(`{"id":"01KB`)) {
			t.Errorf("record = %+v", e.Record)
		}
		return nil
	}, func(le *capture.LineError) { t.Errorf("bad line %v", le) })
	if n != 20 {
		t.Errorf("%d records, want 20", n)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
}

type failingRecorder struct{}

func (failingRecorder) Append(capture.Record) error { return io.ErrShortWrite }

func TestUnrecordableDeliveryIsAnswered500(t *testing.T) {
	h, srv := newServer(t, Config{Recorder: failingRecorder{}})
	b := fixturetest.Envelope(t, "property.deleted", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	resp, _ := post(t, srv.URL, b, signature.Sign(b, secret))
	if ev := next(t, h); resp.StatusCode != 500 || ev.Outcome != OutcomeNoRecord || ev.RecordErr == "" {
		t.Errorf("status %d, event %+v", resp.StatusCode, ev)
	}
}

func TestScript(t *testing.T) {
	script, err := ParseScript("500,500,timeout,200")
	if err != nil {
		t.Fatal(err)
	}
	h, srv := newServer(t, Config{Script: script})
	b := fixturetest.Envelope(t, "reservation.changed", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	sig := signature.Sign(b, secret)
	for i, want := range []int{500, 500, 0, 200, 200} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(b))
		req.Header.Set(signature.Header, sig)
		resp, err := http.DefaultClient.Do(req)
		got := 0
		if err == nil {
			got = resp.StatusCode
			resp.Body.Close()
		}
		ev := next(t, h)
		if got != want || ev.Status != want || ev.Attempt != i+1 || ev.Scripted == nil {
			t.Errorf("attempt %d: got %d (event %d, attempt %d, err %v), want %d", i+1, got, ev.Status, ev.Attempt, err, want)
		}
	}
	// Another id starts its own script.
	b2 := fixturetest.Envelope(t, "reservation.changed", "01KB2Y5X0Q3W7F8G9H0J1K2M3P")
	if resp, _ := post(t, srv.URL, b2, signature.Sign(b2, secret)); resp.StatusCode != 500 {
		t.Errorf("a new id's first attempt = %d, want 500", resp.StatusCode)
	}
}

func TestTimeoutHoldsUntilTheSenderGivesUp(t *testing.T) {
	h, srv := newServer(t, Config{Script: Script{{Timeout: true}}, Clock: clock.Real(), Hold: time.Minute})
	b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	client := &http.Client{Timeout: 300 * time.Millisecond}
	req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(b))
	req.Header.Set(signature.Header, signature.Sign(b, secret))
	start := time.Now()
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got an answer %d, want none", resp.StatusCode)
	}
	ev := next(t, h)
	if ev.Status != 0 || ev.Latency < 250*time.Millisecond || time.Since(start) > 10*time.Second {
		t.Errorf("held delivery: status %d latency %v", ev.Status, ev.Latency)
	}
}

func TestReleaseLetsHeldRequestsGo(t *testing.T) {
	h, srv := newServer(t, Config{Script: Script{{Timeout: true}}, Clock: clock.Real(), Hold: time.Hour})
	b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(b))
		req.Header.Set(signature.Header, signature.Sign(b, secret))
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for h.Stats().Received == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	h.Release()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("a held request got an answer after Release, want the connection cut")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Release did not let the held request go")
	}
}

func TestDelayUsesTheClock(t *testing.T) {
	h, srv := newServer(t, Config{Delay: 2 * time.Second})
	b := fixturetest.Envelope(t, "property.merged", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	start := time.Now()
	post(t, srv.URL, b, signature.Sign(b, secret))
	if ev := next(t, h); ev.Latency != 2*time.Second || time.Since(start) > time.Second {
		t.Errorf("latency %v after %v of real time; want 2s on the virtual clock, at once", ev.Latency, time.Since(start))
	}
}

func TestDisplayNeverBlocksAnswers(t *testing.T) {
	h, srv := newServer(t, Config{Buffer: 1})
	b := fixturetest.Envelope(t, "property.deleted", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	for range 4 {
		if resp, _ := post(t, srv.URL, b, signature.Sign(b, secret)); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	if s := h.Stats(); s.Received != 4 || s.Dropped != 3 {
		t.Errorf("Stats = %+v, want 4 received and 3 events dropped", s)
	}
}

func TestInProcess(t *testing.T) {
	h := New(Config{Secret: secret, Clock: clock.NewVirtual(t0)})
	b := fixturetest.Envelope(t, "integration.disconnected", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	req := httptest.NewRequest(http.MethodPost, "/webhooks/hospitable", bytes.NewReader(b))
	req.Header.Set(signature.Header, signature.Sign(b, secret))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	ev := <-h.Events()
	if rec.Code != 200 || ev.Delivery.Action != "integration.disconnected" || ev.Path != "/webhooks/hospitable" || !ev.ReceivedAt.Equal(t0) {
		t.Errorf("in-process = %d, %+v", rec.Code, ev)
	}
}

// app is a fake user's app that records what it got.
type app struct {
	mu     sync.Mutex
	bodies [][]byte
	sigs   []string
	hosts  []string
}

func (a *app) serve(answer func(verified bool) int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		a.mu.Lock()
		a.bodies = append(a.bodies, b)
		a.sigs = append(a.sigs, r.Header.Get(signature.Header))
		a.hosts = append(a.hosts, r.Host)
		a.mu.Unlock()
		ok := signature.Verify(b, r.Header.Get(signature.Header), secret) == nil
		w.WriteHeader(answer(ok))
		io.WriteString(w, `{"error":"nope"}`)
	}
}

func TestForwardVerdicts(t *testing.T) {
	valid := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	sig := signature.Sign(valid, secret)
	forged := signature.Sign(valid, "guess")
	checks := func(ok bool) int {
		if ok {
			return 200
		}
		return 401
	}
	tests := []struct {
		name   string
		answer func(bool) int
		sig    string
		status int
		code   string
	}{
		{"checks signatures, valid", checks, sig, 200, "ok"},
		{"checks signatures, forged", checks, forged, 401, "refused_forged"},
		{"rejects real deliveries", func(bool) int { return 401 }, sig, 401, "rejects_valid"},
		{"accepts forged", func(bool) int { return 200 }, forged, 200, "accepts_forged"},
		{"answers 204", func(bool) int { return 204 }, sig, 204, "not_200"},
		{"crashes", func(bool) int { return 500 }, sig, 500, "app_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &app{}
			appSrv := httptest.NewServer(a.serve(tt.answer))
			defer appSrv.Close()
			fwd, err := NewForwarder(appSrv.URL+"/webhooks", ForwardOptions{})
			if err != nil {
				t.Fatal(err)
			}
			h, srv := newServer(t, Config{Forward: fwd})
			resp, _ := post(t, srv.URL, valid, tt.sig)
			ev := next(t, h)
			if resp.StatusCode != tt.status || ev.Forward == nil || ev.Forward.Status != tt.status || ev.Forward.Verdict.Code != tt.code {
				t.Fatalf("sender got %d, forward %+v; want %d %s", resp.StatusCode, ev.Forward, tt.status, tt.code)
			}
			if tt.status != 204 && ev.Forward.BodyStart != `{"error":"nope"}` {
				t.Errorf("body start %q", ev.Forward.BodyStart)
			}
			if !bytes.Equal(a.bodies[0], valid) || a.sigs[0] != tt.sig {
				t.Errorf("the app did not get the exact bytes and signature")
			}
		})
	}
}

func TestForwardDownIs502(t *testing.T) {
	appSrv := httptest.NewServer(http.NotFoundHandler())
	url := appSrv.URL
	appSrv.Close()
	fwd, _ := NewForwarder(url, ForwardOptions{})
	h, srv := newServer(t, Config{Forward: fwd})
	b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	resp, _ := post(t, srv.URL, b, signature.Sign(b, secret))
	if ev := next(t, h); resp.StatusCode != 502 || ev.Forward.Verdict.Code != "no_answer" {
		t.Errorf("status %d, forward %+v", resp.StatusCode, ev.Forward)
	}
}

func TestForwardDoesNotFollowRedirectsElsewhere(t *testing.T) {
	elsewhere := &app{}
	other := httptest.NewServer(elsewhere.serve(func(bool) int { return 200 }))
	defer other.Close()
	a := &app{}
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusTemporaryRedirect)
	})
	mux.Handle("/new", a.serve(func(bool) int { return 200 }))
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	})
	appSrv := httptest.NewServer(mux)
	defer appSrv.Close()
	b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	sig := signature.Sign(b, secret)

	fwd, _ := NewForwarder(appSrv.URL+"/old", ForwardOptions{})
	res := fwd.Do(context.Background(), http.Header{signature.Header: {sig}}, b, true, time.Now)
	if res.Status != 200 || len(a.bodies) != 1 || !bytes.Equal(a.bodies[0], b) {
		t.Errorf("same-host redirect: %+v, app got %d bodies", res, len(a.bodies))
	}
	fwd, _ = NewForwarder(appSrv.URL+"/away", ForwardOptions{})
	res = fwd.Do(context.Background(), http.Header{signature.Header: {sig}}, b, true, time.Now)
	if res.Status != 307 || len(elsewhere.bodies) != 0 || !strings.HasSuffix(res.Redirect, "/steal") {
		t.Errorf("cross-host redirect: %+v, other host got %d bodies", res, len(elsewhere.bodies))
	}
}

func TestNewForwarderRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"localhost:3000", "ftp://x", "", "http://"} {
		if _, err := NewForwarder(u, ForwardOptions{}); err == nil {
			t.Errorf("NewForwarder(%q, ForwardOptions{}) = nil error", u)
		}
	}
}

func TestForgedDeliveriesAreNotAttempts(t *testing.T) {
	appSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) }))
	defer appSrv.Close()
	fwd, _ := NewForwarder(appSrv.URL, ForwardOptions{})
	h, srv := newServer(t, Config{Forward: fwd})
	b := fixturetest.Envelope(t, "message.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	post(t, srv.URL, b, signature.Sign(b, secret))
	next(t, h)
	post(t, srv.URL, b, "")
	if ev := next(t, h); ev.Attempt != 0 || h.Stats().Duplicates != 0 {
		t.Errorf("a forged copy counted as attempt %d", ev.Attempt)
	}
}

func TestQuietReportsNoEventsButCounts(t *testing.T) {
	h, srv := newServer(t, Config{Quiet: true, Buffer: 1})
	b := fixturetest.Envelope(t, "property.deleted", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	for range 3 {
		if resp, _ := post(t, srv.URL, b, signature.Sign(b, secret)); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	if s := h.Stats(); s.Received != 3 || s.Verified != 3 || s.Dropped != 0 || len(h.Events()) != 0 {
		t.Errorf("Stats = %+v with %d events queued, want 3 received, none queued or dropped", s, len(h.Events()))
	}
}
