package cmd

// Tests that run the real binary: built from the module root, started as
// a subprocess, talked to over 127.0.0.1 and killed like a user's machine
// would kill it.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// buildBinary builds the real hospitable-hook from the module root into a
// test's temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go tool to build the binary with: %v", err)
	}
	path := filepath.Join(t.TempDir(), "hospitable-hook")
	build := exec.Command(goTool, "build", "-o", path, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return path
}

// cleanEnv is the environment without any secret, so the binary uses the
// built-in development secret.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOSPITABLE_") {
			env = append(env, kv)
		}
	}
	// A test binds only ports the OS picks: the inspector too.
	return append(env, "NO_COLOR=1", "HOSPITABLE_HOOK_UI=127.0.0.1:0")
}

// process is a running `hospitable-hook listen`.
type process struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer   // written while the process runs
	done   chan struct{} // closed once stdout reached EOF
}

// startListenProcess runs `listen --json --port 0 args...` and reads the ready
// object from the first stdout line. The rest of stdout is drained.
func startListenProcess(t *testing.T, args ...string) *process {
	t.Helper()
	return startListenBinary(t, buildBinary(t), args...)
}

// startListenBinary is startListenProcess with a binary already built.
func startListenBinary(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"listen", "--json", "--port", "0"}, args...)...)
	cmd.Env = cleanEnv()
	p := &process{cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		_ = cmd.Wait()
	})
	out := bufio.NewReader(stdout)
	readyLine := make(chan string, 1)
	go func() {
		defer close(p.done)
		line, _ := out.ReadString('\n')
		readyLine <- line
		_, _ = io.Copy(io.Discard, out)
	}()
	var line string
	select {
	case line = <-readyLine:
	case <-time.After(15 * time.Second):
		t.Fatal("listen printed no ready line within 15s")
	}
	var ready struct {
		Type string `json:"type"`
		URL  string `json:"url"`
		Port int    `json:"port"`
	}
	if err := json.Unmarshal([]byte(line), &ready); err != nil || ready.Type != "ready" || ready.Port == 0 {
		<-p.done
		_ = cmd.Wait()
		t.Fatalf("first stdout line %q is not the ready object (%v); stderr:\n%s", line, err, p.stderr)
	}
	p.url = ready.URL + "/webhooks/hospitable"
	return p
}

func deliveryBody(id string) []byte {
	return []byte(`{"id":"` + id + `","action":"reservation.created","data":{"code":"HMZ4TQ8KXN","guest":{"first_name":"Jos\u00e9"}},"created":"2026-11-28T09:35:24Z","version":"1.0"}`)
}

func postDelivery(c *http.Client, url, id string) (int, error) {
	body := deliveryBody(id)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(signature.Header, signature.Sign(body, devSecret))
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// readCapture reads a capture file, returning its records by id and the
// lines the reader refused.
func readCapture(t *testing.T, path string) (map[string]capture.Record, []*capture.LineError, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs := make(map[string]capture.Record)
	var bad []*capture.LineError
	lines := 0
	err = capture.Read(f, func(e capture.Entry) error {
		recs[e.Record.ID] = e.Record
		lines = e.Line
		return nil
	}, func(le *capture.LineError) { bad = append(bad, le) })
	if err != nil {
		t.Fatalf("reading the capture file: %v", err)
	}
	return recs, bad, lines
}

// TestKillMidFlight floods the real `listen --save` from 32 senders and
// kills it with SIGKILL while they are posting. Every delivery a sender saw
// answered 200 must be in the capture file, the file must read, and a torn
// last line must be reported with its line number without costing the
// records before it, also once a new listen has appended after it.
func TestKillMidFlight(t *testing.T) {
	const senders = 32
	const killAfter = 3000 // acknowledged deliveries
	capturePath := filepath.Join(t.TempDir(), "capture.jsonl")
	p := startSavingUnderUmask0(t, capturePath)
	client := &http.Client{
		Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: senders},
		Timeout:   10 * time.Second,
	}
	defer client.CloseIdleConnections()

	f := startFlood(client, p.url, senders)
	f.waitForAcks(t, killAfter, p)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	ackedIDs, inFlight := f.collect(t)
	checkKilledBySIGKILL(t, p)

	checkCaptureMode(t, capturePath)
	data, err := os.ReadFile(capturePath)
	if err != nil {
		t.Fatal(err)
	}
	tornNaturally := len(data) > 0 && data[len(data)-1] != '\n'
	recs := checkAckedSaved(t, capturePath, ackedIDs, tornNaturally, inFlight)

	// A single write per record means a kill rarely tears a line; tear one
	// by hand, as a power cut or full disk would, to check the reader.
	if !tornNaturally {
		tearLastLine(t, capturePath, recs[ackedIDs[0]])
	}
	fileLines := bytes.Count(data, []byte("\n")) + 1 // the torn line is the last
	checkTornLineReported(t, capturePath, fileLines, len(recs))
	checkRestartAppends(t, capturePath, client, fileLines, len(recs))
}

