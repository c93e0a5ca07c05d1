package scenario

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
)

// Observer asks the user's app how many times it has processed the delivery
// with this envelope id (sent by the step called step); `--observe CMD` is
// one.
type Observer func(ctx context.Context, id, action, step string) (int, error)

// RunConfig says where and how a plan is delivered.
type RunConfig struct {
	// Post sends one copy of a delivery and reads the answer.
	Post func(ctx context.Context, d event.Delivery) (deliver.Response, error)
	// Clock waits between retries; a *clock.Virtual makes them instant.
	Clock clock.Clock
	// Schedule is Hospitable's retry schedule, for sends that retry, and
	// for saying when Hospitable would retry those that do not.
	Schedule deliver.Schedule
	// Speed compresses the retry waits, as simulate's --speed does.
	Speed float64
	// Observe, when set, is asked after the run how many times the app
	// processed each step's delivery.
	Observe Observer
	// OnResult, when set, is called with each result as it comes.
	OnResult func(Result)
	// StopUnreachable ends the run when a URL is refused as bad, or when
	// the very first attempt finds nothing listening: Run then returns
	// the *deliver.URLError or an *UnreachableError.
	StopUnreachable bool
}

// Result is what one copy of one send got.
type Result struct {
	// Seq numbers the sends of the plan from 1; the copies of a concurrent
	// send share it.
	Seq int
	// Step is the step's position in the story, from 0.
	Step int
	// Name and Action are the step's name and the delivery's action.
	Name, Action string
	// ID is the envelope id.
	ID string
	// Send is the plan entry, with its chaos.
	Send Send
	// Copy numbers the copies of a concurrent send from 1.
	Copy int
	// Early names the steps this one refers to that had not been delivered
	// when it went out (reordering put it first).
	Early []string
	// Outcome holds every attempt.
	Outcome deliver.Outcome
	// Want is the status the step must get.
	Want int
	// Met says whether the last attempt got Want.
	Met bool
	// Verdict says what Hospitable makes of the answer.
	Verdict string
	// Expected says what the app should do with the delivery.
	Expected string
}

// Status is the status of the last attempt, 0 when none came.
func (r Result) Status() int {
	if n := len(r.Outcome.Attempts); n > 0 {
		return r.Outcome.Attempts[n-1].Result.Status
	}
	return 0
}

// Chaos lists the chaos the copy got, including retries that happened.
func (r Result) Chaos() []string {
	out := r.Send.Labels()
	if n := len(r.Outcome.Attempts); n > 1 {
		out = append(out, fmt.Sprintf("retried ×%d", n-1))
	}
	return out
}

// Observation is what the app said about one step's delivery.
type Observation struct {
	// Step is the step's position; Name, Action and ID say which delivery.
	Step             int
	Name, Action, ID string
	// Want is the processed count expected; Got the one the app reported.
	Want, Got int
	// Err is set when the observer failed; Got is then meaningless.
	Err error
	// Met says whether Got is Want.
	Met bool
}

// Report is a whole run.
type Report struct {
	// Results holds every copy of every send, in the order sent.
	Results []Result
	// Observations holds one per step when there is an Observer.
	Observations []Observation
}

// OK reports whether every delivery and observation met its expectation.
func (r Report) OK() bool {
	for _, res := range r.Results {
		if !res.Met {
			return false
		}
	}
	for _, o := range r.Observations {
		if !o.Met {
			return false
		}
	}
	return true
}

// Failed counts the results and observations that missed.
func (r Report) Failed() int {
	n := 0
	for _, res := range r.Results {
		if !res.Met {
			n++
		}
	}
	for _, o := range r.Observations {
		if !o.Met {
			n++
		}
	}
	return n
}

// Run posts the plan in order and judges every answer. The copies of a
// concurrent send start together. When ctx ends it returns what was done
// with ctx's error.
func Run(ctx context.Context, built []Built, plan []Send, cfg RunConfig) (Report, error) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var g *reachGate
	if cfg.StopUnreachable {
		g = &reachGate{stop: stop}
		cfg.Post = g.watch(cfg.Post)
	}
	rep, err := run(ctx, built, plan, cfg)
	if g != nil {
		if gerr := g.err(); gerr != nil {
			return rep, gerr
		}
	}
	return rep, err
}

// run posts the plan, then asks the observer.
func run(ctx context.Context, built []Built, plan []Send, cfg RunConfig) (Report, error) {
	var rep Report
	sent := make(map[string]bool, len(built))
	for i, s := range plan {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		b := built[s.Step]
		early := notSent(b.Refs, sent)
		outcomes := sendCopies(ctx, cfg, b.Delivery, s)
		sent[b.Step.Name] = true
		for c, o := range outcomes {
			res := judge(b, s, o, cfg.Schedule)
			res.Seq, res.Copy, res.Early = i+1, c+1, early
			res.Expected = Expectation(b.Step, res)
			rep.Results = append(rep.Results, res)
			if cfg.OnResult != nil {
				cfg.OnResult(res)
			}
		}
	}
	if cfg.Observe == nil {
		return rep, nil
	}
	var err error
	rep.Observations, err = observeAll(ctx, built, cfg.Observe)
	return rep, err
}

