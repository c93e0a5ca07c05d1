package cmd

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func TestListenAcceptsBothSecretsOfARotation(t *testing.T) {
	r := startListen(t, true, "--secret", "new-secret-2026", "--secret", "old-secret-2025")
	// startListen returns at the ready line's first words; its settings
	// line is written just after.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !strings.Contains(r.stderr.String(), "--secret #2"); {
		time.Sleep(5 * time.Millisecond) // polling the live output, not timing
	}
	if !strings.Contains(r.stderr.String(), "also accepting the older") || !strings.Contains(r.stderr.String(), "--secret #2") {
		t.Errorf("the ready line does not name the older secret: %s", r.stderr.String())
	}
	body := []byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"review.created","data":{},"created":"2026-11-28T09:35:24Z","version":"1.0"}`)
	other := []byte(strings.Replace(string(body), "M3N", "M3P", 1))
	if got := postSigned(t, r.url, body, signature.Sign(body, "new-secret-2026")); got != 200 {
		t.Errorf("signed with the current secret: %d", got)
	}
	if got := postSigned(t, r.url, other, signature.Sign(other, "old-secret-2025")); got != 200 {
		t.Errorf("signed with the older secret: %d", got)
	}
	if got := postSigned(t, r.url, other, signature.Sign(other, "never-a-secret")); got != 401 {
		t.Errorf("signed with neither: %d", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(r.stderr.String(), "matched only the older secret") {
		time.Sleep(10 * time.Millisecond) // polling the live output, not timing
	}
	warn := r.stderr.String()
	if !strings.Contains(warn, "delivery 01KB2Y5X0Q3W7F8G9H0J1K2M3P matched only the older secret old-…") || strings.Contains(warn, "M3N matched") {
		t.Errorf("warning for the older secret:\n%s", warn)
	}
	r.cancel()
	r.wait(t)
}

func TestVerifyWithTwoSecrets(t *testing.T) {
	body := `{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"review.created"}`
	file := writeFile(t, "body.json", body)
	oldSig := signature.Sign([]byte(body), "old-secret-2025")
	r := runCLI(t, nil, "", "verify", "--file", file, "--signature", oldSig, "--secret", "new-secret-2026", "--secret", "old-secret-2025")
	if r.code != 0 || !strings.Contains(r.stderr, "matches only the older secret old-") || !strings.Contains(r.stderr, "--secret #2") {
		t.Errorf("verify with the older secret = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, map[string]string{"HOSPITABLE_WEBHOOK_SECRET": "new-secret-2026,old-secret-2025"}, "", "verify", "--file", file, "--signature", oldSig, "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"older_secret":true`) || !strings.Contains(r.stdout, `"secret_origin":"HOSPITABLE_WEBHOOK_SECRET #2"`) {
		t.Errorf("verify --json with a comma list = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	newSig := signature.Sign([]byte(body), "new-secret-2026")
	r = runCLI(t, nil, "", "verify", "--file", file, "--signature", newSig, "--secret", "new-secret-2026", "--secret", "old-secret-2025")
	if r.code != 0 || strings.Contains(r.stderr, "older") {
		t.Errorf("verify with the current secret = %d\n%s", r.code, r.stderr)
	}
}

func TestSimulateObserves(t *testing.T) {
	dir := t.TempDir()
	log := dir + "/log"
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var env struct{ ID string }
		_ = json.Unmarshal(body, &env)
		mu.Lock()
		defer mu.Unlock()
		n++
		f, _ := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		_, _ = f.WriteString(env.ID + "\n") // the work, done before failing: a retry repeats it
		f.Close()
		if n < 3 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	observer := `grep -c "$HOSPITABLE_HOOK_ID" ` + log + ` || true`
	r := runCLI(t, nil, "", "simulate", "reservation.created", "--to", srv.URL, "--instant", "--observe", observer)
	if r.code != 1 || !strings.Contains(r.stdout, "the app processed this id 3 times after 3 deliveries") {
		t.Errorf("simulate --observe of an app that repeats work = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
