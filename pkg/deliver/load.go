package deliver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
)

// LoadOptions configures Client.Load.
type LoadOptions struct {
	// URL is the endpoint.
	URL string
	// Header holds extra headers, as for Post (a Host sets the Host).
	Header http.Header
	// Count is how many deliveries to send.
	Count int
	// Concurrency is how many are in flight at most, each worker on a
	// keep-alive connection of its own; make the Client with
	// ClientOptions.Connections set to it.
	Concurrency int
	// Rate paces the starts; the zero Rate sends as fast as answers come.
	Rate Rate
	// Build makes each delivery, in the workers: every delivery gets its
	// own id and signature (see event.Template).
	Build func() (event.Delivery, error)
	// Clock times the deliveries and waits for the pacer; nil is the wall clock.
	Clock clock.Clock
	// Done, when set, is called after each delivery (a progress bar).
	Done func()
}

// LoadResult is what a load run measured.
type LoadResult struct {
	// Count, Concurrency and Rate are what was asked for.
	Count, Concurrency int
	Rate               Rate
	// Sent counts the deliveries attempted (fewer than Count when the run
	// was interrupted).
	Sent int
	// Elapsed is the wall time of the whole run.
	Elapsed time.Duration
	// Latency holds the latency of every delivery that got an answer,
	// from sending the request to the end of the response body.
	Latency *Latencies
	// Status counts the answers by HTTP status.
	Status map[int]int
	// Errors counts the deliveries that got no answer, by kind.
	Errors map[Kind]int
}

// OK reports whether every delivery was sent and answered 200.
func (r LoadResult) OK() bool { return r.Sent == r.Count && r.Status[http.StatusOK] == r.Count }

// PerSecond is the deliveries sent per second of the run.
func (r LoadResult) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Sent) / r.Elapsed.Seconds()
}

// workerResult is what one worker counted; merged at the end, so that
// recording takes no lock.
type workerResult struct {
	sent    int
	latency Latencies
	status  map[int]int
	errors  map[Kind]int
}

// Load sends o.Count deliveries to o.URL from o.Concurrency workers, each
// posting its next delivery once it has the answer to the last, so no
// more than Concurrency are ever in flight; with o.Rate, a pacer hands
// out the starts. Response bodies are read to the end and closed, so the
// connections are reused. A bad URL is a *URLError; a failure to build a
// delivery stops the run and is returned with what was measured so far.
// Interrupting ctx stops the run early (Sent < Count).
func (c *Client) Load(ctx context.Context, o LoadOptions) (LoadResult, error) {
	u, err := ParseURL(o.URL)
	if err != nil {
		return LoadResult{}, err
	}
	clk := o.Clock
	if clk == nil {
		clk = clock.Real()
	}
	workers := min(max(o.Concurrency, 1), max(o.Count, 1))
	res := LoadResult{Count: o.Count, Concurrency: workers, Rate: o.Rate, Latency: &Latencies{},
		Status: map[int]int{}, Errors: map[Kind]int{}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := clk.Now()
	take := turns(ctx, o, clk, start)

	// Deliveries a second or more apart each get a connection of their own:
	// a kept-alive one would sit idle that long between them, and an
	// endpoint may close it just as the next delivery goes out.
	fresh := !o.Rate.IsZero() && o.Rate.Per/time.Duration(o.Rate.Freq) >= MaxIdle
	host := hostPort(u)
	results := make([]workerResult, workers)
	var buildErr error
	var once sync.Once
	var wg sync.WaitGroup
	for w := range results {
		r := &results[w]
		r.status, r.errors = map[int]int{}, map[Kind]int{}
		wg.Go(func() {
			for take() {
				if err := c.loadOne(ctx, o, clk, r, host, fresh); err != nil {
					once.Do(func() { buildErr = err; cancel() })
					return
				}
			}
		})
	}
	wg.Wait()
	res.Elapsed = clk.Now().Sub(start)
	for i := range results {
		res.add(&results[i])
	}
	return res, buildErr
}

// turns returns what hands out the next delivery's turn: a counter when
// unpaced, a pacer's channel when paced. It reports false once every
// delivery has had its turn or ctx has ended.
func turns(ctx context.Context, o LoadOptions, clk clock.Clock, start time.Time) func() bool {
	if o.Rate.IsZero() {
		var next atomic.Int64
		return func() bool { return ctx.Err() == nil && next.Add(1) <= int64(o.Count) }
	}
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		for i := range int64(o.Count) {
			if wait := o.Rate.Pace(clk.Now().Sub(start), i); wait > 0 {
				if clk.Sleep(ctx, wait) != nil {
					return
				}
			}
			select {
			case ch <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() bool { _, ok := <-ch; return ok && ctx.Err() == nil }
}

// loadOne builds and posts one delivery and counts its answer in r. Only
// a failure to build is returned: it stops the run.
func (c *Client) loadOne(ctx context.Context, o LoadOptions, clk clock.Clock, r *workerResult, host string, fresh bool) error {
	d, err := o.Build()
	if err != nil {
		return fmt.Errorf("build delivery: %w", err)
	}
	r.sent++
	sent := clk.Now()
	status, err := c.postLean(ctx, o.URL, d, o.Header, fresh)
	if err != nil {
		var te *TransportError
		if !errors.As(classify(ctx, err, host, c.timeout), &te) {
			te = &TransportError{Kind: KindOther}
		}
		r.errors[te.Kind]++
	} else {
		r.latency.Add(clk.Now().Sub(sent))
		r.status[status]++
	}
	if o.Done != nil {
		o.Done()
	}
	return nil
}

// add merges what one worker counted.
func (res *LoadResult) add(r *workerResult) {
	res.Sent += r.sent
	res.Latency.Merge(&r.latency)
	for k, n := range r.status {
		res.Status[k] += n
	}
	for k, n := range r.errors {
		res.Errors[k] += n
	}
}

// postLean posts d and returns the status, reading the body to its end
// without keeping it (so the connection goes back to the pool). With
// fresh, the connection is closed after the answer instead of kept.
func (c *Client) postLean(ctx context.Context, target string, d event.Delivery, extra http.Header, fresh bool) (int, error) {
	req, err := NewRequest(ctx, target, d, extra)
	if err != nil {
		return 0, err
	}
	req.Close = fresh
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
