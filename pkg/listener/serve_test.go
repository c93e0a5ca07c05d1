package listener

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// startServe runs Serve on a free loopback port and returns it with its
// delivery URL; it is stopped when the test ends.
func startServe(t *testing.T, ctx context.Context, cfg Config, o ServeOptions) (*Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Secret == "" {
		cfg.Secret = secret
	}
	o.ErrorLog = log.New(io.Discard, "", 0)
	s := Serve(ctx, ln, cfg, o)
	t.Cleanup(func() {
		go func() { // a stream nobody reads any more must not hold the stop
			for range s.Events() {
			}
		}()
		s.Stop()
	})
	return s, "http://" + ln.Addr().String() + "/webhooks/hospitable"
}

// numbered returns a small delivery with the id ending in n.
func numbered(n int) []byte {
	return []byte(fmt.Sprintf(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K%04d","action":"review.created","data":{},"created":"2026-11-28T09:35:24Z","version":"1.0"}`, n))
}

// postN posts delivery n, signed with the test secret (or forged), and
// returns the status; the event is queued by the time it returns.
func postN(t *testing.T, url string, n int, forged bool) int {
	t.Helper()
	b := numbered(n)
	sig := signature.Sign(b, secret)
	if forged {
		sig = signature.Sign(b, "another secret")
	}
	resp, _ := post(t, url, b, sig)
	return resp.StatusCode
}

// waitEnd waits for the server to stop by itself.
func waitEnd(t *testing.T, s *Server) End {
	t.Helper()
	select {
	case <-s.Done():
		return s.Wait()
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop within 10s")
		return End{}
	}
}

// running fails the test if the server has already stopped.
func running(t *testing.T, s *Server, when string) {
	t.Helper()
	select {
	case <-s.Done():
		t.Fatalf("%s the server stopped: %+v", when, s.Wait())
	default:
	}
}

// discard reads the stream until it closes.
func discard(s *Server) {
	go func() {
		for range s.Events() {
		}
	}()
}

func TestServeEndsWhenExpectIsMet(t *testing.T) {
	clk := newStepClock()
	s, url := startServe(t, context.Background(), Config{Clock: clk}, ServeOptions{Expect: 2, Timeout: 30 * time.Second})
	discard(s)
	clk.awaitSleep(t, 30*time.Second) // the timeout waits on the clock
	postN(t, url, 1, false)
	postN(t, url, 1, false) // a retry is not another delivery
	running(t, s, "after one delivery and its retry")
	postN(t, url, 2, false)
	end := waitEnd(t, s)
	if end.Why != EndExpected || end.Stats.FirstVerified != 2 || end.Stats.Duplicates != 1 {
		t.Errorf("End = %+v, want EndExpected with 2 first verified and 1 duplicate", end)
	}
}

func TestServeTimesOutOnTheClock(t *testing.T) {
	clk := newStepClock()
	s, url := startServe(t, context.Background(), Config{Clock: clk}, ServeOptions{Expect: 3, Timeout: 30 * time.Second})
	discard(s)
	clk.awaitSleep(t, 30*time.Second)
	postN(t, url, 1, false)
	clk.Advance(30*time.Second - time.Nanosecond)
	running(t, s, "a nanosecond before the timeout")
	clk.Advance(time.Nanosecond)
	end := waitEnd(t, s)
	if end.Why != EndTimedOut || end.Stats.FirstVerified != 1 {
		t.Errorf("End = %+v, want EndTimedOut with 1 of 3 arrived", end)
	}
}

// TestServeExpectAndTimeout: which of --expect, --timeout and a forged
// delivery ends the wait, and that --timeout means nothing alone.
func TestServeExpectAndTimeout(t *testing.T) {
	tests := []struct {
		name    string
		o       ServeOptions
		forged  []bool // deliveries, in order
		advance time.Duration
		want    Why
	}{
		{"met before the timeout, which then passes", ServeOptions{Expect: 2, Timeout: time.Second}, []bool{false, false}, time.Hour, EndExpected},
		{"a forged delivery ends it at once", ServeOptions{Expect: 2, Timeout: time.Second}, []bool{false, true}, 0, EndForged},
		{"timeout with one of two", ServeOptions{Expect: 2, Timeout: time.Second}, []bool{false}, time.Second, EndTimedOut},
		{"expect without a timeout waits past any time", ServeOptions{Expect: 2}, []bool{false}, 1000 * time.Hour, EndStopped},
		{"timeout without expect is no deadline", ServeOptions{Timeout: time.Second}, []bool{true, false}, time.Hour, EndStopped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newStepClock()
			s, url := startServe(t, context.Background(), Config{Clock: clk}, tt.o)
			discard(s)
			if tt.o.Expect > 0 && tt.o.Timeout > 0 {
				clk.awaitSleep(t, tt.o.Timeout)
			}
			for i, forged := range tt.forged {
				postN(t, url, i, forged)
			}
			if tt.want == EndExpected || tt.want == EndForged {
				waitEnd(t, s) // ended by the deliveries, before the clock moves
			}
			clk.Advance(tt.advance)
			if tt.want == EndStopped {
				running(t, s, fmt.Sprintf("after %s", tt.advance))
				s.Stop()
			}
			if end := waitEnd(t, s); end.Why != tt.want {
				t.Errorf("End = %+v, want Why %d", end, tt.want)
			}
		})
	}
}

// TestServeStreamClosesWithEveryEvent: after a stop the event stream
// hands over every request answered, then closes.
func TestServeStreamClosesWithEveryEvent(t *testing.T) {
	const n = 60
	ctx, cancel := context.WithCancel(context.Background())
	s, url := startServe(t, ctx, Config{}, ServeOptions{})
	got := make(chan int, 1)
	go func() {
		seen := 0
		for batch := range s.Events() {
			seen += len(batch)
		}
		got <- seen
	}()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 4 {
				b := numbered(i)
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
				req.Header.Set(signature.Header, signature.Sign(b, secret))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Errorf("delivery %d: %v", i, err) // not Fatal: this is not the test's goroutine
					continue
				}
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	cancel()
	if end := waitEnd(t, s); end.Why != EndStopped || end.Stats.Received != n {
		t.Errorf("End = %+v, want EndStopped with %d received", end, n)
	}
	select {
	case seen := <-got:
		if seen != n || s.Stats().Dropped != 0 {
			t.Errorf("the stream handed over %d events (%d dropped), want all %d", seen, s.Stats().Dropped, n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the event stream did not close after the stop")
	}
}

// TestServeDrainsABurstEvery20ms pins the burst drain: once requests come
// faster than one per 20ms, the stream stops waiting on the queue and
// takes what queued up every 20ms on the clock, not sooner and not
// later; a drain that finds nothing ends the burst.
func TestServeDrainsABurstEvery20ms(t *testing.T) {
	const drain = 20 * time.Millisecond // the cadence pinned, not read from the code
	clk := newStepClock()
	s, url := startServe(t, context.Background(), Config{Clock: clk}, ServeOptions{})
	batch := func() []Event {
		t.Helper()
		select {
		case b := <-s.Events():
			return b
		case <-time.After(5 * time.Second):
			t.Fatal("no batch within 5s")
			return nil
		}
	}
	nothing := func(when string) {
		t.Helper()
		select {
		case b := <-s.Events():
			t.Fatalf("%s: a batch of %d arrived before the drain", when, len(b))
		default:
		}
	}

	postN(t, url, 1, false)
	if b := batch(); len(b) != 1 {
		t.Fatalf("a lone delivery came as %d events", len(b))
	}
	postN(t, url, 2, false) // at once after the first (the clock stands still): a burst
	if b := batch(); len(b) != 1 {
		t.Fatalf("the second delivery came as %d events", len(b))
	}
	clk.awaitSleep(t, drain)
	for i := 3; i <= 5; i++ {
		postN(t, url, i, false)
	}
	nothing("with three queued and the clock unmoved")
	clk.Advance(drain - time.Millisecond)
	if clk.sleeping(drain) != 1 {
		t.Fatalf("the drain woke before 20ms")
	}
	nothing("19ms into the drain")
	clk.Advance(time.Millisecond)
	if b := batch(); len(b) != 3 {
		t.Fatalf("the drain after 20ms took %d events, want the 3 queued", len(b))
	}
	// The next drain finds nothing: the burst is over, and a delivery is
	// handed over without the clock moving.
	clk.awaitSleep(t, drain)
	clk.Advance(drain)
	postN(t, url, 6, false)
	if b := batch(); len(b) != 1 {
		t.Fatalf("after the burst a delivery came as %d events", len(b))
	}
}

// TestServeStopsWhileNobodyReads: a reader that never takes the stream
// (listen's stdout stalled) holds neither the answers nor the stop, and
// every delivery answered is in the capture file.
func TestServeStopsWhileNobodyReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	w, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, url := startServe(t, ctx, Config{Recorder: w, Buffer: 4}, ServeOptions{})
	const n = 20
	for i := range n {
		if got := postN(t, url, i, false); got != http.StatusOK {
			t.Fatalf("delivery %d answered %d while nobody read the stream", i, got)
		}
	}
	cancel()
	end := waitEnd(t, s)
	if end.Why != EndStopped || end.CloseErr != nil {
		t.Errorf("End = %+v", end)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(data, []byte("\n")); lines != n {
		t.Errorf("the capture file has %d lines, want %d", lines, n)
	}
	if err := w.Append(capture.Record{}); err == nil {
		t.Errorf("the capture file is still open after the stop")
	}
}