// startSavingUnderUmask0 starts `listen --save path` under umask 0: a
// capture file created with 0644 or 0666 would show it, and it must still
// come out 0600.
func startSavingUnderUmask0(t *testing.T, path string) *process {
	t.Helper()
	old := syscall.Umask(0)
	p := startListenProcess(t, "--save", path)
	syscall.Umask(old)
	return p
}

// senderResult is what one flooding sender saw before the process died.
type senderResult struct {
	acked    []string
	refused  []string // answered, but not 200
	inFlight bool     // the last request got no answer
	err      error
}

// flood is senders posting deliveries with their own ids as fast as they
// can, until a request fails.
type flood struct {
	senders int
	acked   atomic.Int64
	results chan senderResult
}

// startFlood starts the senders against url.
func startFlood(client *http.Client, url string, senders int) *flood {
	f := &flood{senders: senders, results: make(chan senderResult, senders)}
	for s := 0; s < senders; s++ {
		go f.send(client, url, s)
	}
	return f
}

// send posts until a request fails, then reports what it saw.
func (f *flood) send(client *http.Client, url string, s int) {
	var r senderResult
	for n := 0; ; n++ {
		id := fmt.Sprintf("kill-%02d-%06d", s, n)
		status, err := postDelivery(client, url, id)
		if err != nil {
			// Refused means the process was already gone; anything
			// else means it died with this request in hand.
			r.inFlight, r.err = !errors.Is(err, syscall.ECONNREFUSED), err
			f.results <- r
			return
		}
		if status != http.StatusOK {
			r.refused = append(r.refused, fmt.Sprintf("%s: %d", id, status))
			continue
		}
		r.acked = append(r.acked, id)
		f.acked.Add(1)
	}
}

// waitForAcks returns once n deliveries were answered 200, or fails after 30s.
func (f *flood) waitForAcks(t *testing.T, n int64, p *process) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); f.acked.Load() < n; {
		if time.Now().After(deadline) {
			t.Fatalf("only %d deliveries acknowledged in 30s; stderr:\n%s", f.acked.Load(), p.stderr)
		}
		time.Sleep(time.Millisecond) // polling a counter, not synchronising
	}
}

// collect waits for every sender to stop and returns the ids answered 200
// and how many senders had a request cut; an answer other than 200 fails.
func (f *flood) collect(t *testing.T) (acked []string, inFlight int) {
	t.Helper()
	for s := 0; s < f.senders; s++ {
		r := <-f.results
		acked = append(acked, r.acked...)
		if len(r.refused) > 0 {
			t.Errorf("valid deliveries answered other than 200: %v", r.refused[:min(len(r.refused), 5)])
		}
		if r.inFlight {
			inFlight++
		}
	}
	return acked, inFlight
}

