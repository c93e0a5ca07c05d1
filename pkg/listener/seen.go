package listener

import (
	"strings"
	"sync"
)

// seen counts the attempts of recent delivery ids in bounded memory: a map
// for lookups and a ring of the last cap ids, oldest evicted first. A
// retry of an id evicted long ago counts as a first attempt again, which
// at Hospitable's pace (six attempts over seven hours) needs cap ids to
// arrive in between.
type seen struct {
	mu    sync.Mutex
	count map[string]int
	ring  []string
	next  int
}

func newSeen(capacity int) *seen {
	capacity = max(capacity, 1)
	return &seen{count: make(map[string]int, min(capacity, 1024)), ring: make([]string, capacity)}
}

// attempt records one more attempt of id and returns its number, from 1.
func (s *seen) attempt(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.count[id]; ok {
		s.count[id] = n + 1
		return n + 1
	}
	// The id is copied: it usually shares the memory of the whole body
	// it was read from, which remembering it must not keep alive.
	id = strings.Clone(id)
	if old := s.ring[s.next]; old != "" {
		delete(s.count, old)
	}
	s.ring[s.next] = id
	s.next = (s.next + 1) % len(s.ring)
	s.count[id] = 1
	return 1
}
