// Package clock is the one source of time for everything in hospitable-hook that waits, so a
// test (or `simulate --instant`) can run Hospitable's seven-hour retry schedule without sleeping.
//
// There is deliberately no scaled clock: `simulate --speed` compresses the schedule through
// deliver.Retrier's Speed, so time is compressed in one place and a clock always reads real (or
// virtual) time, never hours made of seconds.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time and waits. Code that waits takes a Clock instead of calling time.Now or
// time.Sleep, so the waiting can be made virtual.
type Clock interface {
	// Now returns the current time on this clock.
	Now() time.Time
	// Sleep waits d, or until ctx is done, in which case it returns ctx.Err(). It returns
	// ctx.Err() at once, without waiting, if ctx is already done, so a cancelled caller never
	// starts a new wait. A d of zero or less does not wait.
	Sleep(ctx context.Context, d time.Duration) error
}

// Real returns the wall clock: Now is time.Now and Sleep really waits.
func Real() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	// A Timer rather than time.After, so a cancelled wait releases its timer at once.
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Virtual is a clock that only moves when told to: Sleep and Advance move it forward at once.
// It is safe for concurrent use; all users share one timeline, so two goroutines sleeping 1s
// each move it 2s in all. That is what a single run wants (an attempt that takes 2s and the 5s
// wait after it add up), and it keeps Sleep from ever blocking.
type Virtual struct {
	mu  sync.Mutex
	now time.Time
}

// NewVirtual returns a Virtual clock that reads start until it is moved.
func NewVirtual(start time.Time) *Virtual {
	return &Virtual{now: start}
}

// Now returns the virtual time.
func (v *Virtual) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.now
}

// Sleep moves the virtual time forward by d and returns at once. If ctx is already done it
// returns ctx.Err() and leaves the time alone, as a real wait would have been cut short.
func (v *Virtual) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v.Advance(d)
	return nil
}

// Advance moves the virtual time forward by d. A d of zero or less does nothing: a clock that
// ran backwards would give negative elapsed times to everyone reading it.
func (v *Virtual) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.now = v.now.Add(d)
}
