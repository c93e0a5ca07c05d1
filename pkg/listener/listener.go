// Package listener is the local webhook receiver: an http.Handler that
// limits the body, checks the source address, verifies the signature on the
// raw bytes, records the request to a capture file before answering,
// decides the answer (a real endpoint's, a scripted fault, or the user's
// app's when forwarding) and reports one Event per request.
//
// Reporting never blocks an answer: events go to a buffered channel and are
// dropped, and counted, when the reader falls behind. The counts that
// decide an exit status (Stats) are kept separately and never lost.
package listener

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/bytesize"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// Defaults for Config fields left zero.
const (
	// DefaultMaxBody is the largest body accepted: 5 MiB.
	DefaultMaxBody = 5 << 20
	// DefaultHold is the longest a scripted `timeout` holds a request
	// whose sender has not given up.
	DefaultHold = 60 * time.Second
	// DefaultSeen is how many recent delivery ids are remembered to mark retries.
	DefaultSeen = 10000
	// DefaultBuffer is how many events wait for the display before new
	// ones are dropped.
	DefaultBuffer = 1024
	// MaxRefusedBody is how much of a delivery the listener refused (its
	// signature missing or wrong) the capture file keeps; the record says
	// when it was cut (body_truncated, body_size).
	MaxRefusedBody = 64 << 10
	// maxPooledBody is the largest body buffer kept for reuse, so that one
	// huge delivery does not pin its memory for good.
	maxPooledBody = 64 << 10
	// maxPrealloc is the most a declared Content-Length reserves before
	// the bytes arrive.
	maxPrealloc = 1 << 20
)

// Recorder keeps captured requests; *capture.Writer is one.
type Recorder interface {
	Append(capture.Record) error
}

// Config is how a Handler behaves.
type Config struct {
	// Secret is the HMAC key deliveries are verified with.
	Secret string
	// OlderSecrets are accepted too, during a rotation; a delivery that
	// matches only one of them says so in Event.OlderSecret.
	OlderSecrets []string
	// NoVerify accepts deliveries whatever their signature; the verdict is
	// still reported.
	NoVerify bool
	// Path, when set, is the only path that accepts deliveries; others get
	// 404. Empty accepts POST on any path.
	Path string
	// MaxBody is the largest body read, in bytes; 0 means DefaultMaxBody.
	MaxBody int64
	// AllowIPs, when set, are the only source ranges served; others get 403.
	AllowIPs []netip.Prefix
	// TrustProxy takes the source address from X-Forwarded-For (the
	// address the proxy appended, the last one), for tunnels such as ngrok.
	TrustProxy bool
	// Script scripts the answers per delivery id; nil answers like a real
	// endpoint.
	Script Script
	// Delay slows every answer.
	Delay time.Duration
	// Hold caps how long a scripted timeout holds a request; 0 means DefaultHold.
	Hold time.Duration
	// Forward, when set, passes deliveries to the user's app and answers
	// with its status.
	Forward *Forwarder
	// Recorder, when set, receives every POST before it is answered. A
	// delivery that cannot be recorded is answered 500 (Hospitable retries
	// it) rather than lost.
	Recorder Recorder
	// Clock tells the time and waits (Delay, Hold); nil means the wall clock.
	Clock clock.Clock
	// Seen is how many recent ids are remembered; 0 means DefaultSeen.
	Seen int
	// Buffer is the size of the event channel; 0 means DefaultBuffer.
	Buffer int
	// BufferBytes bounds the memory of the events waiting for the display;
	// 0 means DefaultBufferBytes. Events that would pass it are dropped
	// and counted, like those that find the channel full.
	BufferBytes int64
	// WholeBodies keeps every queued body whole (listen --json prints
	// them); otherwise an Event keeps of a body over 256 KiB only its first
	// 64 KiB, what a row and -v show (Event.Cut says how much is gone).
	WholeBodies bool
	// Quiet reports no events at all (listen --quiet): nothing is queued
	// for a display, none are counted as dropped, and Stats still count.
	Quiet bool
	// Tap, when set, is handed every event on the handler's goroutine once
	// the answer is written, Quiet or not, whether or not the display
	// keeps up (the inspector's ring). It must return at once.
	Tap func(Event)
}

// Kind says what sort of request an Event reports.
type Kind string

// Kinds of Event.
const (
	// KindDelivery is a POST on the served path: a delivery attempt.
	KindDelivery Kind = "delivery"
	// KindOther is anything else: the status page, a wrong method or path.
	KindOther Kind = "other"
)

// Outcome says how far a delivery got and why it stopped.
type Outcome string

