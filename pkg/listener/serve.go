package listener

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
)

// DefaultStopGrace is how long a stop waits for the deliveries being
// answered; `listen` leaves the rest to a second Ctrl-C.
const DefaultStopGrace = 10 * time.Second

// ServeOptions are how Serve runs a Handler, beyond its Config.
type ServeOptions struct {
	// Expect, when above 0, ends serving once this many distinct verified
	// deliveries arrived (Stats.FirstVerified), or at the first delivery
	// whose signature failed (listen --expect).
	Expect int
	// Timeout, with Expect, ends serving after this long on the Config's
	// clock, however many arrived (listen --timeout).
	Timeout time.Duration
	// Grace bounds how long the stop waits for the deliveries being
	// answered; 0 means DefaultStopGrace.
	Grace time.Duration
	// Stopping, when set, is told how many deliveries are being answered
	// as the stop starts waiting for them (none: not called). The stop
	// waits for it, so it must return at once.
	Stopping func(inFlight int64, grace time.Duration)
	// ErrorLog receives the http.Server's own complaints; nil means the
	// log package's standard logger.
	ErrorLog *log.Logger
}

// Why says what ended serving.
type Why int

// Reasons serving ends.
const (
	// EndStopped: the context ended (Ctrl-C) or Stop was called.
	EndStopped Why = iota
	// EndExpected: ServeOptions.Expect verified deliveries arrived.
	EndExpected
	// EndForged: with Expect, a delivery failed verification.
	EndForged
	// EndTimedOut: ServeOptions.Timeout passed before Expect was met.
	EndTimedOut
	// EndFailed: the http.Server stopped serving on its own (End.Err).
	EndFailed
)

// End says why serving ended.
type End struct {
	// Why is what ended it.
	Why Why
	// Stats are the counts when it ended: what --expect judged.
	Stats Stats
	// Err is the http.Server's error, with EndFailed.
	Err error
	// CloseErr is why closing the Recorder (the capture file) failed.
	CloseErr error
}

// Server is a Handler being served; Serve starts it. Its life: serve
// until the context ends, Stop is called, or --expect/--timeout decide;
// then stop (see Stop), close the Recorder, and close the event stream
// once every event was handed over.
type Server struct {
	h      *Handler
	http   *http.Server
	clock  clock.Clock
	o      ServeOptions
	events chan []Event
	// cancel ends the watch (Stop).
	cancel context.CancelFunc
	// quiet ends once no handler can report anything more; the stream
	// then hands over what is left and closes.
	quiet     context.Context
	fallQuiet context.CancelFunc
	// done is closed once stopped; end is then set.
	done chan struct{}
	end  End
}

// Serve serves a Handler for cfg on ln with listen's limits (NewServer,
// LimitConns) until ctx ends, Stop is called, or o.Expect/o.Timeout
// decide, and then stops by itself. A Recorder that is an io.Closer (a
// capture file) is closed once the last answer is out.
func Serve(ctx context.Context, ln net.Listener, cfg Config, o ServeOptions) *Server {
	h := New(cfg)
	if o.Grace <= 0 {
		o.Grace = DefaultStopGrace
	}
	srv := NewServer(h, ServerOptions{WriteTimeout: h.writeTimeout(), ErrorLog: o.ErrorLog})
	// Idle keep-alives make room for new senders past the connection cap.
	ln = LimitConns(srv, ln, 0)
	s := &Server{h: h, http: srv, clock: h.clock, o: o, events: make(chan []Event), done: make(chan struct{})}
	s.quiet, s.fallQuiet = context.WithCancel(context.Background())
	ctx, s.cancel = context.WithCancel(ctx)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	go s.pump()
	go s.run(ctx, serveErr)
	return s
}

// writeTimeout bounds writing an answer: it may legitimately take as long
// as a scripted delay plus a held timeout plus a forwarded app's answer.
func (h *Handler) writeTimeout() time.Duration {
	forward := DefaultForwardTimeout
	if h.cfg.Forward != nil {
		forward = h.cfg.Forward.Timeout()
	}
	return h.cfg.Delay + h.cfg.Hold + forward + time.Minute
}

// Events is the stream of answered requests, in batches: one event at a
// time while they come slowly, and during a burst what queued up in
// burstDrain. It closes once the server stopped and every event was
// handed over. A reader that falls behind never slows an answer: events
// that find the queue full are dropped and counted (Stats.Dropped).
func (s *Server) Events() <-chan []Event { return s.events }

// Stats returns the counts so far.
func (s *Server) Stats() Stats { return s.h.Stats() }

// Done is closed once the server has stopped: nothing is served any more
// and the Recorder is closed.
func (s *Server) Done() <-chan struct{} { return s.done }

// Wait blocks until the server has stopped, and says why it ended.
func (s *Server) Wait() End {
	<-s.done
	return s.end
}

// Stop ends serving as the context's end would, and waits for the stop.
func (s *Server) Stop() End {
	s.cancel()
	return s.Wait()
}

// run is the server's life: watch, then stop.
func (s *Server) run(ctx context.Context, serveErr <-chan error) {
	end := s.watch(ctx, serveErr)
	s.shutdown()
	if c, ok := s.h.cfg.Recorder.(io.Closer); ok {
		end.CloseErr = c.Close()
	}
	s.end = end
	close(s.done)
}

// watch waits for what ends serving. --expect is judged each time the
// counts change; --timeout runs on the clock.
func (s *Server) watch(ctx context.Context, serveErr <-chan error) End {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Without --expect, a wake-up per request would cost the listener
	// for nothing.
	var changed <-chan struct{}
	if s.o.Expect > 0 {
		changed = s.h.Changed()
	}
	timedOut := s.timer(ctx)
	for {
		select {
		case <-changed:
			if why, ok := s.expected(); ok {
				return s.ending(why, nil)
			}
		case <-timedOut:
			return s.ending(EndTimedOut, nil)
		case err := <-serveErr:
			return s.ending(EndFailed, err)
		case <-ctx.Done():
			return s.ending(EndStopped, nil)
		}
	}
}

// timer returns a channel closed once Timeout passed on the clock; nil
// (never) without Expect and Timeout.
func (s *Server) timer(ctx context.Context) <-chan struct{} {
	if s.o.Expect <= 0 || s.o.Timeout <= 0 {
		return nil
	}
	c := make(chan struct{})
	go func() {
		if s.clock.Sleep(ctx, s.o.Timeout) == nil {
			close(c)
		}
	}()
	return c
}

// expected judges the counts against Expect: a forged delivery ends the
// wait at once, as does the Expect-th distinct verified one.
func (s *Server) expected() (Why, bool) {
	st := s.h.Stats()
	switch {
	case st.Forged > 0:
		return EndForged, true
	case st.FirstVerified >= int64(s.o.Expect):
		return EndExpected, true
	}
	return 0, false
}

func (s *Server) ending(why Why, err error) End {
	return End{Why: why, Stats: s.h.Stats(), Err: err}
}

// shutdown stops serving (Stop: the deliveries being answered get up to
// Grace, answers on their way out answerGrace), then waits, briefly, for
// the handlers cut short to return, so that their events are queued
// before the stream's last batch.
func (s *Server) shutdown() {
	if n := s.h.InFlight(); n > 0 && s.o.Stopping != nil {
		s.o.Stopping(n, s.o.Grace)
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.o.Grace)
	Stop(ctx, s.http, s.h)
	cancel()
	ctx, cancel = context.WithTimeout(context.Background(), answerGrace)
	_ = s.h.serving.wait(ctx)
	cancel()
	s.fallQuiet()
}
