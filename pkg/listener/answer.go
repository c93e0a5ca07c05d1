package listener

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// answer decides and writes the answer to a delivery that passed the
// checks: the user's app's when forwarding, a scripted one, or 200. The
// capture line is written first, so a delivery answered 200 is on disk.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, ev *Event) {
	status, text, hold := http.StatusOK, "ok\n", false
	switch {
	case h.cfg.Forward != nil:
		status, text = h.forward(r, ev)
	case h.cfg.Script != nil:
		status, text, hold = h.scripted(ev)
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

// forward passes the delivery to the user's app and returns the answer
// to give: the app's, or the listener's own 502 when the app gave none.
func (h *Handler) forward(r *http.Request, ev *Event) (int, string) {
	fwd := h.cfg.Forward.Do(r.Context(), r.Header, ev.Body, ev.Verified, h.clock.Now)
	ev.Forward = &fwd
	switch {
	case !fwd.Answered():
		// The listener's own answer, never to be taken for the app's.
		return http.StatusBadGateway, "bad gateway (hospitable-hook listen; your app gave no answer): " + fwd.Err + "\n"
	case !fwd.Passed():
		// A status without its whole body is no answer to a sender
		// that reads it all.
		return http.StatusBadGateway, fmt.Sprintf("bad gateway (hospitable-hook listen; your app answered %d but its body did not finish): %s\n", fwd.Status, fwd.Err)
	}
	return fwd.Status, fwd.BodyStart
}

// scripted returns the scripted answer for the delivery's attempt; hold
// means no answer at all (a scripted timeout, status 0).
func (h *Handler) scripted(ev *Event) (status int, text string, hold bool) {
	step := h.cfg.Script.At(max(ev.Attempt, 1))
	ev.Scripted = &step
	if step.Timeout {
		return 0, "ok\n", true
	}
	return step.Status, fmt.Sprintf("scripted answer %d for attempt %d\n", step.Status, max(ev.Attempt, 1)), false
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

// respond writes the answer; status 0 cuts the connection without one.
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

// signal says (coalesced) that Stats changed, for --expect.
func (h *Handler) signal() {
	select {
	case h.changed <- struct{}{}:
	default:
	}
}