// Outcomes of the listener's checks, in the order they run.
const (
	OutcomeOK        Outcome = "ok"         // passed every check
	OutcomeForbidden Outcome = "forbidden"  // source outside --allow-ip (403)
	OutcomeTooLarge  Outcome = "too_large"  // body over the limit (413)
	OutcomeReadError Outcome = "read_error" // the body could not be read (400)
	OutcomeSignature Outcome = "signature"  // missing or wrong signature (401)
	OutcomeNotJSON   Outcome = "not_json"   // not JSON (400)
	OutcomeNoRecord  Outcome = "no_record"  // capture file write failed (500)
)

// Event reports one request after it was answered.
type Event struct {
	// Kind tells a delivery from any other request.
	Kind Kind
	// ReceivedAt is when the request arrived.
	ReceivedAt time.Time
	// Method, Path and RemoteAddr describe the request; RemoteAddr is the
	// source as judged (X-Forwarded-For with TrustProxy).
	Method, Path, RemoteAddr string
	// Header is the request's headers.
	Header http.Header
	// Body is the exact body, nil when it was not read. An Event from
	// Events may hold only the body's first bytes: see Cut.
	Body []byte
	// Cut is how many bytes at the end of the body an Event from Events no
	// longer holds (Config.WholeBodies); BodyLen is the whole length.
	Cut int
	// Delivery is the body read as a delivery.
	Delivery inspect.Received
	// Verified says whether the signature matched.
	Verified bool
	// OlderSecret, when above 0, says the signature matched only
	// Config.OlderSecrets[OlderSecret-1], not the current secret.
	OlderSecret int
	// Checked says whether the signature was checked at all.
	Checked bool
	// Reason says why the signature did not match, or why it was not checked.
	Reason string
	// Outcome is how far the listener's checks let the request get.
	Outcome Outcome
	// Attempt numbers the attempts of one id, from 1; 0 when the body has
	// no id or was not verified.
	Attempt int
	// Scripted is the scripted step that was applied, nil when none.
	Scripted *Step
	// Status is the status answered, 0 for none (a scripted timeout).
	Status int
	// Latency is from arrival to the end of the answer.
	Latency time.Duration
	// Forward is the app's answer, when forwarding.
	Forward *Forward
	// RecordErr says why the capture file could not be written.
	RecordErr string
}

// BodyLen returns the length of the body received, including any part
// the Event no longer holds (Cut).
func (e Event) BodyLen() int { return len(e.Body) + e.Cut }

// Stats are running counts of deliveries.
type Stats struct {
	// Received counts deliveries (POSTs on the served path).
	Received int64 `json:"received"`
	// Verified counts deliveries with a valid signature.
	Verified int64 `json:"verified"`
	// FirstVerified counts verified first attempts: distinct deliveries.
	FirstVerified int64 `json:"-"`
	// Forged counts deliveries whose signature was missing or wrong.
	Forged int64 `json:"forged"`
	// Rejected counts deliveries the listener refused (401, 400, 403, 413).
	Rejected int64 `json:"rejected"`
	// Duplicates counts retries: attempts after the first of an id.
	Duplicates int64 `json:"duplicates"`
	// Dropped counts events not shown because the display fell behind.
	Dropped int64 `json:"dropped,omitempty"`
}

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
	// written); idle is signalled (coalesced) when it drops to zero.
	busy atomic.Int64
	idle chan struct{}

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
		idle:    make(chan struct{}, 1),
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
func (h *Handler) InFlight() int64 { return h.busy.Load() }

