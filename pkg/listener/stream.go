package listener

import "time"

// burstDrain is how often the event stream takes what queued up during a
// burst: at 20,000 deliveries a second, 400 at a time, well inside the
// queue's 1,024. Between drains nothing waits on the queue, so a
// delivery's answer never pays for waking a reader: under load a wake-up
// per delivery costs the serving goroutines more than the rows do.
const burstDrain = 20 * time.Millisecond

// pump moves events from the handler's queue to the stream. While
// requests come slowly it waits on the queue and hands each over at once;
// when they come faster than one per burstDrain it sleeps burstDrain on
// the clock and hands over what queued up meanwhile, until a drain finds
// nothing. Once the handler is quiet it hands over the rest and closes
// the stream.
func (s *Server) pump() {
	defer close(s.events)
	var last time.Time
	bursting := false
	for {
		batch, more := s.collect(bursting)
		if len(batch) > 0 {
			s.events <- batch
		}
		if !more {
			return
		}
		now := s.clock.Now()
		if bursting {
			bursting = len(batch) > 0
		} else {
			bursting = len(batch) > 1 || now.Sub(last) < burstDrain
		}
		last = now
	}
}

// collect waits for events, by burstDrain on the clock in a burst or for
// the next one otherwise, and takes what is queued. more is false once
// the handler is quiet: the batch then holds everything left.
func (s *Server) collect(bursting bool) (batch []Event, more bool) {
	q := s.h.queue.ch
	if bursting {
		if s.clock.Sleep(s.quiet, burstDrain) != nil {
			return takeQueued(q, nil), false
		}
		return takeQueued(q, nil), true
	}
	select {
	case ev := <-q:
		return takeQueued(q, []Event{ev}), true
	case <-s.quiet.Done():
		return takeQueued(q, nil), false
	}
}

// takeQueued appends the events queued now to batch. The stream is the
// queue's only reader, so the ones counted are there to take.
func takeQueued(q chan Event, batch []Event) []Event {
	for n := len(q); n > 0; n-- {
		batch = append(batch, <-q)
	}
	return batch
}
