package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// stalledWriter is a standard output nobody reads (`listen | sleep 600`):
// a Write blocks until the test ends.
type stalledWriter struct{ release chan struct{} }

func (w stalledWriter) Write(p []byte) (int, error) {
	<-w.release
	return len(p), nil
}

// TestCtrlCWhileStdoutIsStalled: Ctrl-C ends listen within the stop bound
// even though its rows cannot be written, says so, and every delivery
// answered is in the capture file. The rows were written on the goroutine
// that watched for Ctrl-C, so a stalled stdout held it for good.
func TestCtrlCWhileStdoutIsStalled(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	capturePath := filepath.Join(t.TempDir(), "c.jsonl")
	r := startListenTo(t, true, stalledWriter{release}, "--no-ui", "-v", "--save", capturePath)
	const n = 5
	for i := range n {
		body := deliveryBody("01KB6DGNF0E0G2JW0F2RHT0C6" + string(rune('A'+i)))
		if got := postSigned(t, r.url, body, signature.Sign(body, devSecret)); got != 200 {
			t.Fatalf("delivery %d answered %d", i, got)
		}
	}
	start := time.Now()
	r.cancel() // Ctrl-C
	select {
	case code := <-r.done:
		if code != 0 {
			t.Errorf("exit %d, want 0; stderr:\n%s", code, r.stderr)
		}
		t.Logf("stopped %s after Ctrl-C", time.Since(start).Round(time.Millisecond))
	case <-time.After(stopWithin):
		t.Fatalf("listen still running %s after Ctrl-C with its standard output stalled; stderr:\n%s", stopWithin, r.stderr)
	}
	if !strings.Contains(r.stderr.String(), "standard output is not being read") || !strings.Contains(r.stderr.String(), "stopped: 5 received, 5 verified") {
		t.Errorf("stderr does not say why rows are missing, or lacks the counts:\n%s", r.stderr)
	}
	data, err := os.ReadFile(capturePath)
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(data, []byte("\n")); lines != n {
		t.Errorf("the capture file has %d lines, want all %d deliveries answered", lines, n)
	}
}
