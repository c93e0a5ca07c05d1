package listener

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
)

// DefaultBufferBytes bounds the memory of the events waiting for the
// display: a stalled terminal (listen piped into something that does not
// read) holds at most this much, whatever the size of the bodies.
const DefaultBufferBytes = 32 << 20

// Bodies and the display. A queued Event keeps a body of up to rowBody
// bytes whole (what Explain and -v need); of a larger one it keeps the
// first shownBody bytes (what -v prints), unless Config.WholeBodies.
const (
	rowBody   = maxExplainBody
	shownBody = 64 << 10
	// eventOverhead is what an Event costs beyond its body and headers.
	eventOverhead = 1 << 10
)

// WarnNotInspected is the warning code of a forged body too large to be
// read beyond its id and action.
const WarnNotInspected = "not_inspected"

// displayQueue is the events waiting for the display, bounded by count
// (the channel's capacity) and by bytes. Only emitters touch the byte
// count: the cost of each queued event is kept in a ring in channel order,
// and the events the display has taken since (the channel is shorter than
// the ring) are settled on the next push.
type displayQueue struct {
	mu     sync.Mutex
	ch     chan Event
	costs  []int64
	head   int
	n      int
	bytes  int64
	budget int64
}

func newDisplayQueue(count int, budget int64) *displayQueue {
	return &displayQueue{ch: make(chan Event, count), costs: make([]int64, count), budget: budget}
}

// push queues ev unless the queue is full by count or bytes; an event
// alone over the budget is queued only into an empty queue.
func (q *displayQueue) push(ev Event, cost int64) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for taken := q.n - len(q.ch); taken > 0; taken-- {
		q.bytes -= q.costs[q.head]
		q.head = (q.head + 1) % len(q.costs)
		q.n--
	}
	if q.n > 0 && q.bytes+cost > q.budget {
		return false
	}
	select {
	case q.ch <- ev:
	default:
		return false
	}
	q.costs[(q.head+q.n)%len(q.costs)] = cost
	q.n++
	q.bytes += cost
	return true
}

// forDisplay returns ev holding only what its row needs, and what it
// costs to keep: a large body is cut to its first shownBody bytes and its
// Delivery detached from the body's memory.
func (h *Handler) forDisplay(ev Event) (Event, int64) {
	cost := int64(eventOverhead)
	for k, vs := range ev.Header {
		cost += int64(len(k)) + 32
		for _, v := range vs {
			cost += int64(len(v)) + 16
		}
	}
	if len(ev.Body) > shownBody {
		if !h.cfg.WholeBodies && len(ev.Body) > rowBody {
			ev.Cut = len(ev.Body) - shownBody
			ev.Body = bytes.Clone(ev.Body[:shownBody])
		}
		ev.Delivery = ev.Delivery.Detach()
	} else {
		// The Delivery read from the body shares a copy of it.
		cost += int64(len(ev.Body))
	}
	return ev, cost + int64(len(ev.Body))
}

// peek reads of a large forged body only what its row and record show:
// whether it is JSON, and its id and action. It never copies the body,
// never computes a digest and never builds warnings from it.
func peek(body []byte) inspect.Received {
	d := inspect.Received{JSON: inspect.Valid(body)}
	if !d.JSON {
		return d
	}
	if v := gjson.GetBytes(body, "id"); v.Type == gjson.String {
		d.ID = v.String()
	}
	if v := gjson.GetBytes(body, "action"); v.Type == gjson.String {
		d.Action = v.String()
	}
	d.Warnings = []inspect.Warning{{Code: WarnNotInspected, Message: fmt.Sprintf(
		"a forged body of %s: only its id and action were read (forged bodies over %s are not inspected)", FormatBytes(int64(len(body))), FormatBytes(rowBody))}}
	return d
}
