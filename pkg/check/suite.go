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
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"slices"
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
	// Set, when not nil, is used instead of Fixtures: the built-in payloads
	// with the user's layered over them, for FixtureCase.
	Set *fixture.Set
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
	return fmt.Sprintf("cannot reach %s: %s", deliver.RedactURL(e.URL), e.Err.Error())
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
