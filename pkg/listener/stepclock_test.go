package listener

import (
	"context"
	"sync"
	"testing"
	"time"
)

// stepClock is a clock whose Sleep waits until the test moves the time
// past its end with Advance. clock.Virtual's Sleep moves the time and
// returns at once, which cannot show what a waiter does meanwhile: whether
// a drain waits its 20ms, or a timeout fires before its time.
type stepClock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers []*sleeper
	// slept announces the duration of every Sleep that starts waiting.
	slept chan time.Duration
}

type sleeper struct {
	until time.Time
	d     time.Duration
	wake  chan struct{}
}

func newStepClock() *stepClock {
	return &stepClock{now: t0, slept: make(chan time.Duration, 4096)}
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	c.mu.Lock()
	s := &sleeper{until: c.now.Add(d), d: d, wake: make(chan struct{})}
	c.sleepers = append(c.sleepers, s)
	c.mu.Unlock()
	c.slept <- d
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, o := range c.sleepers {
			if o == s {
				c.sleepers = append(c.sleepers[:i], c.sleepers[i+1:]...)
				break
			}
		}
		return ctx.Err()
	}
}

// Advance moves the time forward by d and wakes the sleepers whose end
// it reached.
func (c *stepClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.sleepers[:0]
	for _, s := range c.sleepers {
		if c.now.Before(s.until) {
			kept = append(kept, s)
			continue
		}
		close(s.wake)
	}
	c.sleepers = kept
}

// sleeping reports how many sleeps of d are waiting.
func (c *stepClock) sleeping(d time.Duration) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, s := range c.sleepers {
		if s.d == d {
			n++
		}
	}
	return n
}

// awaitSleep waits until a Sleep of d has started waiting, failing the
// test if none does (a waiter that does not wait on the clock).
func (c *stepClock) awaitSleep(t *testing.T, d time.Duration) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case got := <-c.slept:
			if got == d {
				return
			}
		case <-deadline:
			t.Fatalf("nothing slept %s on the clock within 5s", d)
		}
	}
}
