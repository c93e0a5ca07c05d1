package render

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// TestListenForwardSaysWhoAnswered checks that the listener's own 502 is
// never shown as the app's answer.
func TestListenForwardSaysWhoAnswered(t *testing.T) {
	body := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	tests := []struct {
		name      string
		fwd       listener.Forward
		status    int
		want      []string
		forbidden []string
	}{
		{"app down", listener.Forward{URL: "http://127.0.0.1:3000/webhooks", Err: "connection refused on 127.0.0.1:3000", ErrKind: "connection_refused",
			Hint: "start your app, or point --forward-to at where it listens", Verdict: listener.Verdict{Code: "no_answer"}}, 502,
			[]string{"502 Bad Gateway", "from the listener: your app gave no answer", "no answer: connection refused on 127.0.0.1:3000: start your app"}, []string{"from your app", "dial tcp"}},
		{"sender gone", listener.Forward{URL: "http://127.0.0.1:3000/webhooks", Err: "the sender closed the connection before your app answered", ErrKind: "sender_gone",
			Latency: 4 * time.Second, Verdict: listener.Verdict{Code: "sender_gone", Message: "the sender gave up after 4.00s, before your app answered: Hospitable would retry this delivery"}}, 502,
			[]string{"from the listener, to a sender already gone", "the sender gave up after 4.00s"}, []string{"from your app"}},
		{"body did not finish", listener.Forward{URL: "http://127.0.0.1:3000/webhooks", Status: 200, Err: "no answer from 127.0.0.1:3000 within 2s", ErrKind: "timeout",
			Verdict: listener.Verdict{Code: "incomplete", Message: "your app answered 200 OK, but the response body did not finish: no answer from 127.0.0.1:3000 within 2s"}}, 502,
			[]string{"502 Bad Gateway", "from the listener: your app's answer did not finish", "your app answered 200 OK, but the response body did not finish"}, []string{"from your app"}},
		{"app answered", listener.Forward{URL: "http://127.0.0.1:3000/webhooks", Status: 500, Verdict: listener.Verdict{Code: "app_error", Message: "your app answered 500 Internal Server Error, not 200: Hospitable would retry this delivery (1s, 5s, 10s, 1h, 6h)"}}, 500,
			[]string{"500 Internal Server Error", "from your app"}, []string{"from the listener"}},
		{"redirect loop", listener.Forward{URL: "http://127.0.0.1:3000/loop", Status: 307, Redirect: "http://127.0.0.1:3000/loop", RedirectNote: "still redirecting after 3 redirects on the same host: a loop?"}, 307,
			[]string{"not followed (still redirecting after 3 redirects on the same host: a loop?)"}, []string{"another host"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			ev := listenEvent(body, func(e *listener.Event) { e.Forward, e.Status = &tt.fwd, tt.status })
			ListenEvent(&out, newStyles(false), ev, ListenOptions{})
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			for _, f := range tt.forbidden {
				if strings.Contains(out.String(), f) {
					t.Errorf("output says %q:\n%s", f, out.String())
				}
			}
		})
	}
}

// TestListenForwardWordsAsSend forwards to a real app and checks that the
// row under the delivery says what send says of the same answer.
func TestListenForwardWordsAsSend(t *testing.T) {
	body := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	for _, status := range []int{202, 401, 500} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
			defer app.Close()
			fwd, err := listener.NewForwarder(app.URL, listener.ForwardOptions{})
			if err != nil {
				t.Fatal(err)
			}
			f := fwd.Do(context.Background(), http.Header{}, body, true, time.Now)
			var out bytes.Buffer
			ListenEvent(&out, newStyles(false), listenEvent(body, func(e *listener.Event) { e.Forward, e.Status = &f, status }), ListenOptions{})
			want := verdict.Judge(verdict.Answer{Status: status, Target: app.URL})
			if !strings.Contains(out.String(), "✗ your app answered "+want.Label+": "+want.Note()) {
				t.Errorf("row lacks send's words %q: %q\n%s", want.Label, want.Note(), out.String())
			}
		})
	}
}
