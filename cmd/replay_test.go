package cmd

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/replay"
)

// recordSendAll records `send --all` with the real listener into a capture
// file, adds a GET record (the listener keeps none, but a capture file may
// hold one) and returns its path and its delivery records.
func recordSendAll(t *testing.T) (string, []capture.Record) {
	t.Helper()
	path, srv, w := capturingListener(t)
	r := runCLI(t, nil, "", "send", "--all", "--to", srv.URL+"/webhooks/hospitable",
		"-H", "User-Agent: Hospitable-Webhooks/2.0", "-H", "X-Request-Id: abc", "-H", "X-Multi: 1", "-H", "X-Multi: 2")
	if r.code != 0 {
		t.Fatalf("send --all = %d\n%s", r.code, r.stderr)
	}
	srv.Close()
	if err := w.Append(capture.Record{Method: http.MethodGet, Path: "/", Status: 200}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []capture.Record
	if err := capture.Read(bytes.NewReader(data), func(e capture.Entry) error { recs = append(recs, e.Record); return nil }, nil); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 12 || recs[11].Method != http.MethodGet {
		t.Fatalf("the capture holds %d records, want 11 deliveries and a GET", len(recs))
	}
	return path, recs[:11]
}

// capturingListener starts the real listener, with the development
// secret, saving into a fresh capture file. The caller closes srv, then w.
func capturingListener(t *testing.T) (path string, srv *httptest.Server, w *capture.Writer) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "capture.jsonl")
	w, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, httptest.NewServer(listener.New(listener.Config{Secret: devSecret, Recorder: w})), w
}

// filtered is a captured header less what replay leaves out.
func filtered(h http.Header) http.Header {
	out := http.Header{}
	for k, v := range h {
		if !slices.Contains(replay.Dropped(), k) {
			out[k] = v
		}
	}
	return out
}

func TestReplayIsByteExact(t *testing.T) {
	path, recs := recordSendAll(t)
	srv, hits := endpoint(t, answer(200, "ok"))
	r := runCLI(t, nil, "", "replay", path, "--to", srv.URL+"/webhooks/hospitable")
	if r.code != 0 || !strings.Contains(r.stdout, "11 of 11 delivered") {
		t.Fatalf("replay = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, "development secret") {
		t.Errorf("replay without --resign needs no secret, but announced one: %q", r.stderr)
	}
	got := hits()
	if len(got) != 11 {
		t.Fatalf("%d requests arrived, want the 11 deliveries (not the GET)", len(got))
	}
	for i, h := range got {
		rec := recs[i]
		body, _ := rec.BodyBytes()
		if !bytes.Equal(h.body, body) {
			t.Errorf("delivery %d: body differs from the capture", i+1)
		}
		sent := filtered(h.header)
		delete(sent, "Accept-Encoding") // Go's transport adds its own
		want := filtered(rec.Headers)
		if len(sent) != len(want) {
			t.Errorf("delivery %d: headers %v, want %v", i+1, sent, want)
		}
		for k, v := range want {
			if !slices.Equal(sent[k], v) {
				t.Errorf("delivery %d: header %s = %q, want %q", i+1, k, sent[k], v)
			}
		}
		if h.header.Get("Signature") != hmacHex(body, devSecret) || h.header.Get("User-Agent") != "Hospitable-Webhooks/2.0" {
			t.Errorf("delivery %d: Signature %q, User-Agent %q", i+1, h.header.Get("Signature"), h.header.Get("User-Agent"))
		}
	}
}

func TestReplayResign(t *testing.T) {
	path, _ := recordSendAll(t)
	srv, hits := endpoint(t, answer(200, "ok"))
	r := runCLI(t, nil, "", "replay", path, "--to", srv.URL, "--resign", "--secret", "another-secret", "--action", "message.created")
	got := hits()
	if r.code != 0 || len(got) != 1 {
		t.Fatalf("replay --resign = %d, %d hits\n%s", r.code, len(got), r.stderr)
	}
	if sig := got[0].header.Values("Signature"); len(sig) != 1 || sig[0] != hmacHex(got[0].body, "another-secret") {
		t.Errorf("--resign sent Signature %q, want the new secret's", sig)
	}
	r = runCLI(t, nil, "", "replay", path, "--to", srv.URL, "--secret", "x")
	if r.code != 2 || !strings.Contains(r.stderr, "only apply with `--resign`") {
		t.Errorf("--secret without --resign = %d %q", r.code, r.stderr)
	}
}

func TestReplaySelectionAndDryRun(t *testing.T) {
	path, recs := recordSendAll(t)
	srv, hits := endpoint(t, answer(200, "ok"))
	t.Run("selection", func(t *testing.T) { checkReplaySelects(t, path, srv.URL, hits, recs[0].ID) })
	t.Run("dry run", func(t *testing.T) { checkReplayDryRun(t, path, srv.URL, hits, recs[1]) })
	t.Run("no match", func(t *testing.T) {
		r := runCLI(t, nil, "", "replay", path, "--to", srv.URL, "--id", "01NOPE")
		if r.code != 1 || !strings.Contains(r.stderr, "no delivery in "+path+" matches --id 01NOPE: it holds 11 deliveries of integration.disconnected, message.created") {
			t.Errorf("no match = %d %q", r.code, r.stderr)
		}
	})
}

// checkReplaySelects: replaying the capture of `send --all` to url, --id and
// --action together select only the delivery firstID (its action is not
// listed), and an --action list selects each action in it.
func checkReplaySelects(t *testing.T, path, url string, hits func() []hit, firstID string) {
	t.Helper()
	r := runCLI(t, nil, "", "replay", path, "--to", url, "--action", "message.created,review.created", "--id", firstID, "--action", "integration.disconnected")
	if got := hits(); r.code != 0 || len(got) != 1 || !bytes.Contains(got[0].body, []byte(firstID)) {
		t.Errorf("--id with --action = %d, %d hits, want only the first delivery\n%s", r.code, len(got), r.stdout)
	}
	r = runCLI(t, nil, "", "replay", path, "--to", url, "--action", "review.created,message.created")
	if got := hits(); r.code != 0 || len(got) != 2 {
		t.Errorf("--action list = %d, %d hits, want 2", r.code, len(got))
	}
}

// checkReplayDryRun: --dry-run sends nothing and lists the 11 deliveries of
// the capture at path; with --json it prints the plan of the one delivery
// second, with its original signature and body.
func checkReplayDryRun(t *testing.T, path, url string, hits func() []hit, second capture.Record) {
	t.Helper()
	r := runCLI(t, nil, "", "replay", path, "--to", url, "--dry-run")
	if len(hits()) != 0 || r.code != 0 {
		t.Fatalf("--dry-run sent requests or failed (%d)", r.code)
	}
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 11 || !strings.HasPrefix(lines[0], "line 1    integration.disconnected") ||
		!strings.Contains(lines[0], "original signature (verified, answered 200 when captured)") {
		t.Errorf("--dry-run lists:\n%s", r.stdout)
	}
	r = runCLI(t, nil, "", "replay", path, "--to", url, "--dry-run", "--json", "--id", second.ID)
	var plan replayPlanJSON
	if err := json.Unmarshal([]byte(r.stdout), &plan); err != nil || plan.Line != 2 || plan.Headers["Signature"][0] != second.Headers.Get("Signature") || plan.Body == "" {
		t.Errorf("--dry-run --json = %s (%v)", r.stdout, err)
	}
}

// replayPlanJSON is the part of render.ReplayPlanRecord the test reads.
type replayPlanJSON struct {
	Line    int                 `json:"line"`
	Headers map[string][]string `json:"headers"`
	Body    string              `json:"body"`
}

func TestReplaySkipsBadLines(t *testing.T) {
	path, _ := recordSendAll(t)
	data, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(data), "\n")
	// Corrupt line 3 in the middle, and tear a copy of line 1 at the end.
	lines[2] = `{"received_at":"2026-11-28T09:35:24Z","method":"POST","body":` + "\n"
	torn := lines[0][:len(lines[0])/2]
	corrupt := strings.Join(lines, "") + torn
	file := writeFile(t, "corrupt.jsonl", corrupt)
	srv, hits := endpoint(t, answer(200, "ok"))
	r := runCLI(t, nil, "", "replay", file, "--to", srv.URL)
	if r.code != 0 || len(hits()) != 10 {
		t.Errorf("replay of a corrupt capture = %d, want 10 deliveries replayed\n%s", r.code, r.stdout)
	}
	if !strings.Contains(r.stderr, file+" line 3: ") || !strings.Contains(r.stderr, file+" line 13: torn last line") {
		t.Errorf("bad lines not reported with their numbers:\n%s", r.stderr)
	}
}

