// Package check is a conformance suite for a webhook endpoint: it posts
// deliveries the way Hospitable does, and a few it never would, and judges
// each answer by what Hospitable makes of it.
//
// The cases are data (Cases): a stable kebab-case name, a title, and a small
// function that sends and judges. Each yields a Result that says what was
// sent, what came back and, on failure, why it matters and how to fix it.
// When valid deliveries are refused (or on request), Diagnose probes the
// endpoint with deliveries signed the usual wrong ways and names the one it
// accepts: the bug in its signature check.
package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/observe"
)

// DefaultBudget is how long an endpoint may take to answer before the
// answer-time case fails. Hospitable does not document its timeout, so this
// is a conservative assumption, not a documented limit.
const DefaultBudget = 3 * time.Second

// DefaultConcurrency is how many cases run at once.
const DefaultConcurrency = 4

// Poster posts one delivery and reads the answer; *deliver.Client is one.
type Poster interface {
	Post(ctx context.Context, url string, d event.Delivery, extra http.Header) (deliver.Response, error)
}

// Config says which endpoint to check and how.
type Config struct {
	// URL is the endpoint.
	URL string
	// Secret is the endpoint's webhook secret, which valid deliveries are
	// signed with.
	Secret string
	// PreviousSecret, when set, is the secret before a rotation: a probe
	// signs with it to find an endpoint still on it.
	PreviousSecret string
	// Header holds extra headers for every request (-H).
	Header http.Header
	// Client posts the deliveries.
	Client Poster
	// Budget is the longest answer time the answer-time case accepts; 0
	// means DefaultBudget.
	Budget time.Duration
	// Now makes the creation times (and the ids' time part).
	Now func() time.Time
	// Entropy feeds the ids' random part.
	Entropy io.Reader
	// Fixtures holds the built-in payloads (fixtures.FS).
	Fixtures fs.FS
	// Concurrency is how many cases run at once; 0 means
	// DefaultConcurrency. The report keeps the suite's order regardless.
	Concurrency int
	// FailFast stops starting cases after the first failure.
	FailFast bool
	// Diagnose probes the endpoint's signature check even when valid
	// deliveries pass; it runs anyway when they are refused.
	Diagnose bool
	// Observe, when set, asks the app how many times it processed an id:
	// the duplicate cases fail when the work ran more than once.
	Observe observe.Counter
	// Progress, when set, is called after each case (and probe) with how
	// many are done of how many; calls never overlap.
	Progress func(done, total int, name string)
}

// Result is what one case found.
type Result struct {
	// Name is the case's stable name.
	Name string
	// Title says what the case checks.
	Title string
	// Pass says whether the endpoint behaved as Hospitable needs.
	Pass bool
	// Skipped says the case did not run (--fail-fast, interrupted, or the
	// endpoint could not be reached); Why says which.
	Skipped bool
	// Warn marks a pass with a caveat worth reading (Note).
	Warn bool
	// Sent says what was sent, in a phrase.
	Sent string
	// Got says what came back, in a phrase.
	Got string
	// Status is the HTTP status that decided the verdict; 0 when no
	// answer came or none decided.
	Status int
	// Excerpt is the start of that answer's body, as received (render
	// sanitises it).
	Excerpt string
	// Why says, on failure, why it matters.
	Why string
	// Fix says, on failure, what to change.
	Fix string
	// Note is said even on a pass: an assumption, or what a pass cannot
	// prove.
	Note string
	// Cause groups failures that have one probable cause (see Causes).
	Cause Cause
	// Latency is the slowest answer the case got.
	Latency time.Duration
}

// Case is one check of the suite.
type Case struct {
	// Name is stable and kebab-case, for --only and --skip.
	Name string
	// Title says what is checked and what is expected, in a phrase.
	Title string
	// alone runs the case after the others, with nothing in parallel:
	// its timing must not suffer from theirs.
	alone bool
	run   func(r *runner, ctx context.Context) Result
}

// Names returns the names of every case, in order.
func Names() []string {
	cs := Cases()
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return names
}

// UnknownCaseError reports --only or --skip names that match no case.
type UnknownCaseError struct {
	// Names are the names or patterns that matched nothing.
	Names []string
	// Valid lists every case name.
	Valid []string
}

// Error names the unknown cases, suggests the closest name for a typo and
// lists the valid ones.
func (e *UnknownCaseError) Error() string {
	var hints []string
	for _, n := range e.Names {
		if s := fixture.Suggest(n, e.Valid); s != "" {
			hints = append(hints, fmt.Sprintf("did you mean %q?", s))
		}
	}
	hint := ""
	if len(hints) > 0 {
		hint = " (" + strings.Join(hints, " ") + ")"
	}
	return fmt.Sprintf("no case named %s%s: valid cases are %s (patterns like signed-* work too)",
		strings.Join(quote(e.Names), ", "), hint, strings.Join(e.Valid, ", "))
}