// Wait blocks until no delivery is being answered, or ctx ends. Requests
// that are not deliveries, and deliveries whose body is still arriving,
// are not waited for: nothing was acknowledged or recorded for them, so a
// shutdown may cut them (the sender retries).
func (h *Handler) Wait(ctx context.Context) error {
	for h.busy.Load() > 0 {
		select {
		case <-h.idle:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (h *Handler) doneAnswering() {
	if h.busy.Add(-1) == 0 {
		select {
		case h.idle <- struct{}{}:
		default:
		}
	}
}

// skipBody is called before answering a request whose body will not be
// read. Left alone, net/http would try to read (and discard) up to 256 KiB
// of it first, to reuse the connection: a client that never sends it
// (one waiting for 100 Continue, or gone) would then get no answer, and
// hold the connection, and a shutdown, until the read timeout. Instead the
// connection closes after the answer, and the leftover is not waited for.
func skipBody(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength == 0 {
		return
	}
	w.Header().Set("Connection", "close")
	_ = http.NewResponseController(w).SetReadDeadline(time.Unix(1, 0))
}

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.clock.Now()
	ev := Event{
		Kind: KindOther, ReceivedAt: start, Method: r.Method, Path: r.URL.RequestURI(),
		RemoteAddr: h.source(r), Header: r.Header,
	}
	// A body buffer is reused only when nothing can still hold it once
	// this returns: its event was not queued for the display, no
	// forwarded request may still be reading it, and no scripted timeout
	// cut the handler short.
	var buf *[]byte
	defer func() {
		ev.Latency = h.clock.Now().Sub(start)
		if !h.emit(ev) && buf != nil && cap(*buf) <= maxPooledBody {
			*buf = (*buf)[:0]
			h.bodies.Put(buf)
		}
	}()

	delivery := r.Method == http.MethodPost && (h.cfg.Path == "" || r.URL.EscapedPath() == h.path)
	if delivery {
		ev.Kind = KindDelivery
		h.received.Add(1)
	}
	if !h.allowed(ev.RemoteAddr) {
		ev.Outcome, ev.Reason = OutcomeForbidden, fmt.Sprintf("not checked: %s is outside --allow-ip", hostOnly(ev.RemoteAddr))
		h.refuse(w, r, &ev, http.StatusForbidden, "forbidden: "+hostOnly(ev.RemoteAddr)+" is not in the allowed source ranges\n")
		return
	}
	switch {
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		skipBody(w, r)
		h.statusPage(w, &ev)
		return
	case r.Method != http.MethodPost:
		skipBody(w, r)
		w.Header().Set("Allow", "GET, HEAD, POST")
		ev.Status = http.StatusMethodNotAllowed
		http.Error(w, "method not allowed: webhook deliveries are POST requests", ev.Status)
		return
	case !delivery:
		skipBody(w, r)
		ev.Status = http.StatusNotFound
		http.Error(w, "not found: deliveries are accepted on "+h.cfg.Path, ev.Status)
		return
	}

	var body []byte
	var err error
	if h.cfg.Forward == nil && h.cfg.Script == nil {
		buf, _ = h.bodies.Get().(*[]byte)
		if buf == nil {
			buf = new([]byte)
		}
		body, err = h.readBody(w, r, *buf)
		*buf = body
	} else {
		body, err = h.readBody(w, r, nil)
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			ev.Outcome, ev.Reason = OutcomeTooLarge, fmt.Sprintf("not checked: body over --max-body %s", FormatBytes(h.cfg.MaxBody))
			h.refuse(w, r, &ev, http.StatusRequestEntityTooLarge, "body too large: the limit is "+FormatBytes(h.cfg.MaxBody)+"\n")
			return
		}
		ev.Outcome, ev.Reason = OutcomeReadError, "not checked: reading the body failed: "+err.Error()
		h.refuse(w, r, &ev, http.StatusBadRequest, "could not read the body\n")
		return
	}
	h.busy.Add(1)
	defer h.doneAnswering()
	ev.Body = body
	ev.Checked = true
	// Two Signature headers are refused whatever they hold: Hospitable sends
	// one, and a receiver that checks the first while something else trusts
	// the last can be fooled.
	if sigs := r.Header.Values(signature.Header); len(sigs) > 1 {
		ev.Reason = fmt.Sprintf("%d Signature headers; Hospitable sends exactly one", len(sigs))
		h.forged.Add(1)
	} else if err := h.key.Verify(body, r.Header.Get(signature.Header)); err != nil && !h.verifyOlder(body, r.Header.Get(signature.Header), &ev) {
		ev.Reason = describeVerifyError(err, sigs)
		h.forged.Add(1)
	} else {
		ev.Verified = true
		h.verified.Add(1)
	}
	// A forged body is refused whatever it holds: of a large one only what
	// its row and record show is read.
	if !ev.Verified && !h.cfg.NoVerify && h.cfg.Forward == nil && len(body) > rowBody {
		ev.Delivery = peek(body)
	} else {
		ev.Delivery = inspect.Parse(body)
	}

	// The app judges for itself when forwarding; the listener only reports.
	if h.cfg.Forward == nil {
		if !ev.Verified && !h.cfg.NoVerify {
			ev.Outcome = OutcomeSignature
			h.refuse(w, r, &ev, http.StatusUnauthorized, "invalid signature: "+ev.Reason+"\n")
			return
		}
		if !ev.Delivery.JSON {
			ev.Outcome = OutcomeNotJSON
			h.refuse(w, r, &ev, http.StatusBadRequest, "bad request: the body is not JSON\n")
			return
		}
	}
	ev.Outcome = OutcomeOK
	// Only deliveries that could be Hospitable's count as attempts: a
	// forged body reusing a real id must not move that id's script.
	if ev.Delivery.ID != "" && (ev.Verified || h.cfg.NoVerify) {
		ev.Attempt = h.seen.attempt(ev.Delivery.ID)
		if ev.Attempt > 1 {
			h.duplicates.Add(1)
		} else if ev.Verified {
			h.firstVerified.Add(1)
		}
	} else if ev.Verified {
		h.firstVerified.Add(1)
	}
	h.answer(w, r, &ev)
}

// answer decides and writes the answer to a delivery that passed the checks.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, ev *Event) {
	status, text := http.StatusOK, "ok\n"
	var hold bool
	switch {
	case h.cfg.Forward != nil:
		fwd := h.cfg.Forward.Do(r.Context(), r.Header, ev.Body, ev.Verified, h.clock.Now)
		ev.Forward = &fwd
		status, text = fwd.Status, fwd.BodyStart
		switch {
		case !fwd.Answered():
			// The listener's own answer, never to be taken for the app's.
			status, text = http.StatusBadGateway, "bad gateway (hospitable-hook listen; your app gave no answer): "+fwd.Err+"\n"
		case !fwd.Passed():
			// A status without its whole body is no answer to a sender
			// that reads it all.
			status, text = http.StatusBadGateway, fmt.Sprintf("bad gateway (hospitable-hook listen; your app answered %d but its body did not finish): %s\n", fwd.Status, fwd.Err)
		}
	case h.cfg.Script != nil:
		step := h.cfg.Script.At(max(ev.Attempt, 1))
		ev.Scripted = &step
		if step.Timeout {
			hold = true
			status = 0
		} else {
			status, text = step.Status, fmt.Sprintf("scripted answer %d for attempt %d\n", step.Status, max(ev.Attempt, 1))
		}
	}
	ev.Status = status
	if !h.record(ev) {
		h.respond(w, ev, http.StatusInternalServerError, "could not write the capture file: "+ev.RecordErr+"\n")
		return
	}
	if h.cfg.Delay > 0 {
		_ = h.clock.Sleep(r.Context(), h.cfg.Delay)
	}
	if hold {
		h.holdAndDrop(r)
	}
	h.respond(w, ev, status, text)
	h.signal()
}

