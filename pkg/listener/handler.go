package listener

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// ServeHTTP answers one request. It reads top-down as the steps a
// delivery goes through: admit (source, method, path), read the body,
// verify the signature, parse the body, judge it, count the attempt,
// then answer (record first, then write). A step that refuses the request
// answers it and ends there; the deferred finish reports it either way.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.serving.add()
	defer h.serving.done()
	ev := Event{
		Kind: KindOther, ReceivedAt: h.clock.Now(), Method: r.Method, Path: r.URL.RequestURI(),
		RemoteAddr: h.source(r), Header: r.Header,
	}
	var buf *[]byte
	defer h.finish(&ev, &buf)

	if !h.admit(w, r, &ev) {
		return
	}
	body, ok := h.readDelivery(w, r, &ev, &buf)
	if !ok {
		return
	}
	h.busy.add()
	defer h.busy.done()
	ev.Body = body
	h.verify(r, &ev)
	h.parse(&ev)
	if !h.judge(w, r, &ev) {
		return
	}
	h.attempt(&ev)
	h.answer(w, r, &ev)
}

// finish reports the request once it was answered. A body buffer is
// reused only when nothing can still hold it once ServeHTTP returns: its
// event was not queued for the display, no forwarded request may still be
// reading it, and no scripted timeout cut the handler short.
func (h *Handler) finish(ev *Event, buf **[]byte) {
	ev.Latency = h.clock.Now().Sub(ev.ReceivedAt)
	if b := *buf; !h.emit(*ev) && b != nil && cap(*b) <= maxPooledBody {
		*b = (*b)[:0]
		h.bodies.Put(b)
	}
}

// admit answers at once what is not a delivery to read: a source outside
// --allow-ip, the status page, another method or another path. It
// reports whether the request goes on.
func (h *Handler) admit(w http.ResponseWriter, r *http.Request, ev *Event) bool {
	delivery := r.Method == http.MethodPost && (h.cfg.Path == "" || r.URL.EscapedPath() == h.path)
	if delivery {
		ev.Kind = KindDelivery
		h.received.Add(1)
	}
	if !h.allowed(ev.RemoteAddr) {
		ev.Outcome, ev.Reason = OutcomeForbidden, fmt.Sprintf("not checked: %s is outside --allow-ip", hostOnly(ev.RemoteAddr))
		h.refuse(w, r, ev, http.StatusForbidden, "forbidden: "+hostOnly(ev.RemoteAddr)+" is not in the allowed source ranges\n")
		return false
	}
	switch {
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		skipBody(w, r)
		h.statusPage(w, ev)
		return false
	case r.Method != http.MethodPost:
		skipBody(w, r)
		w.Header().Set("Allow", "GET, HEAD, POST")
		ev.Status = http.StatusMethodNotAllowed
		http.Error(w, "method not allowed: webhook deliveries are POST requests", ev.Status)
		return false
	case !delivery:
		skipBody(w, r)
		ev.Status = http.StatusNotFound
		http.Error(w, "not found: deliveries are accepted on "+h.cfg.Path, ev.Status)
		return false
	}
	return true
}

// readDelivery reads the body of a delivery, into a pooled buffer (*buf)
// when nothing will hold the body past the answer; a body too large or
// unreadable is refused.
func (h *Handler) readDelivery(w http.ResponseWriter, r *http.Request, ev *Event, buf **[]byte) ([]byte, bool) {
	var body []byte
	var err error
	if h.cfg.Forward == nil && h.cfg.Script == nil {
		b, _ := h.bodies.Get().(*[]byte)
		if b == nil {
			b = new([]byte)
		}
		body, err = h.readBody(w, r, *b)
		*b = body
		*buf = b
	} else {
		body, err = h.readBody(w, r, nil)
	}
	if err == nil {
		return body, true
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		ev.Outcome, ev.Reason = OutcomeTooLarge, fmt.Sprintf("not checked: body over --max-body %s", FormatBytes(h.cfg.MaxBody))
		h.refuse(w, r, ev, http.StatusRequestEntityTooLarge, "body too large: the limit is "+FormatBytes(h.cfg.MaxBody)+"\n")
		return nil, false
	}
	ev.Outcome, ev.Reason = OutcomeReadError, "not checked: reading the body failed: "+err.Error()
	h.refuse(w, r, ev, http.StatusBadRequest, "could not read the body\n")
	return nil, false
}

// judge refuses a delivery whose signature failed (401, unless
// --no-verify) or whose body is not JSON (400), and reports whether it
// goes on. When forwarding, the app judges for itself: the listener only
// reports.
func (h *Handler) judge(w http.ResponseWriter, r *http.Request, ev *Event) bool {
	if h.cfg.Forward == nil {
		if !ev.Verified && !h.cfg.NoVerify {
			ev.Outcome = OutcomeSignature
			h.refuse(w, r, ev, http.StatusUnauthorized, "invalid signature: "+ev.Reason+"\n")
			return false
		}
		if !ev.Delivery.JSON {
			ev.Outcome = OutcomeNotJSON
			h.refuse(w, r, ev, http.StatusBadRequest, "bad request: the body is not JSON\n")
			return false
		}
	}
	ev.Outcome = OutcomeOK
	return true
}

// attempt numbers the delivery among the attempts of its id and counts
// it. Only deliveries that could be Hospitable's count as attempts: a
// forged body reusing a real id must not move that id's script.
func (h *Handler) attempt(ev *Event) {
	if ev.Delivery.ID != "" && (ev.Verified || h.cfg.NoVerify) {
		ev.Attempt = h.seen.attempt(ev.Delivery.ID)
		if ev.Attempt > 1 {
			h.duplicates.Add(1)
			return
		}
	}
	if ev.Verified {
		h.firstVerified.Add(1)
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

// statusPage answers a GET or HEAD: what this is and the counts so far.
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
