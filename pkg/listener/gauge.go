package listener

import (
	"context"
	"sync/atomic"
)

// gauge counts work in progress and signals (coalesced) when the count
// drops to zero, so a waiter sleeps instead of polling.
// The zero value needs zero made: gauge{zero: make(chan struct{}, 1)}.
type gauge struct {
	n    atomic.Int64
	zero chan struct{}
}

func (g *gauge) add() { g.n.Add(1) }

func (g *gauge) done() {
	if g.n.Add(-1) == 0 {
		select {
		case g.zero <- struct{}{}:
		default:
		}
	}
}

func (g *gauge) load() int64 { return g.n.Load() }

// wait blocks until the count is zero, or ctx ends.
func (g *gauge) wait(ctx context.Context) error {
	for g.n.Load() > 0 {
		select {
		case <-g.zero:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
