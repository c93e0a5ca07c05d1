package listener

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func TestRotationAcceptsOlderSecrets(t *testing.T) {
	h := New(Config{Secret: secret, OlderSecrets: []string{"old-one", "old-two"}, Clock: clock.NewVirtual(t0)})
	b := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	tests := []struct {
		key    string
		status int
		older  int
	}{
		{secret, 200, 0},
		{"old-two", 200, 2},
		{"old-one", 200, 1},
		{"never-was", 401, 0},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(b))
		req.Header.Set(signature.Header, signature.Sign(b, tt.key))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		ev := <-h.Events()
		if rec.Code != tt.status || ev.OlderSecret != tt.older || ev.Verified != (tt.status == 200) {
			t.Errorf("signed with %q: %d, older %d, verified %v; want %d, older %d", tt.key, rec.Code, ev.OlderSecret, ev.Verified, tt.status, tt.older)
		}
	}
}
