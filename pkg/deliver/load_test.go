package deliver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener/listenertest"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

const loadSecret = "c2VjcmV0QGV4YW1wbGUuY29t"

// loadBuild returns a Build func making fresh deliveries, as send does.
func loadBuild(t *testing.T) func() (event.Delivery, error) {
	t.Helper()
	b := event.NewBuilder(time.Now, rand.NewChaCha8([32]byte{1}))
	tpl, err := b.Template(event.Spec{Action: "reservation.created", Data: []byte(`{"code":"HM1","url":"https://x/é"}`)})
	if err != nil {
		t.Fatal(err)
	}
	key := signature.NewKey(loadSecret)
	return func() (event.Delivery, error) {
		d, err := tpl.Build()
		return d.Signed(key), err
	}
}

// loadServer counts what it gets: in-flight requests at most, distinct
// connections, ids, bad signatures. The first `barrier` requests wait
// until that many are in flight at once, which proves the client really
// runs them concurrently; the wait is bounded, so a client that cannot
// reach the barrier fails the test instead of hanging it.
type loadServer struct {
	barrier       int64
	answer        func(n int64) int
	inFlight, max atomic.Int64
	n             atomic.Int64
	allIn         chan struct{}
	once          sync.Once
	mu            sync.Mutex
	ids, conns    map[string]int
	badSigs       int
	barrierMissed atomic.Bool
}

func newLoadServer(t *testing.T, barrier int64, answer func(int64) int) (*loadServer, *httptest.Server) {
	s := &loadServer{barrier: barrier, answer: answer, allIn: make(chan struct{}), ids: map[string]int{}, conns: map[string]int{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *loadServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.n.Add(1)
	cur := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for m := s.max.Load(); cur > m && !s.max.CompareAndSwap(m, cur); m = s.max.Load() {
	}
	if cur >= s.barrier {
		s.once.Do(func() { close(s.allIn) })
	}
	if n <= s.barrier {
		select {
		case <-s.allIn:
		case <-time.After(5 * time.Second):
			s.barrierMissed.Store(true)
		}
	}
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.ids[gjson.GetBytes(body, "id").String()]++
	s.conns[r.RemoteAddr]++
	if signature.Verify(body, r.Header.Get(signature.Header), loadSecret) != nil {
		s.badSigs++
	}
	s.mu.Unlock()
	w.WriteHeader(s.answer(n))
	io.WriteString(w, "ok\n")
}

func TestLoadCountConcurrencyIDsAndSignatures(t *testing.T) {
	const count, conc = 300, 8
	s, srv := newLoadServer(t, conc, func(int64) int { return 200 })
	var done atomic.Int64
	c := NewClient(ClientOptions{Connections: conc})
	defer c.Close()
	res, err := c.Load(context.Background(), LoadOptions{
		URL: srv.URL, Count: count, Concurrency: conc, Build: loadBuild(t), Done: func() { done.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Sent != count || res.Status[200] != count || len(res.Errors) != 0 || res.Latency.Len() != count || done.Load() != count {
		t.Errorf("result = %+v (done %d), want %d answered 200", res, done.Load(), count)
	}
	if s.barrierMissed.Load() {
		t.Errorf("never %d deliveries in flight at once: the client does not use its concurrency", conc)
	}
	if m := s.max.Load(); m > conc {
		t.Errorf("%d deliveries in flight at once, want at most %d", m, conc)
	}
	if len(s.conns) > conc {
		t.Errorf("%d connections opened, want at most %d (keep-alive reuse)", len(s.conns), conc)
	}
	if len(s.ids) != count || s.badSigs != 0 {
		t.Errorf("%d distinct ids of %d, %d bad signatures; want every delivery its own id and a valid signature", len(s.ids), count, s.badSigs)
	}
	if res.PerSecond() <= 0 || res.Latency.Max() <= 0 {
		t.Errorf("PerSecond %v, max latency %v", res.PerSecond(), res.Latency.Max())
	}
}

func TestLoadStatusHistogram(t *testing.T) {
	_, srv := newLoadServer(t, 1, func(n int64) int {
		switch n % 4 {
		case 0:
			return 500
		case 1:
			return 204
		}
		return 200
	})
	c := NewClient(ClientOptions{Connections: 3})
	defer c.Close()
	res, err := c.Load(context.Background(), LoadOptions{URL: srv.URL, Count: 40, Concurrency: 3, Build: loadBuild(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() || res.Status[200] != 20 || res.Status[204] != 10 || res.Status[500] != 10 {
		t.Errorf("Status = %v (OK %v), want 20×200, 10×204, 10×500", res.Status, res.OK())
	}
}

func TestLoadTransportErrorsCounted(t *testing.T) {
	url := "http://" + listenertest.ClosedAddr(t)
	c := NewClient(ClientOptions{Connections: 4})
	defer c.Close()
	res, err := c.Load(context.Background(), LoadOptions{URL: url, Count: 12, Concurrency: 4, Build: loadBuild(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() || res.Sent != 12 || res.Errors[KindRefused] != 12 || len(res.Status) != 0 || res.Latency.Len() != 0 {
		t.Errorf("result = %+v, want 12 connection_refused", res)
	}
}

func TestLoadPacedOnAVirtualClock(t *testing.T) {
	_, srv := newLoadServer(t, 1, func(int64) int { return 200 })
	clk := clock.NewVirtual(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	c := NewClient(ClientOptions{Connections: 2})
	defer c.Close()
	res, err := c.Load(context.Background(), LoadOptions{
		URL: srv.URL, Count: 11, Concurrency: 2, Rate: Rate{Freq: 5, Per: time.Second}, Build: loadBuild(t), Clock: clk,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Delivery 10 (from 0) is due at 2s: the pacer slept exactly that long.
	if !res.OK() || res.Elapsed != 2*time.Second {
		t.Errorf("paced run: OK %v, elapsed %v; want 11 delivered over 2s", res.OK(), res.Elapsed)
	}
}

func TestLoadStopsOnBuildErrorAndInterrupt(t *testing.T) {
	_, srv := newLoadServer(t, 1, func(int64) int { return 200 })
	c := NewClient(ClientOptions{Connections: 2})
	defer c.Close()
	boom := errors.New("boom")
	var n atomic.Int64
	build := loadBuild(t)
	res, err := c.Load(context.Background(), LoadOptions{URL: srv.URL, Count: 100, Concurrency: 2, Build: func() (event.Delivery, error) {
		if n.Add(1) > 5 {
			return event.Delivery{}, boom
		}
		return build()
	}})
	if !errors.Is(err, boom) || res.Sent >= 100 || res.OK() {
		t.Errorf("build error: err %v, sent %d", err, res.Sent)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err = c.Load(ctx, LoadOptions{URL: srv.URL, Count: 100, Concurrency: 2, Build: build})
	if err != nil || res.Sent != 0 || res.OK() {
		t.Errorf("interrupted before the start: sent %d, err %v", res.Sent, err)
	}
	if _, err := c.Load(context.Background(), LoadOptions{URL: "localhost:1", Count: 1, Build: build}); !errors.As(err, new(*URLError)) {
		t.Errorf("bad URL: err %v, want a *URLError", err)
	}
}

func BenchmarkLoad(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	d := event.Wrap(bytes.Repeat([]byte("x"), 4096), loadSecret)
	c := NewClient(ClientOptions{Connections: 4})
	defer c.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Load(context.Background(), LoadOptions{URL: srv.URL, Count: 100, Concurrency: 4,
			Build: func() (event.Delivery, error) { return d, nil }}); err != nil {
			b.Fatal(err)
		}
	}
}
