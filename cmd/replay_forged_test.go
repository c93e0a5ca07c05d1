package cmd

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// mixedCapture captures two valid deliveries and a forged one (line 2)
// with the real listener.
func mixedCapture(t *testing.T) string {
	t.Helper()
	path, srv, w := capturingListener(t)
	for i, id := range []string{"01KB6DGNF0E0G2JW0F2RHT0C6A", "01KB6DGNF0E0G2JW0F2RHT0C6B", "01KB6DGNF0E0G2JW0F2RHT0C6C"} {
		body := deliveryBody(id)
		sig := signature.Sign(body, devSecret)
		if i == 1 {
			sig = signature.Sign(body, "another secret")
		}
		if code := postSigned(t, srv.URL+"/webhooks/hospitable", body, sig); code != 200 && i != 1 || code != 401 && i == 1 {
			t.Fatalf("capturing delivery %d: status %d", i, code)
		}
	}
	srv.Close()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkingEndpoint answers 200 to a delivery signed with the development
// secret and 401 to any other; hits counts the deliveries.
func checkingEndpoint(t *testing.T) (srv *httptest.Server, hits func() int) {
	var mu sync.Mutex
	n := 0
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(r.Body)
		mu.Lock()
		n++
		mu.Unlock()
		if signature.Verify(buf.Bytes(), r.Header.Get(signature.Header), devSecret) != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv, func() int { mu.Lock(); defer mu.Unlock(); return n }
}

func TestReplaySkipsForgedDeliveriesByDefault(t *testing.T) {
	path := mixedCapture(t)
	srv, hits := checkingEndpoint(t)
	r := runCLI(t, nil, "", "replay", path, "--to", srv.URL)
	if r.code != 0 || hits() != 2 {
		t.Errorf("replay = %d, want 0 with the 2 verified deliveries\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "skipped 1 delivery forged when captured (not verified); pass --all") {
		t.Errorf("the skipped forged delivery is not counted:\n%s", r.stderr)
	}
}

func TestReplayAllExpectsForgedOnesRefused(t *testing.T) {
	path := mixedCapture(t)
	srv, hits := checkingEndpoint(t)
	r := runCLI(t, nil, "", "replay", path, "--to", srv.URL, "--all")
	if r.code != 0 || hits() != 3 || !strings.Contains(r.stdout, "refused, as it should be") ||
		!strings.Contains(r.stdout, "3 of 3 answered as they should: 2 delivered (200 OK), 1 forged refused") {
		t.Errorf("replay --all to an endpoint that checks signatures = %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}

	lax, _ := endpoint(t, answer(200, "ok"))
	r = runCLI(t, nil, "", "replay", path, "--to", lax.URL, "--all")
	if r.code != 1 || !strings.Contains(r.stderr, "forged when captured: the endpoint does not check signatures") {
		t.Errorf("replay --all to an endpoint that accepts anything = %d, want 1 naming the forged delivery\n%s", r.code, r.stderr)
	}

	// With --resign every delivery is valid again, so each needs a 200.
	r = runCLI(t, nil, "", "replay", path, "--to", srv.URL, "--all", "--resign")
	if r.code != 0 || !strings.Contains(r.stdout, "3 of 3 delivered (200 OK)") {
		t.Errorf("replay --all --resign = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestReplayJSONCarriesLineAndCapturedVerdict(t *testing.T) {
	path := mixedCapture(t)
	srv, _ := checkingEndpoint(t)
	r := runCLI(t, nil, "", "replay", path, "--to", srv.URL, "--all", "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 {
		t.Fatalf("replay --all --json = %d with %d lines\n%s", r.code, len(lines), r.stderr)
	}
	for i, l := range lines {
		var rec struct {
			Line             int    `json:"line"`
			OK               bool   `json:"ok"`
			Status           int    `json:"status"`
			CapturedVerified bool   `json:"captured_verified"`
			CapturedReason   string `json:"captured_reason"`
			CapturedStatus   int    `json:"captured_status"`
			Expected         string `json:"expected"`
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		forged := i == 1
		want := map[bool]string{true: "refusal", false: "200"}[forged]
		if rec.Line != i+1 || !rec.OK || rec.CapturedVerified == forged || rec.Expected != want ||
			forged && (rec.CapturedStatus != 401 || rec.CapturedReason == "" || rec.Status != 401) {
			t.Errorf("line %d: %s", i+1, l)
		}
	}
}

func TestReplayOfAFileThatIsNotACapture(t *testing.T) {
	for _, content := range []string{
		string(deliveryBody("01KB6DGNF0E0G2JW0F2RHT0C6B")),
		"not json at all\nnor this\n",
		`[{"id":1}]`,
	} {
		file := writeFile(t, "body.json", content)
		r := runCLI(t, nil, "", "replay", file, "--to", "http://127.0.0.1:1")
		if r.code != 2 || !strings.Contains(r.stderr, "this is not a capture file") || !strings.Contains(r.stderr, "send --body") ||
			strings.Contains(r.stderr, "warning") {
			t.Errorf("replay of %q = %d %q; want exit 2 pointing to send --body, without line warnings", content, r.code, r.stderr)
		}
	}
}