func TestReplayInputErrors(t *testing.T) {
	onlyGet := writeFile(t, "get.jsonl", `{"received_at":"2026-11-28T09:35:24Z","method":"GET","path":"/","headers":{},"status":200}`+"\n")
	tests := []struct {
		name   string
		args   []string
		errHas string
	}{
		{"missing file", []string{"replay", "/nonexistent/capture.jsonl"}, "no such file"},
		{"no file", []string{"replay"}, "replay takes one capture file"},
		{"not a capture", []string{"replay", writeFile(t, "x.json", `{"foo":"bar"}`+"\n")}, "this is not a capture file"},
		{"empty", []string{"replay", writeFile(t, "empty.jsonl", "")}, "holds no readable capture record"},
		{"only GETs", []string{"replay", onlyGet}, "holds 1 records but no delivery"},
		{"bad URL", []string{"replay", onlyGet, "--to", "localhost:1"}, "absolute http"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.errHas) || r.stdout != "" {
				t.Errorf("%v = %d, stdout %q, stderr %q; want 2 and %q", tt.args, r.code, r.stdout, r.stderr, tt.errHas)
			}
		})
	}
}

func TestReplayFailureExitsOne(t *testing.T) {
	path, _ := recordSendAll(t)
	srv, _ := endpoint(t, answer(500, "boom"))
	r := runCLI(t, nil, "", "replay", path, "--to", srv.URL, "--action", "review.created")
	if r.code != 1 || !strings.Contains(r.stderr, "review.created not delivered: 500 Internal Server Error") {
		t.Errorf("replay to a failing endpoint = %d %q", r.code, r.stderr)
	}
	r = runCLI(t, nil, "", "replay", path, "--to", srv.URL, "--json", "--action", "review.created")
	var rec map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil || rec["status"] != float64(500) || rec["ok"] != false {
		t.Errorf("replay --json = %s (%v)", r.stdout, err)
	}
}
