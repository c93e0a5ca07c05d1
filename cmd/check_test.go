package cmd

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener/listenertest"
)

// verifyingEndpoint is a receiver that checks the development secret's
// signature on the raw bytes and answers status to valid deliveries
// (repeats included).
func verifyingEndpoint(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Signature") != hmacHex(body, devSecret) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/webhooks/hospitable"
}

func TestCheckCommand(t *testing.T) {
	good := verifyingEndpoint(t, http.StatusOK)
	r := runCLI(t, nil, "", "check", good)
	if r.code != 0 || !strings.Contains(r.stdout, "✓ signed-reservation-created") || !strings.Contains(r.stdout, "all 24 cases passed") {
		t.Errorf("check of a correct endpoint = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "does not document its timeout") || !strings.Contains(r.stderr, "development secret") {
		t.Errorf("check does not state the budget caveat or the secret:\n%s\n%s", r.stdout, r.stderr)
	}

	r = runCLI(t, nil, "", "check", verifyingEndpoint(t, http.StatusNoContent), "--only", "signed-review-created,tampered-body")
	if r.code != 1 || !strings.Contains(r.stdout, "✗ signed-review-created") || !strings.Contains(r.stdout, "✓ tampered-body") ||
		!strings.Contains(r.stdout, "fix: answer exactly 200") || !strings.Contains(r.stdout, "1 of 2 cases failed: signed-review-created") ||
		!strings.Contains(r.stdout, "answer: status 204, empty body") {
		t.Errorf("check of a 204 endpoint = %d\n%s", r.code, r.stdout)
	}
	if r.stderr != "" && !strings.Contains(r.stderr, "development secret") {
		t.Errorf("a failed check reports on stdout only, got stderr %q", r.stderr)
	}
}

func TestCheckFormats(t *testing.T) {
	url := verifyingEndpoint(t, http.StatusOK)
	only := []string{"--only", "signed-message-created,wrong-secret"}

	r := runCLI(t, nil, "", append([]string{"check", url, "--format", "json"}, only...)...)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 {
		t.Fatalf("--format json = %d, %d lines:\n%s", r.code, len(lines), r.stdout)
	}
	for i, want := range []string{"case", "case", "summary"} {
		var rec map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &rec); err != nil || rec["type"] != want {
			t.Errorf("line %d = %s (%v), want type %q", i+1, lines[i], err, want)
		}
	}

	r = runCLI(t, nil, "", append([]string{"check", url, "--format", "junit"}, only...)...)
	var doc struct {
		Tests  int `xml:"tests,attr"`
		Suites []struct {
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 || doc.Tests != 2 || doc.Suites[0].Cases[1].Name != "wrong-secret" {
		t.Errorf("--format junit = %d, %+v, %v:\n%s", r.code, doc, err, r.stdout)
	}

	r = runCLI(t, nil, "", append([]string{"check", url, "--format", "tap"}, only...)...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "TAP version 14\n1..2\n") || !strings.Contains(r.stdout, "\nok 2 - wrong-secret: ") {
		t.Errorf("--format tap = %d:\n%s", r.code, r.stdout)
	}
}

func TestCheckUsageAndReach(t *testing.T) {
	closed := "http://" + listenertest.ClosedAddr(t) + "/webhooks/hospitable"
	tests := []struct {
		name   string
		args   []string
		code   int
		errHas string
	}{
		{"no URL", []string{"check"}, 2, "missing URL"},
		{"bad URL", []string{"check", "localhost:5000"}, 2, "absolute http"},
		{"unknown case", []string{"check", closed, "--only", "wrong-secrets"}, 2, `no case named "wrong-secrets" (did you mean "wrong-secret"?): valid cases are signed-integration-disconnected`},
		{"bad format", []string{"check", closed, "--format", "xml"}, 2, "text, json, junit or tap"},
		{"bad budget", []string{"check", closed, "--budget", "0s"}, 2, "positive duration"},
		{"unreachable", []string{"check", closed}, 1, "cannot reach " + closed + ": connection refused"},
		{"unreachable tap bails out", []string{"check", closed, "--format", "tap"}, 1, "start your endpoint"},
		{"case typo", []string{"check", closed, "--only", "answer-tme"}, 2, `did you mean "answer-time"?`},
		{"bad concurrency", []string{"check", closed, "--concurrency", "0"}, 2, "give 1 to 32"},
		{"empty observer", []string{"check", closed, "--observe", " "}, 2, "empty `--observe`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.errHas) {
				t.Errorf("%v = %d, stderr %q; want %d and %q", tt.args, r.code, r.stderr, tt.code, tt.errHas)
			}
		})
	}
	r := runCLI(t, nil, "", "check", closed, "--format", "tap")
	if !strings.Contains(r.stdout, "Bail out! cannot reach") {
		t.Errorf("tap output for an unreachable endpoint:\n%s", r.stdout)
	}
}

