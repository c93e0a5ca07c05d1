package listener

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func TestForwardToAStoppedAppIsTheListeners502(t *testing.T) {
	appSrv := httptest.NewServer(http.NotFoundHandler())
	appURL := appSrv.URL
	appSrv.Close()
	fwd, _ := NewForwarder(appURL+"/webhooks", ForwardOptions{})
	h, srv := newServer(t, Config{Forward: fwd})
	b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	resp, text := post(t, srv.URL, b, signature.Sign(b, secret))
	ev := next(t, h)
	f := ev.Forward
	addr := strings.TrimPrefix(appURL, "http://")
	if resp.StatusCode != 502 || f.Answered() || f.ErrKind != string(deliver.KindRefused) {
		t.Fatalf("status %d, forward %+v; want the listener's 502, connection refused", resp.StatusCode, f)
	}
	if f.Err != "connection refused on "+addr || strings.Contains(f.Err+f.Verdict.Message, "dial tcp") {
		t.Errorf("error %q, verdict %q: want send's wording, not Go's", f.Err, f.Verdict.Message)
	}
	if !strings.Contains(f.Hint, "start your app") || !strings.Contains(text, "your app gave no answer") {
		t.Errorf("hint %q, answer %q", f.Hint, text)
	}
}

// blockingApp answers nothing until its request ends; with started it
// first writes a 200 and the start of a body.
func blockingApp(started bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets net/http notice the client hanging up.
		_, _ = io.Copy(io.Discard, r.Body)
		if started {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte("{"))
			http.NewResponseController(w).Flush()
		}
		<-r.Context().Done()
	}
}

func TestForwardTimeoutBoundsTheWholeAnswer(t *testing.T) {
	tests := []struct {
		name    string
		started bool
		status  int
		code    string
	}{
		{"no answer at all", false, 502, "no_answer"},
		{"a body that never finishes", true, 502, "incomplete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			appSrv := httptest.NewServer(blockingApp(tt.started))
			defer appSrv.Close()
			fwd, _ := NewForwarder(appSrv.URL, ForwardOptions{Timeout: 200 * time.Millisecond})
			h, srv := newServer(t, Config{Forward: fwd})
			b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
			start := time.Now()
			resp, _ := post(t, srv.URL, b, signature.Sign(b, secret))
			held := time.Since(start)
			f := next(t, h).Forward
			if resp.StatusCode != tt.status || f.Passed() || f.Verdict.Code != tt.code || f.ErrKind != string(deliver.KindTimeout) {
				t.Fatalf("status %d, forward %+v; want %d, %s after a timeout", resp.StatusCode, f, tt.status, tt.code)
			}
			if held > 5*time.Second {
				t.Errorf("the sender was held %s with a 200ms forward timeout", held)
			}
			if !strings.Contains(f.Err, "within 200ms") || !strings.Contains(f.Hint, "--forward-timeout") {
				t.Errorf("error %q, hint %q", f.Err, f.Hint)
			}
		})
	}
}

func TestForwardWhenTheSenderGivesUpFirst(t *testing.T) {
	appSrv := httptest.NewServer(blockingApp(false))
	defer appSrv.Close()
	fwd, _ := NewForwarder(appSrv.URL, ForwardOptions{Timeout: time.Minute})
	h, srv := newServer(t, Config{Forward: fwd})
	b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(b))
	req.Header.Set(signature.Header, signature.Sign(b, secret))
	client := &http.Client{Timeout: 200 * time.Millisecond}
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the sender got %d, want it to give up", resp.StatusCode)
	}
	f := next(t, h).Forward
	if f.Answered() || !f.SenderGone() || f.Verdict.Code != "sender_gone" || !strings.Contains(f.Verdict.Message, "sender gave up") {
		t.Errorf("forward %+v; want the sender's giving up named", f)
	}
}

func TestForwardJudgesSlowAnswers(t *testing.T) {
	appSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer appSrv.Close()
	b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	// Each reading of the clock is 4s after the last: the app took 4s.
	var mu sync.Mutex
	at := t0
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		at = at.Add(4 * time.Second)
		return at
	}
	for _, tt := range []struct {
		budget time.Duration
		code   string
	}{{3 * time.Second, "slow"}, {5 * time.Second, "ok"}, {0, "ok"}} {
		fwd, _ := NewForwarder(appSrv.URL, ForwardOptions{Budget: tt.budget})
		f := fwd.Do(context.Background(), http.Header{}, b, true, now)
		if f.Verdict.Code != tt.code || tt.code == "slow" && (f.Verdict.OK || !strings.Contains(f.Verdict.Message, "took 4.00s") || !strings.Contains(f.Verdict.Message, "assumption")) {
			t.Errorf("budget %s: verdict %+v, want %s", tt.budget, f.Verdict, tt.code)
		}
	}
}

func TestForwardRedirectLoopIsNotAnotherHost(t *testing.T) {
	appSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusTemporaryRedirect)
	}))
	defer appSrv.Close()
	fwd, _ := NewForwarder(appSrv.URL+"/loop", ForwardOptions{})
	b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	f := fwd.Do(context.Background(), http.Header{}, b, true, time.Now)
	if f.Status != 307 || !strings.HasSuffix(f.Redirect, "/loop") || strings.Contains(f.RedirectNote, "another host") || !strings.Contains(f.RedirectNote, "loop") {
		t.Errorf("forward %+v; want a same-host loop said as such", f)
	}
}

func TestForwardProbe(t *testing.T) {
	appSrv := httptest.NewServer(http.NotFoundHandler())
	up, _ := NewForwarder(appSrv.URL, ForwardOptions{})
	if err := up.Probe(context.Background()); err != nil {
		t.Errorf("Probe of a running app = %v", err)
	}
	appSrv.Close()
	if err := up.Probe(context.Background()); err == nil || err.Kind != deliver.KindRefused {
		t.Errorf("Probe of a stopped app = %v, want connection refused", err)
	}
}
