package cmd

import (
	"bufio"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// flushEvery bounds how long a shown row may wait in the output buffer
// while deliveries keep arriving.
const flushEvery = 200 * time.Millisecond

// stallAfter is how long, once the listener stopped, standard output may
// take nothing before listen gives up on the rows left (`listen | sleep`).
const stallAfter = 2 * time.Second

// useOutput sends standard output through a buffer, flushed when the
// listener is idle, every flushEvery under load, and on exit: one write
// per burst, not per row. Standard error is shared by the display and the
// stop, so its writes are serialised.
func (o *listenOptions) useOutput() *progressWriter {
	pw := &progressWriter{w: o.IO.Out}
	out := bufio.NewWriterSize(pw, 64<<10)
	o.IO = o.IO.WithOut(out)
	o.IO.ErrOut = &syncWriter{w: o.IO.ErrOut}
	o.flush = func() { _ = out.Flush() }
	o.rows = render.NewBurstView(out, o.IO.Styles(), o.Clock.Now)
	return pw
}

// stopping says, as the stop waits for deliveries being answered, how
// long and how to cut it short. The stop waits for it, so it only starts
// the write: a standard error nobody reads must not hold the stop.
func (o *listenOptions) stopping(n int64, grace time.Duration) {
	go o.IO.Notef("stopping: waiting up to %s for %d deliver%s being answered (Ctrl-C again to stop at once)",
		grace, n, map[bool]string{true: "y", false: "ies"}[n == 1])
}

// display shows the event stream until it closes, then the summary; it
// runs on its own goroutine and closes the channel it returns when done.
func (o *listenOptions) display(srv *listener.Server) <-chan struct{} {
	shown := make(chan struct{})
	go func() {
		defer close(shown)
		tick := time.NewTicker(flushEvery)
		defer tick.Stop()
		for events := srv.Events(); events != nil; {
			select {
			case batch, ok := <-events:
				if !ok {
					events = nil
				}
				for _, ev := range batch {
					o.show(ev)
				}
			case <-tick.C:
				o.rows.Tick()
			}
			o.flush()
		}
		o.rows.Close()
		o.summary(srv.Stats())
		o.flush()
	}()
	return shown
}

// awaitDisplay waits for the display to finish once the listener
// stopped; when standard output takes nothing for stallAfter, listen gives
// up on the rows left and says so, with the counts, on standard error
// (itself given no longer: it may be stalled too).
func (o *listenOptions) awaitDisplay(shown <-chan struct{}, out *progressWriter, s listener.Stats) {
	if displayed(shown, out) {
		return
	}
	within(stallAfter, func() {
		o.IO.Warnf("standard output is not being read: the last rows and the summary were not written; the counts are:")
		render.ListenSummary(o.IO.ErrOut, o.IO.ErrStyles(), s)
	})
}

// displayed waits for shown to close as long as out keeps taking writes;
// it reports false once out took nothing for stallAfter.
func displayed(shown <-chan struct{}, out *progressWriter) bool {
	for last := out.writes.Load(); ; {
		select {
		case <-shown:
			return true
		case <-time.After(stallAfter):
		}
		now := out.writes.Load()
		if now == last {
			return false
		}
		last = now
	}
}

// within runs f, waiting for it at most d.
func within(d time.Duration, f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
	}
}

// show prints one event: a row, a --json line, or its part of a burst's
// summary; --events leaves out the other actions.
func (o *listenOptions) show(ev listener.Event) {
	if ev.OlderSecret > 0 && ev.OlderSecret <= len(o.older) {
		old := o.older[ev.OlderSecret-1]
		o.IO.Warnf("delivery %s matched only the older secret %s, not the current one: the sender still signs with it; give it the current secret before you drop the old one",
			render.Safe(ev.Delivery.ID), old.Fingerprint())
	}
	if o.eventSet != nil && (ev.Kind != listener.KindDelivery || !o.eventSet[ev.Delivery.Action]) {
		return
	}
	var why *signature.Finding
	if f, ok := ev.Explain(o.secret); ok {
		why = &f
	}
	if o.JSON {
		if ev.Kind == listener.KindDelivery {
			_ = o.IO.JSON(render.ListenJSON(ev, why))
		}
		return
	}
	o.rows.Event(ev, render.ListenOptions{Verbose: o.Verbose, ShowPII: o.ShowPII, Explanation: why})
}

// summary prints the counts when the listener stopped, on stdout (on
// stderr with --json, whose stdout is one kind of object).
func (o *listenOptions) summary(s listener.Stats) {
	var w io.Writer = o.IO.Out
	st := o.IO.Styles()
	if o.JSON {
		w, st = o.IO.ErrOut, o.IO.ErrStyles()
	}
	render.ListenSummary(w, st, s)
	if o.Save != "" {
		o.IO.Notef("deliveries saved to %s; check them with `hospitable-hook verify --file %s`", o.Save, o.Save)
	}
	if s.Dropped > 0 {
		o.IO.Warnf("%d deliveries were answered but not shown: the display fell behind", s.Dropped)
	}
}

// progressWriter counts the writes that went through, so a stop can tell
// a slow standard output from one nobody reads.
type progressWriter struct {
	w      io.Writer
	writes atomic.Int64
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.writes.Add(1)
	return n, err
}

// syncWriter serialises writes from several goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}