func TestCheckCompletesCaseNames(t *testing.T) {
	r := runCLI(t, nil, "", "__complete", "check", "http://x", "--only", "wrong-secret,")
	if !strings.Contains(r.stdout, "wrong-secret,answer-time") || !strings.Contains(r.stdout, "wrong-secret,signed-message-created") {
		t.Errorf("completion of --only:\n%s", r.stdout)
	}
}

func TestCheckReportsAreCompleteWhenUnreachable(t *testing.T) {
	closed := "http://" + listenertest.ClosedAddr(t) + "/webhooks/hospitable"
	r := runCLI(t, nil, "", "check", closed, "--format", "junit")
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 1 || doc.Tests != 1 || doc.Failures != 1 ||
		doc.Suites[0].Cases[0].Failure == nil || !strings.Contains(doc.Suites[0].Cases[0].Failure.Message, "cannot reach") {
		t.Errorf("--format junit, unreachable = %d, %+v, %v:\n%s", r.code, doc, err, r.stdout)
	}
	r = runCLI(t, nil, "", "check", closed, "--format", "json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var c, sum map[string]any
	if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &c) != nil || json.Unmarshal([]byte(lines[1]), &sum) != nil ||
		c["pass"] != false || c["name"] != "endpoint-reachable" || sum["failed"] != 1.0 || !strings.Contains(sum["unreachable"].(string), "cannot reach") {
		t.Errorf("--format json, unreachable = %d:\n%s", r.code, r.stdout)
	}
}

func TestCheckWordsMatchWhatHappened(t *testing.T) {
	good := verifyingEndpoint(t, http.StatusOK)
	r := runCLI(t, nil, "", "check", good, "--only", "wrong-secret")
	if r.code != 0 || !strings.Contains(r.stdout, "(1 case;") || !strings.Contains(r.stdout, "the 1 selected case passed (23 other cases not run") ||
		strings.Contains(r.stdout, "behaves as Hospitable needs") {
		t.Errorf("check --only one case = %d:\n%s", r.code, r.stdout)
	}
	r = runCLI(t, nil, "", "check", verifyingEndpoint(t, http.StatusInternalServerError), "--fail-fast", "--concurrency", "1", "--only", "signed-*")
	if r.code != 1 || !strings.Contains(r.stdout, "- signed-message-created") || !strings.Contains(r.stdout, "--fail-fast stopped the run after signed-integration-disconnected failed") ||
		!strings.Contains(r.stdout, "1 of 11 cases failed: signed-integration-disconnected (10 cases not run)") {
		t.Errorf("check --fail-fast = %d:\n%s", r.code, r.stdout)
	}
	r = runCLI(t, nil, "", "check", good, "--only", "answer-time", "--timeout", "1s", "--budget", "3s")
	if !strings.Contains(r.stderr, "`--timeout` 1s is below `--budget` 3s") {
		t.Errorf("no warning for --timeout below --budget: %q", r.stderr)
	}
}

func TestCheckDiagnosesAndObserves(t *testing.T) {
	// A receiver keyed with the decoded email, the most common mistake.
	decoded := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Signature") != hmacHex(body, "dev@hospitable-hook.invalid") {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer decoded.Close()
	r := runCLI(t, nil, "", "check", decoded.URL, "--only", "signed-message-created,signed-review-created")
	first := strings.SplitN(r.stdout, "\n", 3)[1]
	if r.code != 1 || !strings.HasPrefix(first, "✗ diagnosis: your endpoint uses the decoded email") || !strings.Contains(first, "without decoding it") {
		t.Errorf("check of an endpoint keyed with the decoded email = %d:\n%s", r.code, r.stdout)
	}

	// A receiver that stores every delivery, duplicates included.
	dir := t.TempDir()
	var mu sync.Mutex
	stored := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var env struct{ ID string }
		_ = json.Unmarshal(body, &env)
		mu.Lock()
		f, _ := os.OpenFile(filepath.Join(dir, "log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		_, _ = f.WriteString(env.ID + "\n")
		f.Close()
		mu.Unlock()
	}))
	defer stored.Close()
	observer := "grep -c \"$HOSPITABLE_HOOK_ID\" " + filepath.Join(dir, "log") + " || true"
	r = runCLI(t, nil, "", "check", stored.URL, "--only", "duplicate-delivery", "--observe", observer)
	if r.code != 1 || !strings.Contains(r.stdout, "the app processed this id 2 times") {
		t.Errorf("check --observe of a receiver storing duplicates = %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "", "check", stored.URL, "--only", "duplicate-delivery")
	if r.code != 0 || !strings.Contains(r.stdout, "note: two 200s do not show whether the work ran once") {
		t.Errorf("check without --observe = %d:\n%s", r.code, r.stdout)
	}
}