// holdAndDrop keeps the request unanswered until the sender gives up, the
// handler is released or the hold cap passes; then the connection is cut
// without an answer.
func (h *Handler) holdAndDrop(r *http.Request) {
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(h.stop, cancel)
	defer stop()
	_ = h.clock.Sleep(ctx, h.cfg.Hold)
}

// refuse answers a delivery the listener's checks turned down.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, ev *Event, status int, text string) {
	if ev.Outcome != OutcomeSignature && ev.Outcome != OutcomeNotJSON {
		skipBody(w, r) // refused before the body was read, or reading it failed
	}
	if ev.Kind != KindDelivery {
		ev.Status = status
		http.Error(w, strings.TrimSuffix(text, "\n"), status)
		return
	}
	h.rejected.Add(1)
	ev.Status = status
	h.record(ev)
	h.respond(w, ev, status, text)
	h.signal()
}

func (h *Handler) respond(w http.ResponseWriter, ev *Event, status int, text string) {
	ev.Status = status
	if status == 0 {
		// No answer: cut the connection. net/http recovers this value
		// without logging it.
		h.emitNow(ev)
		panic(http.ErrAbortHandler)
	}
	hdr := w.Header()
	hdr["Content-Type"], hdr["X-Content-Type-Options"] = h.plain, h.nosniff
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}

// emitNow reports an event whose handler will not return normally.
func (h *Handler) emitNow(ev *Event) {
	ev.Latency = h.clock.Now().Sub(ev.ReceivedAt)
	h.signal()
	h.emit(*ev)
	ev.Kind = "" // the deferred emit skips it
}

// record writes the capture line; it reports false when that failed.
func (h *Handler) record(ev *Event) bool {
	if h.cfg.Recorder == nil {
		return true
	}
	rec := ev.Record()
	if ev.Verified || ev.Status == http.StatusOK {
		rec.SetBody(ev.Body)
	} else {
		// A refused forgery is kept for diagnosis, not replay: its start
		// is enough, and a flood of large ones must not fill the disk.
		rec.SetBodyUpTo(ev.Body, MaxRefusedBody)
	}
	if err := h.cfg.Recorder.Append(rec); err != nil {
		ev.RecordErr = err.Error()
		ev.Outcome = OutcomeNoRecord
		return false
	}
	return true
}

