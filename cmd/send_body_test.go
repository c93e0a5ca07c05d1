package cmd

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestSendFailsWhenTheBodyNeverFinishes answers 200 with the start of a
// body and never finishes it: that is not a delivery.
func TestSendFailsWhenTheBodyNeverFinishes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("ok"))
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	r := runCLI(t, nil, "", "send", "reservation.created", "--to", srv.URL, "--timeout", "300ms")
	if r.code != 1 || !strings.Contains(r.stdout, "the response body did not finish") || !strings.Contains(r.stderr, "did not finish") {
		t.Errorf("send = %d\n%s%s; want exit 1 saying the body did not finish", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "", "send", "reservation.created", "--to", srv.URL, "--timeout", "300ms", "--json")
	var rec struct {
		OK        bool   `json:"ok"`
		Status    int    `json:"status"`
		ErrorKind string `json:"error_kind"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil || r.code != 1 || rec.OK || rec.Status != 200 || rec.ErrorKind != "timeout" {
		t.Errorf("send --json = %d %s (%v); want ok false, status 200, error_kind timeout", r.code, r.stdout, err)
	}
}

func TestSendHeaderWithAControlCharacterIsAUsageError(t *testing.T) {
	srv, hits := endpoint(t, answer(200, "ok"))
	r := runCLI(t, nil, "", "send", "reservation.created", "--to", srv.URL, "-H", "X-Test: a\x01b")
	if r.code != 2 || !strings.Contains(r.stderr, "control character") || len(hits()) != 0 {
		t.Errorf("send -H with a control character = %d %q, %d sent; want exit 2 before sending", r.code, r.stderr, len(hits()))
	}
}
