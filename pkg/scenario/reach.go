package scenario

import (
	"context"
	"errors"
	"sync"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
)

// UnreachableError ends a run whose very first attempt found nothing
// listening: every other step would only say the same. Later refusals are
// part of the story (an endpoint restarting while Hospitable retries).
type UnreachableError struct {
	// Err is the refused attempt's error.
	Err *deliver.TransportError
}

// Error says what was refused and what to do.
func (e *UnreachableError) Error() string { return "cannot reach the endpoint: " + e.Err.Message() }

// Unwrap returns Err.
func (e *UnreachableError) Unwrap() error { return e.Err }

// reachGate watches the answers of a run (RunConfig.StopUnreachable) and
// stops it at a bad URL or a first attempt that is refused.
type reachGate struct {
	mu          sync.Mutex // concurrent copies post at once
	stop        func()
	badURL      error
	unreachable *deliver.TransportError
	answered    bool
}

// watch wraps post so that the gate sees every answer.
func (g *reachGate) watch(post func(context.Context, event.Delivery) (deliver.Response, error)) func(context.Context, event.Delivery) (deliver.Response, error) {
	return func(ctx context.Context, d event.Delivery) (deliver.Response, error) {
		resp, err := post(ctx, d)
		g.see(err)
		return resp, err
	}
}

func (g *reachGate) see(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var te *deliver.TransportError
	switch {
	case errors.As(err, new(*deliver.URLError)):
		g.badURL = err
		g.stop()
	case !g.answered && errors.As(err, &te) && te.Kind == deliver.KindRefused:
		g.unreachable = te
		g.stop()
	default:
		g.answered = true
	}
}

// err is why the gate stopped the run, nil when it did not.
func (g *reachGate) err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.badURL != nil:
		return g.badURL
	case g.unreachable != nil:
		return &UnreachableError{Err: g.unreachable}
	}
	return nil
}