// emit hands ev to the Tap and queues it for the display, and reports
// whether anything kept it; an event that finds the queue full, by count
// or by bytes, is dropped and counted, so the answer never waits for the
// display and a stalled display holds bounded memory.
func (h *Handler) emit(ev Event) bool {
	if ev.Kind == "" {
		return false
	}
	tapped := h.cfg.Tap != nil
	if tapped {
		h.cfg.Tap(ev)
	}
	if h.cfg.Quiet {
		return tapped
	}
	if !h.queue.push(h.forDisplay(ev)) {
		h.dropped.Add(1)
		return tapped
	}
	return true
}

func (h *Handler) signal() {
	select {
	case h.changed <- struct{}{}:
	default:
	}
}

// readBody reads at most MaxBody bytes; a declared Content-Length over the
// limit is refused before reading anything.
// The body is read into buf's spare capacity (a pooled buffer), grown as
// needed. A declared Content-Length sizes the buffer only up to
// maxPrealloc: beyond that the buffer grows with the bytes that actually
// arrive, so a client that declares gigabytes (under a huge --max-body)
// and sends nothing costs nothing.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request, buf []byte) ([]byte, error) {
	if r.ContentLength > h.cfg.MaxBody {
		return nil, &http.MaxBytesError{Limit: h.cfg.MaxBody}
	}
	rd := http.MaxBytesReader(w, r.Body, h.cfg.MaxBody)
	size := 512
	if r.ContentLength > 0 {
		size = int(min(r.ContentLength, maxPrealloc))
	}
	if cap(buf) < size+1 {
		buf = make([]byte, 0, size+1)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			grow := len(buf)
			if r.ContentLength > int64(len(buf)) {
				// Up to the declared length (and one byte for EOF), at most doubling.
				grow = int(min(r.ContentLength-int64(len(buf))+1, int64(len(buf))))
			}
			buf = slices.Grow(buf, max(grow, 512))
		}
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (h *Handler) statusPage(w http.ResponseWriter, ev *Event) {
	ev.Status = http.StatusOK
	s := h.Stats()
	where := "any path"
	if h.cfg.Path != "" {
		where = h.cfg.Path
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "hospitable-hook listen is running.\n\nPOST Hospitable webhook deliveries to %s.\nreceived %d, verified %d, rejected %d, duplicates %d\n",
		where, s.Received, s.Verified, s.Rejected, s.Duplicates)
}

// source is the sender's address as judged: the connection's peer, or with
// TrustProxy the last X-Forwarded-For entry (the one the proxy appended;
// entries before it are whatever the client claimed).
func (h *Handler) source(r *http.Request) string {
	if h.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return ip
			}
		}
	}
	return r.RemoteAddr
}

func (h *Handler) allowed(addr string) bool {
	if len(h.cfg.AllowIPs) == 0 {
		return true
	}
	ip, err := netip.ParseAddr(hostOnly(addr))
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range h.cfg.AllowIPs {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

func hostOnly(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return strings.Trim(addr, "[]")
}

func describeVerifyError(err error, sigs []string) string {
	switch {
	case errors.Is(err, signature.ErrMissing) && len(sigs) == 0:
		return "no Signature header"
	case errors.Is(err, signature.ErrMissing):
		return "empty Signature header"
	case errors.Is(err, signature.ErrMalformed):
		return "Signature header is not 64 hex characters"
	case errors.Is(err, signature.ErrMismatch) && err != signature.ErrMismatch:
		return "Signature is not 64 lowercase hex characters, as Hospitable sends it"
	default:
		return "signature does not match (another secret, or the body changed after signing)"
	}
}

// FormatBytes renders a size the way limits are written: 5 MiB, 512 KiB, 100 B.
func FormatBytes(n int64) string { return bytesize.Limit(n) }

// ParseBytes reads a size such as "5MiB", "512KiB", "5MB" or "1000".
func ParseBytes(s string) (int64, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"MIB", 1 << 20}, {"KIB", 1 << 10}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSuffix(t, u.suffix), u.mult
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(t, "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != t || n > (1<<40)/mult {
		return 0, fmt.Errorf("bad size %q: use a positive size like 5MiB, 512KiB or 1000", s)
	}
	return n * mult, nil
}

// verifyOlder tries the older secrets of a rotation on a signature the
// current secret did not match, and notes which one did.
func (h *Handler) verifyOlder(body []byte, sig string, ev *Event) bool {
	for i, k := range h.older {
		if k.Verify(body, sig) == nil {
			ev.OlderSecret = i + 1
			return true
		}
	}
	return false
}
