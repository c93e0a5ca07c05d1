package inspector

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// heartbeat keeps an idle event stream open through proxies and tells a
// closed one apart.
const heartbeat = 15 * time.Second

// maxBatch is the most rows one event carries; a burst larger than that
// sends the newest (a page shows the newest first), and Skipped says how
// many were left out: GET /api/deliveries has them all.
const maxBatch = 200

// Batch is the data of a `deliveries` event: the requests that arrived
// since the last event, oldest first.
type Batch struct {
	// Deliveries are the new requests (at most 200: the newest of them).
	Deliveries []Summary `json:"deliveries"`
	// Skipped counts new requests left out of this batch.
	Skipped int `json:"skipped,omitempty"`
	// Newest is the sequence number of the newest request.
	Newest uint64 `json:"newest_seq"`
}

// events streams news as server-sent events: `hello` once with the
// newest seq, then at most one `deliveries` event per batch interval, and
// `clear` when the ring was cleared. Nothing is sent while nothing happens
// but a comment every 15s.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	st := s.openStream(w, r)
	if !st.send("hello", Batch{Deliveries: []Summary{}, Newest: st.last}) {
		return
	}
	tick := time.NewTicker(s.opts.Batch)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.stop.Done():
			return
		case <-tick.C:
		}
		if !st.tick() {
			return
		}
	}
}

// stream is one open event stream and what it has sent so far.
type stream struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	ring  *Ring
	batch time.Duration
	// last is the newest seq sent, clears the ring's clear count seen.
	last, clears uint64
	// idle counts the ticks since anything was written.
	idle int
}

// openStream answers the request with an event stream that starts after
// the request's `after` cursor, when it names one the ring has passed.
func (s *Server) openStream(w http.ResponseWriter, r *http.Request) *stream {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	st := &stream{w: w, rc: http.NewResponseController(w), ring: s.opts.Ring, batch: s.opts.Batch}
	st.last, st.clears = st.ring.version()
	if v, err := cursor(r.URL.Query().Get("after")); err == nil && v > 0 && v < st.last {
		st.last = v
	}
	return st
}

// tick sends what happened since the last tick: a clear, new requests, or
// now and then a comment that keeps the stream open. It reports whether
// the stream is still open.
func (st *stream) tick() bool {
	seq, clears := st.ring.version()
	if clears != st.clears {
		st.clears = clears
		if !st.send("clear", st.ring.Counts()) {
			return false
		}
	}
	if seq == st.last {
		return st.keepAlive()
	}
	return st.send("deliveries", st.news(seq))
}

// news is the batch of requests after the last one sent, up to seq.
func (st *stream) news(seq uint64) Batch {
	entries := st.ring.Snapshot(st.last)
	b := Batch{Deliveries: make([]Summary, 0, min(len(entries), maxBatch)), Newest: seq}
	if len(entries) > maxBatch {
		b.Skipped = len(entries) - maxBatch
		entries = entries[len(entries)-maxBatch:]
	}
	for _, e := range entries {
		b.Deliveries = append(b.Deliveries, summarize(e))
		b.Newest = e.Seq
	}
	st.last = max(seq, b.Newest)
	return b
}

// keepAlive writes a comment once the stream has been quiet for a
// heartbeat.
func (st *stream) keepAlive() bool {
	if st.idle++; time.Duration(st.idle)*st.batch < heartbeat {
		return true
	}
	st.idle = 0
	_, err := fmt.Fprint(st.w, ": still here\n\n")
	return err == nil && st.rc.Flush() == nil
}

// send writes one event and flushes it; it reports whether that worked.
func (st *stream) send(event string, v any) bool {
	data, _ := json.Marshal(v)
	if _, err := fmt.Fprintf(st.w, "event: %s\ndata: %s\n\n", event, data); err != nil {
		return false
	}
	st.idle = 0
	return st.rc.Flush() == nil
}