// Select returns the cases named by only (all when empty) minus those named
// by skip, in suite order. Names may be shell-style patterns (signed-*). A
// name or pattern that matches no case is an *UnknownCaseError.
func Select(only, skip []string) ([]Case, error) {
	all := Cases()
	var unknown []string
	matches := func(patterns []string, name string) bool {
		for _, p := range patterns {
			if ok, _ := path.Match(p, name); ok {
				return true
			}
		}
		return false
	}
	for _, p := range append(slices.Clone(only), skip...) {
		if !slices.ContainsFunc(all, func(c Case) bool { return matches([]string{p}, c.Name) }) {
			unknown = append(unknown, p)
		}
	}
	if len(unknown) > 0 {
		return nil, &UnknownCaseError{Names: unknown, Valid: Names()}
	}
	var out []Case
	for _, c := range all {
		if (len(only) == 0 || matches(only, c.Name)) && !matches(skip, c.Name) {
			out = append(out, c)
		}
	}
	return out, nil
}

// UnreachableError reports an endpoint that could not be reached at all
// (connection refused, unknown host, TLS failure), which stops the suite:
// every case would fail the same way.
type UnreachableError struct {
	// URL is the endpoint.
	URL string
	// Err is the transport error.
	Err *deliver.TransportError
}

// Error says which endpoint could not be reached and why.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s: %s", e.URL, e.Err.Error())
}

// Unwrap returns the transport error.
func (e *UnreachableError) Unwrap() error { return e.Err }

// Hint says what to do; a refused connection means nothing runs there yet.
func (e *UnreachableError) Hint() string {
	if e.Err.Kind == deliver.KindRefused {
		return "start your endpoint, or check the host and port in the URL"
	}
	return e.Err.Hint()
}

// Report is a whole run: every selected case in suite order (those that
// did not run marked Skipped), and what the probes found.
type Report struct {
	// Results holds one Result per selected case, in suite order.
	Results []Result
	// Diagnosis is what the probes found; nil when none ran.
	Diagnosis *Diagnosis
	// Common is the probable cause shared by several failures; nil when
	// there is none.
	Common *Common
	// Unreachable is set when the endpoint could not be reached at all.
	Unreachable *UnreachableError
	// Interrupted says the run was stopped (ctx ended) before the end.
	Interrupted bool
}

// Passed reports whether every case ran and passed.
func (rep Report) Passed() bool {
	return rep.Unreachable == nil && !rep.Interrupted && Passed(rep.Results) &&
		(rep.Diagnosis == nil || !rep.Diagnosis.Failed())
}

// Passed reports whether every result ran and passed.
func Passed(results []Result) bool {
	for _, r := range results {
		if !r.Pass || r.Skipped {
			return false
		}
	}
	return true
}

