package deliver

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
)

// keepAliveServer is an endpoint whose keep-alive idle timeout is short, on
// the same timeline as the sender: it reads idle time from clk, which a
// test shares with the code under test, so a schedule of hours runs
// instantly and still outlasts the keep-alive. A request that arrives on a
// connection idle longer than idle is dropped: the connection is closed
// without an answer, as when a server's idle close crosses a request on
// the wire (Node's default keep-alive ends 5s after the last answer, and
// the request sent at that moment meets a closing socket). Every other
// request is answered with status.
type keepAliveServer struct {
	clk    clock.Clock
	idle   time.Duration
	status int

	mu       sync.Mutex
	conns    int // connections opened
	answered int
	dropped  int
}

// connIdle is what the server knows about one connection.
type connIdle struct {
	mu       sync.Mutex
	answered bool
	last     time.Time
}

type connKey struct{}

func newKeepAliveServer(t *testing.T, clk clock.Clock, idle time.Duration, status int) (*keepAliveServer, string) {
	t.Helper()
	s := &keepAliveServer{clk: clk, idle: idle, status: status}
	srv := httptest.NewUnstartedServer(s)
	// The real server closes idle connections too, after the same time in
	// real time; the test's waits are virtual, so it is the model above
	// that decides.
	srv.Config.IdleTimeout = idle
	srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
		return context.WithValue(ctx, connKey{}, &connIdle{})
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return s, srv.URL + "/webhooks/hospitable"
}

func (s *keepAliveServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := r.Context().Value(connKey{}).(*connIdle)
	c.mu.Lock()
	stale := c.answered && s.clk.Now().Sub(c.last) > s.idle
	c.mu.Unlock()
	if stale {
		s.mu.Lock()
		s.dropped++
		s.mu.Unlock()
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	_, _ = io.Copy(io.Discard, r.Body)
	w.WriteHeader(s.status)
	_, _ = io.WriteString(w, "ok")
	s.mu.Lock()
	s.answered++
	s.mu.Unlock()
	c.mu.Lock()
	c.answered, c.last = true, s.clk.Now()
	c.mu.Unlock()
}

func (s *keepAliveServer) counts() (conns, answered, dropped int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns, s.answered, s.dropped
}

// TestRetrierFreshConnectionEveryAttempt rehearses the default schedule
// (waits of 1s to 6h, on a virtual clock) against an endpoint whose
// keep-alive lasts 50ms: every attempt must reach the endpoint on a
// connection of its own, as Hospitable's attempts hours apart do.
func TestRetrierFreshConnectionEveryAttempt(t *testing.T) {
	clk := clock.NewVirtual(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	srv, url := newKeepAliveServer(t, clk, 50*time.Millisecond, http.StatusInternalServerError)
	c := NewClient(ClientOptions{FreshConnections: true})
	defer c.Close()
	d := event.Wrap([]byte(`{"id":"I","action":"reservation.created"}`), "k")
	r := &Retrier{Clock: clk, Schedule: DefaultSchedule()}
	out, err := r.Run(context.Background(), func(ctx context.Context, _ int) Result {
		return ResultOf(c.Post(ctx, url, d, nil))
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range out.Attempts {
		if a.Result.Err != nil || a.Result.Status != http.StatusInternalServerError {
			t.Errorf("attempt %d: status %d, error %v; want the endpoint's 500", a.Number, a.Result.Status, a.Result.Err)
		}
	}
	conns, answered, dropped := srv.counts()
	if len(out.Attempts) != 6 || answered != 6 || dropped != 0 || conns != 6 {
		t.Errorf("%d attempts: %d answered, %d dropped, over %d connections; want 6 answered over 6 connections", len(out.Attempts), answered, dropped, conns)
	}
}

// TestLoadPacedSlowerThanIdleOpensFreshConnections paces deliveries 2s
// apart (on a virtual clock) to an endpoint whose keep-alive is 1.5s: no
// delivery may go out on a connection idle that long.
func TestLoadPacedSlowerThanIdleOpensFreshConnections(t *testing.T) {
	clk := clock.NewVirtual(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	srv, url := newKeepAliveServer(t, clk, 1500*time.Millisecond, http.StatusOK)
	c := NewClient(ClientOptions{Connections: 1})
	defer c.Close()
	res, err := c.Load(context.Background(), LoadOptions{
		URL: url, Count: 4, Concurrency: 1, Rate: Rate{Freq: 1, Per: 2 * time.Second}, Build: loadBuild(t), Clock: clk,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, answered, dropped := srv.counts()
	if !res.OK() || answered != 4 || dropped != 0 {
		t.Errorf("paced 2s apart: status %v, errors %v; endpoint answered %d, dropped %d; want 4 answered", res.Status, res.Errors, answered, dropped)
	}
}

// TestClientDropsConnectionsIdleASecond: a connection idle longer than a
// second is never reused, so an endpoint with a keep-alive of a few
// seconds (Node: 5s) cannot close it under a delivery.
func TestClientDropsConnectionsIdleASecond(t *testing.T) {
	for _, o := range []ClientOptions{{}, {Connections: 50}} {
		tr := NewClient(o).HTTP().Transport.(*http.Transport)
		if tr.IdleConnTimeout <= 0 || tr.IdleConnTimeout > MaxIdle || MaxIdle > time.Second {
			t.Errorf("Connections %d: idle connections kept %s (MaxIdle %s), want at most 1s", o.Connections, tr.IdleConnTimeout, MaxIdle)
		}
	}
	if tr := NewClient(ClientOptions{FreshConnections: true}).HTTP().Transport.(*http.Transport); !tr.DisableKeepAlives {
		t.Errorf("FreshConnections keeps connections alive")
	}
}

// TestStaleConnectionWording: when a kept-alive connection is closed under
// a delivery, the error says it was the connection, idle for how long, and
// does not blame the app.
func TestStaleConnectionWording(t *testing.T) {
	clk := clock.NewVirtual(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	_, url := newKeepAliveServer(t, clk, 50*time.Millisecond, http.StatusOK)
	d := event.Wrap([]byte(`{}`), "k")
	// net/http's transport puts a connection back in its idle pool from
	// another goroutine after the answer is read, so on a loaded machine
	// the second post can dial afresh (and succeed) before the first
	// connection is back: only an attempt that reused it says anything
	// about the wording, so try a few times.
	var err error
	for try := 0; try < 20 && err == nil; try++ {
		c := NewClient(ClientOptions{})
		if _, perr := c.Post(context.Background(), url, d, nil); perr != nil {
			t.Fatal(perr)
		}
		clk.Advance(time.Second)
		_, err = c.Post(context.Background(), url, d, nil)
		c.Close()
	}
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("second post: %v, want a *TransportError", err)
	}
	msg := te.Message()
	if te.Kind != KindReset || !te.Reused || !strings.Contains(msg, "kept-alive connection") || strings.Contains(msg, "crash") {
		t.Errorf("stale connection: kind %q, reused %v, message %q; want connection_reset on a reused connection, worded as the connection, not a crash", te.Kind, te.Reused, msg)
	}
}

// TestResetNotBlamedOnTheApp: a connection closed without an answer on a
// fresh connection is worded as the connection too; the logs tell whether
// the app got the delivery.
func TestResetNotBlamedOnTheApp(t *testing.T) {
	te := &TransportError{Kind: KindReset, Addr: "127.0.0.1:8000", Err: io.EOF}
	if msg := te.Message(); strings.Contains(msg, "crash") || !strings.Contains(msg, "closed the connection") || !strings.Contains(msg, "logs") {
		t.Errorf("reset on a fresh connection: %q", msg)
	}
}
