// Package listener is the local webhook receiver: an http.Handler that
// limits the body, checks the source address, verifies the signature on the
// raw bytes, records the request to a capture file before answering,
// decides the answer (a real endpoint's, a scripted fault, or the user's
// app's when forwarding) and reports one Event per request.
//
// Reporting never blocks an answer: events go to a buffered channel and are
// dropped, and counted, when the reader falls behind. The counts that
// decide an exit status (Stats) are kept separately and never lost.
//
// Serve runs a Handler the way `listen` does, for its whole life: it
// serves until the context ends or --expect/--timeout decide (on the
// injected clock), stops with a grace for the deliveries being answered,
// closes the capture file, and hands every event over on a stream that
// closes at the end. Where things are: config.go (Config), event.go
// (Event, Stats), handler.go and answer.go (ServeHTTP's steps), verify.go,
// filter.go (--allow-ip), sizes.go, queue.go (the display queue),
// serve.go and stream.go (Serve), server.go (the http.Server and Stop).
package listener

import (
	"context"
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// Handler is the receiver. Create it with New.
type Handler struct {
	cfg   Config
	clock clock.Clock
	key   *signature.Key
	older []*signature.Key
	// bodies recycles body buffers (*[]byte) of requests whose event was
	// not queued for the display, which under load is most of them.
	bodies sync.Pool
	// plain and nosniff are the answer's header values, shared by every
	// answer (net/http only reads them) so that each answer does not
	// allocate them anew.
	plain, nosniff []string
	seen           *seen
	// path is Config.Path as it appears on the wire (escaped): a request
	// for /webhooks%2Fhospitable is not one for /webhooks/hospitable,
	// though net/http decodes both to the same Path.
	path    string
	queue   *displayQueue
	changed chan struct{}
	stop    context.Context
	cancel  context.CancelFunc

	received, verified, firstVerified, forged, rejected, duplicates, dropped atomic.Int64

	// busy counts deliveries being answered (body read, answer not yet
	// written); serving counts every ServeHTTP call not yet returned, so
	// a Server knows when no more events can come.
	busy, serving gauge

	closeOnce sync.Once
}

// New returns a Handler for cfg.
func New(cfg Config) *Handler {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Hold <= 0 {
		cfg.Hold = DefaultHold
	}
	if cfg.Seen <= 0 {
		cfg.Seen = DefaultSeen
	}
	if cfg.Buffer <= 0 {
		cfg.Buffer = DefaultBuffer
	}
	if cfg.BufferBytes <= 0 {
		cfg.BufferBytes = DefaultBufferBytes
	}
	c := cfg.Clock
	if c == nil {
		c = clock.Real()
	}
	stop, cancel := context.WithCancel(context.Background())
	path := cfg.Path
	if u, err := url.Parse(cfg.Path); err == nil && cfg.Path != "" {
		path = u.EscapedPath()
	}
	var older []*signature.Key
	for _, s := range cfg.OlderSecrets {
		older = append(older, signature.NewKey(s))
	}
	return &Handler{older: older,
		path: path,
		cfg:  cfg, clock: c, seen: newSeen(cfg.Seen), key: signature.NewKey(cfg.Secret),
		queue:   newDisplayQueue(cfg.Buffer, cfg.BufferBytes),
		changed: make(chan struct{}, 1),
		busy:    gauge{zero: make(chan struct{}, 1)},
		serving: gauge{zero: make(chan struct{}, 1)},
		stop:    stop, cancel: cancel,
		plain: []string{"text/plain; charset=utf-8"}, nosniff: []string{"nosniff"},
	}
}

// Events returns the channel every answered request is reported on.
// Events hold only what their rows need (see Config.WholeBodies).
func (h *Handler) Events() <-chan Event { return h.queue.ch }

// Changed is signalled (coalesced) whenever Stats change, so a waiter that
// missed dropped events still sees the counts move.
func (h *Handler) Changed() <-chan struct{} { return h.changed }

// Stats returns the counts so far.
func (h *Handler) Stats() Stats {
	return Stats{
		Received: h.received.Load(), Verified: h.verified.Load(), FirstVerified: h.firstVerified.Load(),
		Forged: h.forged.Load(), Rejected: h.rejected.Load(), Duplicates: h.duplicates.Load(), Dropped: h.dropped.Load(),
	}
}

// Release lets requests held by a scripted timeout go at once, so a
// shutdown does not wait for them.
func (h *Handler) Release() { h.closeOnce.Do(h.cancel) }

// InFlight returns how many deliveries are being answered: their body was
// read and their answer is not yet written.
func (h *Handler) InFlight() int64 { return h.busy.load() }

// Wait blocks until no delivery is being answered, or ctx ends. Requests
// that are not deliveries, and deliveries whose body is still arriving,
// are not waited for: nothing was acknowledged or recorded for them, so a
// shutdown may cut them (the sender retries).
func (h *Handler) Wait(ctx context.Context) error { return h.busy.wait(ctx) }
