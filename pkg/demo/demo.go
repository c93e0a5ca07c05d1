// Package demo runs the whole story of hospitable-hook in one process: a
// verifying listener on a free loopback port, a signed delivery of every
// action, a forged delivery refused, and Hospitable's retries rehearsed
// against a listener scripted to fail twice, on a virtual clock.
//
// Each step returns what happened and the Problems found, empty when the
// step behaved as expected; printing is the caller's business.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// Paths the demo's listener serves.
const (
	// Path is where the verifying listener takes deliveries.
	Path = "/webhooks/hospitable"
	// FlakyPath is where the listener scripted with Script takes them.
	FlakyPath = "/webhooks/flaky"
	// Script is the flaky listener's answers to the attempts of one id.
	Script = "500,500,200"
)

// eventWait bounds the wait for the listener to report a request it has
// answered; it is reported right after the answer, so this is never
// reached unless something is broken.
const eventWait = 5 * time.Second

// Config is what a Tour needs.
type Config struct {
	// Secret signs and verifies every delivery.
	Secret string
	// Fixtures holds the built-in payloads.
	Fixtures fs.FS
	// Now makes the creation times and starts the retry rehearsal's
	// virtual clock.
	Now func() time.Time
	// Entropy feeds the ULIDs.
	Entropy io.Reader
	// Clock is the listener's clock (latencies); nil means the wall clock.
	Clock clock.Clock
}

// Tour is a running demo: the listener and a client to post to it.
type Tour struct {
	cfg     Config
	ln      net.Listener
	srv     *http.Server
	main    *listener.Handler
	flaky   *listener.Handler
	client  *deliver.Client
	builder *event.Builder
	key     *signature.Key
	served  chan error
	// URL is the listener's base URL, http://127.0.0.1:PORT.
	URL string
}

// Start starts the listener on a free port of 127.0.0.1.
func Start(cfg Config) (*Tour, error) {
	script, err := listener.ParseScript(Script)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on a free loopback port: %w", err)
	}
	t := &Tour{
		cfg:     cfg,
		ln:      ln,
		main:    listener.New(listener.Config{Secret: cfg.Secret, Path: Path, Clock: cfg.Clock}),
		flaky:   listener.New(listener.Config{Secret: cfg.Secret, Path: FlakyPath, Script: script, Clock: cfg.Clock}),
		client:  deliver.NewClient(deliver.ClientOptions{Timeout: 10 * time.Second, Now: cfg.Now}),
		builder: event.NewBuilder(cfg.Now, cfg.Entropy),
		key:     signature.NewKey(cfg.Secret),
		served:  make(chan error, 1),
		URL:     "http://" + ln.Addr().String(),
	}
	mux := http.NewServeMux()
	mux.Handle(Path, t.main)
	mux.Handle(FlakyPath, t.flaky)
	t.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { t.served <- t.srv.Serve(ln) }()
	return t, nil
}

// Close stops the listener.
func (t *Tour) Close() {
	t.client.Close()
	t.main.Release()
	t.flaky.Release()
	_ = t.srv.Close()
	<-t.served
}

// Exchange is one delivery, the answer it got and what the listener saw.
type Exchange struct {
	// Delivery is what was sent.
	Delivery event.Delivery
	// Response is the answer.
	Response deliver.Response
	// Err is set when no answer came.
	Err error
	// Event is the listener's report of the request.
	Event listener.Event
}

// post sends d to path and waits for the listener h to report it.
func (t *Tour) post(ctx context.Context, h *listener.Handler, path string, d event.Delivery) Exchange {
	x := Exchange{Delivery: d}
	x.Response, x.Err = t.client.Post(ctx, t.URL+path, d, nil)
	if x.Err != nil {
		return x
	}
	wait, cancel := context.WithTimeout(ctx, eventWait)
	defer cancel()
	select {
	case x.Event = <-h.Events():
	case <-wait.Done():
		x.Err = errors.New("the listener answered but did not report the request")
	}
	return x
}

func (t *Tour) build(action string) (event.Delivery, error) {
	spec, err := event.FromFixture(fixture.New(t.cfg.Fixtures), action)
	if err != nil {
		return event.Delivery{}, err
	}
	d, err := t.builder.Build(spec)
	return d.Signed(t.key), err
}

// SendStep is step 2: every action, signed.
type SendStep struct {
	// Exchanges holds one per action, in fixture order.
	Exchanges []Exchange
	// Stats are the listener's counts after the step.
	Stats listener.Stats
	// Problems lists what did not behave as expected.
	Problems []string
}

