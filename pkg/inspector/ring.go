package inspector

import (
	"sync"
	"sync/atomic"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

// Defaults for the ring.
const (
	// DefaultKeep is how many requests the ring keeps (`--ui-keep`).
	DefaultKeep = 1000
	// DefaultKeepBytes bounds the bodies the ring keeps in all, so that a
	// flood of large bodies cannot pin gigabytes: the oldest go first.
	// `--save` stays the durable record.
	DefaultKeepBytes = 128 << 20
)

// Entry is one request the ring keeps: the listener's event and its
// sequence number, which names it in the API.
type Entry struct {
	// Seq numbers requests from 1 in arrival order (of their answers); it
	// is never reused within a run, not even after Clear.
	Seq uint64
	// Event is the request as the listener reported it.
	Event listener.Event
}

// Ring keeps the last requests in memory. Add is safe to call from the
// listener's handlers: it takes a lock for a few stores and never waits
// for a reader.
type Ring struct {
	mu       sync.Mutex
	buf      []Entry
	keep     int
	maxBytes int64
	bytes    int64
	// oldest and newest are the sequence numbers held; the ring is empty
	// when oldest > newest.
	oldest, newest uint64
	// evicted counts entries pushed out by newer ones.
	evicted uint64
	// seq and clears are read without the lock by event streams polling
	// for news.
	seq, clears atomic.Uint64
}

// NewRing returns a ring that keeps the last keep requests and at most
// maxBytes of bodies (0 means DefaultKeepBytes); keep <= 0 means DefaultKeep.
func NewRing(keep int, maxBytes int64) *Ring {
	if keep <= 0 {
		keep = DefaultKeep
	}
	if maxBytes <= 0 {
		maxBytes = DefaultKeepBytes
	}
	return &Ring{buf: make([]Entry, keep), keep: keep, maxBytes: maxBytes, oldest: 1}
}

// Keep returns how many requests the ring holds at most.
func (r *Ring) Keep() int { return r.keep }

// Add keeps ev as the newest entry, pushing out the oldest when full. It
// has listener.Config.Tap's shape.
func (r *Ring) Add(ev listener.Event) {
	r.mu.Lock()
	r.newest++
	slot := &r.buf[r.newest%uint64(r.keep)]
	if r.newest-r.oldest >= uint64(r.keep) {
		r.bytes -= int64(len(slot.Event.Body))
		r.oldest++
		r.evicted++
	}
	*slot = Entry{Seq: r.newest, Event: ev}
	r.bytes += int64(len(ev.Body))
	for r.bytes > r.maxBytes && r.oldest < r.newest {
		old := &r.buf[r.oldest%uint64(r.keep)]
		r.bytes -= int64(len(old.Event.Body))
		*old = Entry{}
		r.oldest++
		r.evicted++
	}
	r.seq.Store(r.newest)
	r.mu.Unlock()
}

// Get returns the entry with sequence number seq, if the ring still holds it.
func (r *Ring) Get(seq uint64) (Entry, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if seq < r.oldest || seq > r.newest || seq == 0 {
		return Entry{}, false
	}
	return r.buf[seq%uint64(r.keep)], true
}

// Snapshot returns the entries held, oldest first, with sequence numbers
// after after (0 for all).
func (r *Ring) Snapshot(after uint64) []Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	from := max(r.oldest, after+1)
	if from > r.newest {
		return nil
	}
	out := make([]Entry, 0, r.newest-from+1)
	for s := from; s <= r.newest; s++ {
		out = append(out, r.buf[s%uint64(r.keep)])
	}
	return out
}

// Clear forgets every entry. Sequence numbers go on from where they were.
func (r *Ring) Clear() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.buf)
	r.oldest = r.newest + 1
	r.bytes = 0
	r.clears.Add(1)
}

// Counts says what the ring holds.
type Counts struct {
	// Kept is how many entries it holds now.
	Kept int `json:"kept"`
	// Keep is how many it holds at most.
	Keep int `json:"keep"`
	// Newest is the sequence number of the newest request, 0 before any.
	Newest uint64 `json:"newest_seq"`
	// Evicted counts entries pushed out by newer ones.
	Evicted uint64 `json:"evicted"`
	// Bytes is the size of the bodies held.
	Bytes int64 `json:"bytes"`
}

// Counts returns what the ring holds now.
func (r *Ring) Counts() Counts {
	r.mu.Lock()
	defer r.mu.Unlock()
	kept := 0
	if r.newest >= r.oldest {
		kept = int(r.newest - r.oldest + 1)
	}
	return Counts{Kept: kept, Keep: r.keep, Newest: r.newest, Evicted: r.evicted, Bytes: r.bytes}
}

// version is what an event stream compares to see news: the newest
// sequence number and how many times the ring was cleared.
func (r *Ring) version() (seq, clears uint64) { return r.seq.Load(), r.clears.Load() }
