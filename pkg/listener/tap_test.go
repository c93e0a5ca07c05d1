package listener

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// TestTapSeesEveryEventAndKeepsItsBody checks that a Tap gets every
// request even with Quiet (no display) and a full display queue, and that
// the bodies it was handed stay intact: a pooled body buffer must not be
// reused while the Tap holds it.
func TestTapSeesEveryEventAndKeepsItsBody(t *testing.T) {
	for _, quiet := range []bool{true, false} {
		t.Run(fmt.Sprintf("quiet=%v", quiet), func(t *testing.T) {
			var mu sync.Mutex
			var got []Event
			h, srv := newServer(t, Config{Quiet: quiet, Buffer: 1, Tap: func(ev Event) {
				mu.Lock()
				got = append(got, ev)
				mu.Unlock()
			}})
			var sent [][]byte
			for i := range 20 {
				body := fixturetest.Envelope(t, "message.created", fmt.Sprintf("01KB2Y5X0Q3W7F8G9H0J1K2M%02d", i))
				sent = append(sent, body)
				if resp, _ := post(t, srv.URL, body, signature.Sign(body, secret)); resp.StatusCode != http.StatusOK {
					t.Fatalf("delivery %d: status %d", i, resp.StatusCode)
				}
			}
			resp, _ := post(t, srv.URL, []byte(`{"id":"x"}`), "forged")
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("forged delivery: status %d, want 401", resp.StatusCode)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != 21 {
				t.Fatalf("Tap got %d events, want 21", len(got))
			}
			for i, body := range sent {
				if !bytes.Equal(got[i].Body, body) || !got[i].Verified {
					t.Errorf("event %d: body %q verified %v, want the sent body, verified", i, got[i].Body, got[i].Verified)
				}
			}
			if got[20].Verified || got[20].Status != http.StatusUnauthorized {
				t.Errorf("forged event: verified %v status %d", got[20].Verified, got[20].Status)
			}
			if quiet && h.Stats().Dropped != 0 {
				t.Errorf("quiet listener counted %d dropped", h.Stats().Dropped)
			}
		})
	}
}