// SendAll posts a signed delivery of every built-in action, calling each
// (when not nil) with every exchange as it completes. Every one must be
// answered 200 and verified.
func (t *Tour) SendAll(ctx context.Context, each func(Exchange)) SendStep {
	var s SendStep
	for _, action := range fixture.Actions() {
		d, err := t.build(action)
		if err != nil {
			s.Problems = append(s.Problems, fmt.Sprintf("build %s: %v", action, err))
			continue
		}
		x := t.post(ctx, t.main, Path, d)
		s.Exchanges = append(s.Exchanges, x)
		if each != nil {
			each(x)
		}
		switch {
		case x.Err != nil:
			s.Problems = append(s.Problems, fmt.Sprintf("%s: %v", action, x.Err))
		case x.Response.Status != http.StatusOK || !x.Event.Verified:
			s.Problems = append(s.Problems, fmt.Sprintf("%s: answered %d, verified %v; want 200 and verified", action, x.Response.Status, x.Event.Verified))
		}
	}
	s.Stats = t.main.Stats()
	if want := int64(len(fixture.Actions())); s.Stats.Verified != want || s.Stats.Forged != 0 {
		s.Problems = append(s.Problems, fmt.Sprintf("the listener counted %d verified and %d forged; want %d and 0", s.Stats.Verified, s.Stats.Forged, want))
	}
	return s
}

// ForgedStep is step 3: a forged delivery refused.
type ForgedStep struct {
	Exchange
	// Stats are the listener's counts after the step.
	Stats listener.Stats
	// Problems lists what did not behave as expected.
	Problems []string
}

// ForgedSecret is what the forged delivery is signed with instead of the
// listener's secret.
const ForgedSecret = "not-the-secret"

// Forged posts a reservation.created signed with ForgedSecret. It must be
// answered 401 and counted as forged.
func (t *Tour) Forged(ctx context.Context) ForgedStep {
	var s ForgedStep
	before := t.main.Stats().Forged
	d, err := t.build("reservation.created")
	if err != nil {
		s.Problems = append(s.Problems, "build reservation.created: "+err.Error())
		return s
	}
	s.Exchange = t.post(ctx, t.main, Path, event.Wrap(d.Body, ForgedSecret))
	s.Stats = t.main.Stats()
	switch {
	case s.Err != nil:
		s.Problems = append(s.Problems, s.Err.Error())
	case s.Response.Status != http.StatusUnauthorized:
		s.Problems = append(s.Problems, fmt.Sprintf("the forged delivery was answered %d; want 401", s.Response.Status))
	}
	if s.Stats.Forged != before+1 {
		s.Problems = append(s.Problems, fmt.Sprintf("the listener counted %d forged deliveries; want %d", s.Stats.Forged, before+1))
	}
	return s
}

// RetryStep is step 4: Hospitable's retries rehearsed.
type RetryStep struct {
	// Delivery is the delivery retried.
	Delivery event.Delivery
	// Outcome is how the run ended.
	Outcome deliver.Outcome
	// Events are the listener's reports, one per attempt.
	Events []listener.Event
	// Problems lists what did not behave as expected.
	Problems []string
}

// Retry runs Hospitable's retry schedule for one message.created against
// the listener scripted with Script, on a virtual clock so that the waits
// take no time, calling onAttempt (when not nil) after every attempt with
// the listener's report of it. It must be delivered on attempt 3 at T+6s,
// the listener seeing the same id as attempts 1, 2 and 3.
func (t *Tour) Retry(ctx context.Context, onAttempt func(deliver.Attempt, listener.Event)) RetryStep {
	var s RetryStep
	d, err := t.build("message.created")
	if err != nil {
		s.Problems = append(s.Problems, "build message.created: "+err.Error())
		return s
	}
	s.Delivery = d
	r := deliver.Retrier{Clock: clock.NewVirtual(t.cfg.Now()), Schedule: deliver.DefaultSchedule()}
	r.OnAttempt = func(a deliver.Attempt) {
		var ev listener.Event
		if a.Number <= len(s.Events) {
			ev = s.Events[a.Number-1]
		}
		if onAttempt != nil {
			onAttempt(a, ev)
		}
	}
	s.Outcome, err = r.Run(ctx, func(ctx context.Context, n int) deliver.Result {
		x := t.post(ctx, t.flaky, FlakyPath, d)
		s.Events = append(s.Events, x.Event)
		return deliver.ResultOf(x.Response, x.Err)
	})
	if err != nil {
		s.Problems = append(s.Problems, "interrupted: "+err.Error())
		return s
	}
	o := s.Outcome
	if !o.Delivered || len(o.Attempts) != 3 || o.ScheduleTime != 6*time.Second {
		s.Problems = append(s.Problems, fmt.Sprintf("%s; want delivered on attempt 3 at T+6s", o.Summary()))
	}
	for i, ev := range s.Events {
		if ev.Delivery.ID != d.ID || ev.Attempt != i+1 {
			s.Problems = append(s.Problems, fmt.Sprintf("the listener saw attempt %d as id %q attempt %d; want %s attempt %d", i+1, ev.Delivery.ID, ev.Attempt, d.ID, i+1))
		}
	}
	return s
}