// notSent lists the names in refs that are not in sent yet.
func notSent(refs []string, sent map[string]bool) []string {
	var out []string
	for _, name := range refs {
		if !sent[name] {
			out = append(out, name)
		}
	}
	return out
}

// sendCopies delivers the send's copies of d, all starting together.
func sendCopies(ctx context.Context, cfg RunConfig, d event.Delivery, s Send) []deliver.Outcome {
	outcomes := make([]deliver.Outcome, s.Copies)
	if s.Copies == 1 {
		outcomes[0] = deliverOne(ctx, cfg, d, s.Retry)
		return outcomes
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for c := range s.Copies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			outcomes[c] = deliverOne(ctx, cfg, d, s.Retry)
		}()
	}
	close(start)
	wg.Wait()
	return outcomes
}

// judge says whether one copy's outcome met the step's expectation, and
// what Hospitable makes of it.
func judge(b Built, s Send, o deliver.Outcome, schedule deliver.Schedule) Result {
	res := Result{Step: s.Step, Name: b.Step.Name, Action: b.Delivery.Action, ID: b.Delivery.ID,
		Send: s, Outcome: o, Want: b.Step.Expect.WantStatus()}
	res.Met = !o.Interrupted && res.Status() == res.Want && lastErr(o) == nil
	res.Verdict = verdict(o, s.Retry, schedule)
	return res
}

// observeAll asks the observer about every step's delivery, in story
// order.
func observeAll(ctx context.Context, built []Built, observe Observer) ([]Observation, error) {
	var out []Observation
	for _, b := range built {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		o := Observation{Step: b.Index, Name: b.Step.Name, Action: b.Delivery.Action, ID: b.Delivery.ID, Want: b.Step.Expect.WantProcessed()}
		o.Got, o.Err = observe(ctx, b.Delivery.ID, b.Delivery.Action, b.Step.Name)
		o.Met = o.Err == nil && o.Got == o.Want
		out = append(out, o)
	}
	return out, nil
}

// deliverOne posts d once, or on the retry schedule.
func deliverOne(ctx context.Context, cfg RunConfig, d event.Delivery, retry bool) deliver.Outcome {
	r := &deliver.Retrier{Clock: cfg.Clock, Speed: cfg.Speed}
	if retry {
		r.Schedule = cfg.Schedule
	}
	out, _ := r.Run(ctx, func(ctx context.Context, _ int) deliver.Result {
		return deliver.ResultOf(cfg.Post(ctx, d))
	})
	return out
}

func lastErr(o deliver.Outcome) error {
	if n := len(o.Attempts); n > 0 {
		return o.Attempts[n-1].Result.Err
	}
	return nil
}

// verdict says what Hospitable makes of the outcome: the attempt's verdict
// for a single attempt (naming the retry Hospitable would make), or how the
// retries ended.
func verdict(o deliver.Outcome, retried bool, schedule deliver.Schedule) string {
	n := len(o.Attempts)
	switch {
	case n == 0:
		return o.Summary()
	case retried && n > 1:
		return o.Summary()
	}
	a := o.Attempts[n-1]
	if !a.Result.Success() && !a.Interrupted && !retried && len(schedule) > 0 {
		// Not retried here, but Hospitable would: say when.
		a.Final, a.NextDelay = false, schedule[0]
	}
	return a.Verdict()
}

// Expectation says, for a result, what the receiving app should do: the
// status it must answer, then the step's note and what the chaos asks of it.
func Expectation(st Step, r Result) string {
	parts := []string{fmt.Sprintf("answer %d", r.Want)}
	switch {
	case r.Send.Duplicate:
		parts = append(parts, fmt.Sprintf("the same delivery again (id %s): do the work once", r.ID))
	case r.Send.Copies > 1:
		parts = append(parts, "two copies at the same moment: do the work once, even in a race")
	}
	if len(r.Early) > 0 && !r.Send.Duplicate {
		parts = append(parts, fmt.Sprintf("it refers to %s, not delivered yet: keep it and apply it when that arrives, do not drop it", strings.Join(r.Early, ", ")))
	}
	if st.Note != "" && !r.Send.Duplicate {
		parts = append(parts, st.Note)
	}
	return strings.Join(parts, "; ")
}

// Span is how long the virtual time of a story spans, from its first
// step to its last.
func Span(built []Built) time.Duration {
	if len(built) == 0 {
		return 0
	}
	return built[len(built)-1].Created.Sub(built[0].Created)
}