// Run runs cases against the endpoint, at most cfg.Concurrency at once
// (cases marked alone afterwards, by themselves), then the probes when
// valid deliveries were refused or cfg.Diagnose is set. The report is
// always complete: a case that could not run is there, Skipped, with the
// reason. It stops early when the endpoint cannot be reached at all
// (Report.Unreachable) or when ctx ends (Report.Interrupted).
func Run(ctx context.Context, cfg Config, cases []Case) Report {
	if cfg.Budget <= 0 {
		cfg.Budget = DefaultBudget
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	r := newRunner(cfg, stop)
	results := make([]Result, len(cases))
	ran := make([]bool, len(cases))
	var mu sync.Mutex
	done, failed := 0, ""
	finish := func(i int, res Result) {
		mu.Lock()
		defer mu.Unlock()
		results[i], ran[i] = res, true
		done++
		if !res.Pass && failed == "" {
			failed = res.Name
			if cfg.FailFast {
				stop()
			}
		}
		if cfg.Progress != nil {
			cfg.Progress(done, len(cases), res.Name)
		}
	}
	runOne := func(i int) {
		if runCtx.Err() != nil {
			return
		}
		res := cases[i].run(r, runCtx)
		if runCtx.Err() != nil {
			return // cut short: reported as not run below
		}
		res.Name, res.Title = cases[i].Name, cases[i].Title
		if res.Pass {
			res.Why, res.Fix, res.Cause = "", "", ""
		}
		finish(i, res)
	}
	sem := make(chan struct{}, cfg.Concurrency)
	var wg sync.WaitGroup
	for i, c := range cases {
		if c.alone {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			runOne(i)
		}()
	}
	wg.Wait()
	for i, c := range cases {
		if c.alone {
			runOne(i)
		}
	}
	rep := Report{Results: results}
	if u := r.unreachableErr(); u != nil {
		rep.Unreachable = u
		rep.Results = []Result{unreachableResult(u)}
		return rep
	}
	rep.Interrupted = ctx.Err() != nil
	for i := range results {
		if !ran[i] {
			why := "not run (or cut short): the run was interrupted"
			if !rep.Interrupted && failed != "" {
				why = "not run (or cut short): --fail-fast stopped the run after " + failed + " failed"
			}
			results[i] = Result{Name: cases[i].Name, Title: cases[i].Title, Skipped: true, Sent: "nothing", Got: "-", Why: why}
		}
	}
	if !rep.Interrupted && (failed == "" || !cfg.FailFast) && (cfg.Diagnose || cfg.PreviousSecret != "" || refusesValid(results)) {
		d := Diagnose(ctx, cfg)
		rep.Diagnosis = &d
		if u := r.unreachableErr(); u == nil && d.unreachable != nil {
			rep.Unreachable = &UnreachableError{URL: cfg.URL, Err: d.unreachable}
		}
		rep.Interrupted = ctx.Err() != nil
	}
	rep.Common = commonCause(results, rep.Diagnosis)
	return rep
}

// unreachableResult is the one failure a report of an unreachable endpoint
// carries, so that a CI report is never empty.
func unreachableResult(u *UnreachableError) Result {
	return Result{Name: "endpoint-reachable", Title: "the endpoint answers at all", Sent: "a validly signed delivery",
		Got: "no answer: " + u.Err.Error(), Cause: CauseNoAnswer,
		Why: u.Error() + ": no case could be judged", Fix: u.Hint()}
}

// refusesValid reports whether a validly signed delivery was refused as if
// its signature were wrong: what the probes explain.
func refusesValid(results []Result) bool {
	return slices.ContainsFunc(results, func(r Result) bool { return r.Cause == CauseRefusesValid })
}

// runner holds what the cases share.
type runner struct {
	cfg     Config
	set     *fixture.Set
	stop    context.CancelFunc
	mu      sync.Mutex
	builder *event.Builder
	// unreachable is the first transport error that means nothing answers.
	unreachable *deliver.TransportError
}

func newRunner(cfg Config, stop context.CancelFunc) *runner {
	return &runner{cfg: cfg, stop: stop, builder: event.NewBuilder(cfg.Now, cfg.Entropy, ""), set: fixture.New(cfg.Fixtures)}
}

func (r *runner) unreachableErr() *UnreachableError {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.unreachable == nil {
		return nil
	}
	return &UnreachableError{URL: r.cfg.URL, Err: r.unreachable}
}

// answer is what one request got.
type answer struct {
	resp deliver.Response
	err  error
}

func (a answer) status() int { return a.resp.Status }

func (a answer) ok() bool { return a.err == nil && a.resp.Status == http.StatusOK }

// String says what came back: "200 OK in 3ms", or "no answer: …".
func (a answer) String() string {
	if a.err != nil {
		return "no answer: " + a.err.Error()
	}
	return statusText(a.resp.Status) + " in " + latency(a.resp.Latency)
}

// excerpt is the start of the answer's body.
func (a answer) excerpt() string { return Excerpt(a.resp.Body) }

// result starts a Result from the answer that decides it.
func (a answer) result(sent string) Result {
	return Result{Sent: sent, Got: a.String(), Status: a.status(), Excerpt: a.excerpt(), Latency: a.resp.Latency}
}

// build returns a fresh delivery of action's fixture (or of data when
// given), encoded with enc and signed with the endpoint's secret.
func (r *runner) build(action string, data []byte, enc event.Encoding) (event.Delivery, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	spec := event.Spec{Action: action, Data: data, Encoding: enc}
	if data == nil {
		var err error
		if spec, err = event.FromFixture(r.set, action); err != nil {
			return event.Delivery{}, err
		}
		spec.Encoding = enc
	}
	d, err := r.builder.Build(spec)
	if err != nil {
		return event.Delivery{}, fmt.Errorf("build %s: %w", action, err)
	}
	return event.Wrap(d.Body, r.cfg.Secret), nil
}

// post sends d to the endpoint.
func (r *runner) post(ctx context.Context, d event.Delivery) answer {
	return r.postTo(ctx, r.cfg.URL, d, nil)
}

// postTo sends d to url with extra headers, and notes an endpoint that
// cannot be reached at all, which stops the run.
func (r *runner) postTo(ctx context.Context, url string, d event.Delivery, extra http.Header) answer {
	h := r.cfg.Header
	if len(extra) > 0 {
		h = h.Clone()
		if h == nil {
			h = http.Header{}
		}
		for k, v := range extra {
			h[k] = v
		}
	}
	resp, err := r.cfg.Client.Post(ctx, url, d, h)
	var te *deliver.TransportError
	if errors.As(err, &te) && (te.Kind == deliver.KindRefused || te.Kind == deliver.KindDNS || te.Kind == deliver.KindTLS) {
		r.mu.Lock()
		if r.unreachable == nil {
			r.unreachable = te
		}
		r.mu.Unlock()
		if r.stop != nil {
			r.stop()
		}
	}
	return answer{resp, err}
}

// observe asks the app how many times it processed d; ok is false without
// an observer.
func (r *runner) observe(ctx context.Context, d event.Delivery, name string) (n int, err error, ok bool) {
	if r.cfg.Observe == nil {
		return 0, nil, false
	}
	n, err = r.cfg.Observe.Count(ctx, observe.Delivery{ID: d.ID, Action: d.Action, Case: name})
	return n, err, true
}

// broken is the Result of a case that could not even be built.
func broken(err error) Result {
	return Result{Sent: "nothing", Got: "-", Why: "hospitable-hook could not build the delivery: " + err.Error(),
		Fix: "report this as a bug in hospitable-hook"}
}

func quote(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}
