package cmd

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestListenBurstAccountsForEveryDelivery: a burst faster than rows can be
// read folds into summary lines, drained on a timer rather than per
// delivery; every delivery is still a row or counted in a summary, and
// the final counts see them all.
func TestListenBurstAccountsForEveryDelivery(t *testing.T) {
	r := startListen(t, true, "--no-ui")
	const n = 400
	var wg sync.WaitGroup
	codes := make(chan int, n)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				body := []byte(fmt.Sprintf(`{"id":"01KB2Y5X0Q3W7F8G9H0J%06d","action":"review.created","data":{},"created":"2026-11-28T09:35:24Z","version":"1.0"}`, i))
				codes <- postSigned(t, r.url, body, hmacHex(body, devSecret))
			}
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			t.Fatalf("a delivery got %d during the burst", c)
		}
	}
	// While listen still runs, the display must have taken the queued
	// deliveries and printed their summary (not left them to the drain
	// at exit).
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(r.stdout.String(), " verified · ") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // polling the live output, not timing
	}
	if !strings.Contains(r.stdout.String(), " verified · ") {
		t.Fatalf("no summary line while listen ran:\n%s", r.stdout.String())
	}
	r.cancel()
	if code := r.wait(t); code != 0 {
		t.Fatalf("listen exited %d: %s", code, r.stderr.String())
	}
	out := r.stdout.String()
	if !strings.Contains(out, "one summary line a second") {
		t.Fatalf("%d deliveries as fast as they are answered did not start a burst:\n%s", n, out)
	}
	rows := strings.Count(out, "← 200 OK")
	folded := 0
	for _, m := range regexp.MustCompile(`(\d+) verified · (\d+) forged`).FindAllStringSubmatch(out, -1) {
		v, _ := strconv.Atoi(m[1])
		folded += v
	}
	if !strings.Contains(out, fmt.Sprintf("stopped: %d received, %d verified", n, n)) {
		t.Errorf("the final counts miss deliveries:\n%s", out[max(0, len(out)-400):])
	}
	if rows+folded != n && !strings.Contains(out, "not shown") {
		t.Errorf("%d rows + %d in summary lines = %d, want all %d (none were reported dropped)", rows, folded, rows+folded, n)
	}
}
