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
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	last, clears := s.opts.Ring.version()
	if v, err := cursor(r.URL.Query().Get("after")); err == nil && v > 0 && v < last {
		last = v
	}
	send := func(event string, v any) bool {
		data, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("hello", Batch{Deliveries: []Summary{}, Newest: last}) {
		return
	}
	tick := time.NewTicker(s.opts.Batch)
	defer tick.Stop()
	// idle counts the ticks since anything was written.
	idle := 0
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.stop.Done():
			return
		case <-tick.C:
		}
		seq, c := s.opts.Ring.version()
		if c != clears {
			clears = c
			if !send("clear", s.opts.Ring.Counts()) {
				return
			}
			idle = 0
		}
		if seq == last {
			if idle++; time.Duration(idle)*s.opts.Batch >= heartbeat {
				if _, err := fmt.Fprint(w, ": still here\n\n"); err != nil || rc.Flush() != nil {
					return
				}
				idle = 0
			}
			continue
		}
		entries := s.opts.Ring.Snapshot(last)
		b := Batch{Deliveries: make([]Summary, 0, min(len(entries), maxBatch)), Newest: seq}
		if len(entries) > maxBatch {
			b.Skipped = len(entries) - maxBatch
			entries = entries[len(entries)-maxBatch:]
		}
		for _, e := range entries {
			b.Deliveries = append(b.Deliveries, summarize(e))
			b.Newest = e.Seq
		}
		last = max(seq, b.Newest)
		if !send("deliveries", b) {
			return
		}
		idle = 0
	}
}
