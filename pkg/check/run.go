package check

import (
	"context"
	"crypto/rand"
	"sync"
	"time"
)

// withDefaults fills what a Config may leave unset: the budget, the
// concurrency, the clock and the ids' entropy (crypto/rand, as main uses),
// so that a Config built outside tests never makes Run panic.
func (c Config) withDefaults() Config {
	if c.Budget <= 0 {
		c.Budget = DefaultBudget
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Entropy == nil {
		c.Entropy = rand.Reader
	}
	return c
}

// Run runs cases against the endpoint, at most cfg.Concurrency at once
// (cases marked alone afterwards, by themselves), then the probes when
// valid deliveries were refused or cfg.Diagnose is set. The report is
// always complete: a case that could not run is there, Skipped, with the
// reason. It stops early when the endpoint cannot be reached at all
// (Report.Unreachable) or when ctx ends (Report.Interrupted).
func Run(ctx context.Context, cfg Config, cases []Case) Report {
	cfg = cfg.withDefaults()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	s := &suiteRun{cfg: cfg, cases: cases, stop: stop, r: newRunner(cfg, stop),
		results: make([]Result, len(cases)), ran: make([]bool, len(cases))}
	s.runParallel(runCtx)
	s.runAlone(runCtx)
	if u := s.r.unreachableErr(); u != nil {
		return Report{Results: []Result{unreachableResult(u)}, Unreachable: u}
	}
	rep := Report{Results: s.results, Interrupted: ctx.Err() != nil}
	s.markNotRun(rep.Interrupted)
	if s.wantsDiagnosis(rep.Interrupted) {
		s.diagnose(ctx, &rep)
	}
	rep.Common = commonCause(rep.Results, rep.Diagnosis)
	return rep
}

// suiteRun is one Run: the cases, their results as they finish, and the
// first failure, which --fail-fast stops at.
type suiteRun struct {
	cfg   Config
	cases []Case
	stop  context.CancelFunc
	r     *runner

	mu      sync.Mutex
	results []Result
	ran     []bool
	done    int
	failed  string // the first failed case's name
}

// runParallel runs every case not marked alone, cfg.Concurrency at once.
func (s *suiteRun) runParallel(ctx context.Context) {
	sem := make(chan struct{}, s.cfg.Concurrency)
	var wg sync.WaitGroup
	for i, c := range s.cases {
		if c.alone {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s.runOne(ctx, i)
		}()
	}
	wg.Wait()
}

// runAlone runs the cases marked alone, one after the other, with nothing
// in parallel.
func (s *suiteRun) runAlone(ctx context.Context) {
	for i, c := range s.cases {
		if c.alone {
			s.runOne(ctx, i)
		}
	}
}

// runOne runs case i, unless the run has ended; a case cut short by the
// end is left for markNotRun.
func (s *suiteRun) runOne(ctx context.Context, i int) {
	if ctx.Err() != nil {
		return
	}
	res := s.cases[i].run(s.r, ctx)
	if ctx.Err() != nil {
		return
	}
	res.Name, res.Title = s.cases[i].Name, s.cases[i].Title
	if res.Pass {
		res.Why, res.Fix, res.Cause = "", "", ""
	}
	s.finish(i, res)
}

// finish records case i's result, notes the first failure (stopping the
// run with --fail-fast) and reports progress.
func (s *suiteRun) finish(i int, res Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results[i], s.ran[i] = res, true
	s.done++
	if !res.Pass && s.failed == "" {
		s.failed = res.Name
		if s.cfg.FailFast {
			s.stop()
		}
	}
	if s.cfg.Progress != nil {
		s.cfg.Progress(s.done, len(s.cases), res.Name)
	}
}

// markNotRun fills in every case that did not run (or was cut short) as
// Skipped, saying why.
func (s *suiteRun) markNotRun(interrupted bool) {
	why := "not run (or cut short): the run was interrupted"
	if !interrupted && s.failed != "" {
		why = "not run (or cut short): --fail-fast stopped the run after " + s.failed + " failed"
	}
	for i, c := range s.cases {
		if !s.ran[i] {
			s.results[i] = Result{Name: c.Name, Title: c.Title, Skipped: true, Sent: "nothing", Got: "-", Why: why}
		}
	}
}

// wantsDiagnosis reports whether the probes run: asked for, or a previous
// secret to look for, or valid deliveries refused; never after an
// interruption or a --fail-fast stop.
func (s *suiteRun) wantsDiagnosis(interrupted bool) bool {
	stopped := s.failed != "" && s.cfg.FailFast
	asked := s.cfg.Diagnose || s.cfg.PreviousSecret != "" || refusesValid(s.results)
	return !interrupted && !stopped && asked
}

// diagnose runs the probes into rep; an endpoint that stopped answering
// during them is reported unreachable.
func (s *suiteRun) diagnose(ctx context.Context, rep *Report) {
	d := Diagnose(ctx, s.cfg)
	rep.Diagnosis = &d
	if d.unreachable != nil {
		rep.Unreachable = &UnreachableError{URL: s.cfg.URL, Err: d.unreachable}
	}
	rep.Interrupted = ctx.Err() != nil
}