// checkKilledBySIGKILL waits for the process and checks that SIGKILL
// ended it.
func checkKilledBySIGKILL(t *testing.T, p *process) {
	t.Helper()
	<-p.done
	err := p.cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("listen ended with %v, want killed by SIGKILL", err)
	}
}

// checkCaptureMode checks the capture file came out 0600 under umask 0.
func checkCaptureMode(t *testing.T, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("capture file mode %v under umask 0, want 0600", info.Mode().Perm())
	}
}

// checkAckedSaved checks that the capture file reads (but for a last line
// the kill tore) and holds every acknowledged delivery, verified with
// status 200. It returns the records by id.
func checkAckedSaved(t *testing.T, path string, ackedIDs []string, tornNaturally bool, inFlight int) map[string]capture.Record {
	t.Helper()
	recs, bad, _ := readCapture(t, path)
	for _, le := range bad {
		if !tornNaturally || !errors.Is(le, capture.ErrTorn) {
			t.Errorf("capture file line %d does not read: %v", le.Line, le)
		}
	}
	lost := 0
	for _, id := range ackedIDs {
		r, ok := recs[id]
		if !ok {
			lost++
			if lost <= 5 {
				t.Errorf("delivery %s was answered 200 but is not in the capture file", id)
			}
			continue
		}
		if r.Status != http.StatusOK || !r.Verified {
			t.Errorf("delivery %s recorded as status %d verified %v", id, r.Status, r.Verified)
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged deliveries lost", lost, len(ackedIDs))
	}
	t.Logf("acknowledged %d, saved %d (%d more were written but not acknowledged before the kill), %d senders had a request cut, lost %d; last line torn by the kill: %v",
		len(ackedIDs), len(recs), len(recs)-len(ackedIDs), inFlight, lost, tornNaturally)
	return recs
}

// tearLastLine appends the first half of rec's line, as a power cut or a
// full disk would leave it.
func tearLastLine(t *testing.T, path string, rec capture.Record) {
	t.Helper()
	line, err := capture.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Write(line[:len(line)/2])
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

// checkTornLineReported checks the reader reports the torn last line,
// fileLines, by number and keeps all saved records before it.
func checkTornLineReported(t *testing.T, path string, fileLines, saved int) {
	t.Helper()
	again, bad, lastGood := readCapture(t, path)
	if len(bad) != 1 || bad[0].Line != fileLines || !errors.Is(bad[0], capture.ErrTorn) || lastGood != fileLines-1 {
		t.Fatalf("reader on a torn last line: bad lines %v, last record at line %d; want only line %d, torn", bad, lastGood, fileLines)
	}
	if len(again) != saved {
		t.Errorf("the torn line cost records: %d before, %d after", saved, len(again))
	}
	if !strings.Contains(bad[0].Error(), fmt.Sprintf("line %d", fileLines)) {
		t.Errorf("the torn line's error %q does not name its line", bad[0])
	}
}

// checkRestartAppends starts a new listen on the capture file: it ends
// the torn line, fileLines, and appends after it.
func checkRestartAppends(t *testing.T, path string, client *http.Client, fileLines, saved int) {
	t.Helper()
	p2 := startListenProcess(t, "--save", path)
	if status, err := postDelivery(client, p2.url, "after-the-kill"); err != nil || status != http.StatusOK {
		t.Fatalf("delivery to the restarted listen: %d, %v", status, err)
	}
	_ = p2.cmd.Process.Signal(syscall.SIGKILL)
	<-p2.done
	_ = p2.cmd.Wait()
	final, bad, _ := readCapture(t, path)
	if _, ok := final["after-the-kill"]; !ok || len(final) != saved+1 {
		t.Errorf("after a restart: %d records, new one present %v; want %d", len(final), ok, saved+1)
	}
	if len(bad) != 1 || bad[0].Line != fileLines || errors.Is(bad[0], capture.ErrTorn) {
		t.Errorf("after a restart the old torn line should read as one bad line %d, not torn: %v", fileLines, bad)
	}
}
