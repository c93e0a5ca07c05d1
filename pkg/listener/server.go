package listener

import (
	"context"
	"log"
	"net/http"
	"time"
)

// Server limits used when ServerOptions leaves them zero. A sender that
// trickles its headers is cut after DefaultReadHeaderTimeout, so it holds
// one connection for seconds, not forever. Hospitable's deliveries are
// seconds to hours apart, so a kept-alive connection idle for
// DefaultIdleTimeout is closed: a pool of idle connections costs file
// descriptors that deliveries need.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = time.Minute
	DefaultWriteTimeout      = time.Minute
	DefaultIdleTimeout       = 15 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
)

// ServerOptions are the limits of the http.Server NewServer builds; zero
// fields take the defaults above.
type ServerOptions struct {
	// ReadHeaderTimeout bounds reading a request's headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included.
	ReadTimeout time.Duration
	// WriteTimeout bounds a request from the end of its headers to the end
	// of the answer; it must cover any scripted delay or hold.
	WriteTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection waits for the
	// next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps the request line and headers; more gets 431.
	MaxHeaderBytes int
	// ErrorLog receives the server's own complaints (TLS handshakes,
	// panics); nil means the log package's standard logger.
	ErrorLog *log.Logger
}

// NewServer returns the http.Server `listen` serves h with: every phase of
// a request has a deadline, so slow or hostile clients cannot pin it.
func NewServer(h http.Handler, o ServerOptions) *http.Server {
	or := func(d, def time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return def
	}
	maxHeader := o.MaxHeaderBytes
	if maxHeader <= 0 {
		maxHeader = DefaultMaxHeaderBytes
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: or(o.ReadHeaderTimeout, DefaultReadHeaderTimeout),
		ReadTimeout:       or(o.ReadTimeout, DefaultReadTimeout),
		WriteTimeout:      or(o.WriteTimeout, DefaultWriteTimeout),
		IdleTimeout:       or(o.IdleTimeout, DefaultIdleTimeout),
		MaxHeaderBytes:    maxHeader,
		ErrorLog:          o.ErrorLog,
	}
}

// Stop ends srv, which serves h: it stops accepting connections, closes
// the idle ones, lets scripted timeouts go, waits (until ctx ends) for the
// deliveries being answered, then closes every connection left: requests
// that are not deliveries, bodies still arriving, keep-alives, after at
// most answerGrace for answers still being written out. Unlike
// http.Server.Shutdown alone, it never waits long for a client that holds
// a connection open without a delivery in hand.
func Stop(ctx context.Context, srv *http.Server, h *Handler) {
	h.Release()
	shutdownCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Shutdown(shutdownCtx)
	}()
	_ = h.Wait(ctx)
	// The handlers are done, but net/http may still be writing their
	// answers out: give the connections a moment to finish and go idle
	// (Shutdown then closes them) before cutting whatever is left.
	select {
	case <-done:
	case <-time.After(answerGrace):
	case <-ctx.Done():
	}
	_ = srv.Close()
	cancel()
	<-done
}

// answerGrace is how long Stop lets answered deliveries finish going out
// before it closes the connections still open; a connection that holds
// without a delivery in hand costs a stop at most this.
const answerGrace = time.Second
