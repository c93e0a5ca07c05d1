package check

import (
	"fmt"
	"net/http"

	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// Cause names the probable cause of a failure, so that several failures
// with one cause are explained once (Report.Common).
type Cause string

// The causes a failure is filed under.
const (
	CauseNoAnswer      Cause = "no-answer"
	CauseNot200        Cause = "not-200"
	CauseRedirect      Cause = "redirect"
	CauseRefusesValid  Cause = "refuses-valid"
	CauseNotFound      Cause = "not-found"
	CauseTooLarge      Cause = "too-large"
	CauseRefusesData   Cause = "refuses-data"
	CauseServerError   Cause = "server-error"
	CauseAcceptsForged Cause = "accepts-forged"
	CauseCrashesForged Cause = "crashes-on-forged"
	CauseRepeats       Cause = "repeats-work"
	CauseSlow          Cause = "slow"
)

// Common is one probable cause for several failures, said before the list.
type Common struct {
	// Cause is the shared cause.
	Cause Cause `json:"cause"`
	// What says it in a sentence.
	What string `json:"what"`
	// Fix says what to change.
	Fix string `json:"fix"`
	// Names are the cases it explains.
	Names []string `json:"cases"`
}

// commonCause finds the cause most failures share, when at least two do;
// refused valid deliveries are explained by the diagnosis when it named a
// cause.
func commonCause(results []Result, d *Diagnosis) *Common {
	best, names := mostShared(results)
	if len(names) < 2 {
		return nil
	}
	c := &Common{Cause: best, Names: names}
	c.What, c.Fix = describeCause(best)
	if best == CauseRefusesValid && d.Explains() {
		c.What, c.Fix = d.Cause, d.Fix
	}
	if best == CauseNot200 {
		c.What = not200What(results, c.What)
	}
	return c
}

// mostShared is the cause the most failures are filed under (the first
// seen, on a tie) and the names of those failures.
func mostShared(results []Result) (Cause, []string) {
	by := map[Cause][]string{}
	var order []Cause
	for _, r := range results {
		if r.Pass || r.Skipped || r.Cause == "" {
			continue
		}
		if by[r.Cause] == nil {
			order = append(order, r.Cause)
		}
		by[r.Cause] = append(by[r.Cause], r.Name)
	}
	var best Cause
	for _, c := range order {
		if len(by[c]) > len(by[best]) {
			best = c
		}
	}
	return best, by[best]
}

// not200What makes the not-200 sentence concrete with the first observed
// status, "answers 204"; what is kept when no status was observed.
func not200What(results []Result, what string) string {
	for _, r := range results {
		if r.Cause == CauseNot200 && r.Status != 0 {
			return fmt.Sprintf("your endpoint answers %d where Hospitable needs exactly 200, so every delivery counts as failed and is retried", r.Status)
		}
	}
	return what
}

// describeCause says a cause in a sentence, and its fix.
func describeCause(c Cause) (what, fix string) {
	switch c {
	case CauseNoAnswer:
		return "your endpoint gives no answer to several deliveries", "make sure it answers every delivery (see the errors below)"
	case CauseNot200:
		return "your endpoint answers a 2xx other than 200 to valid deliveries: Hospitable retries them", "answer exactly 200 once a delivery is accepted"
	case CauseRedirect:
		return "the URL redirects: a 3xx is not 200", "give Hospitable the final URL, with the right scheme, host and trailing slash"
	case CauseRefusesValid:
		return "your endpoint refuses correctly signed deliveries: its signature check differs from Hospitable's", "run `hospitable-hook check --diagnose URL` to find how, or `hospitable-hook verify` with the signature your app computed"
	case CauseNotFound:
		return "the URL does not take POST deliveries", "check the path in the URL and that the route accepts POST"
	case CauseTooLarge:
		return "your server refuses large bodies", "raise the body size limit to a few MB"
	case CauseRefusesData:
		return "your endpoint refuses several payloads as they come", "accept every field of data as it comes; log what you cannot handle and still answer 200"
	case CauseServerError:
		return "your endpoint fails (5xx) on several deliveries", "fix the error in your handler, or queue the delivery and answer 200 before processing it"
	case CauseAcceptsForged:
		return "your endpoint accepts deliveries that are not validly signed: it does not check the Signature header", signatureFix
	case CauseCrashesForged:
		return "your endpoint fails (5xx) on bad signatures instead of refusing them", "answer 401 when the signature is missing or wrong, without raising an error"
	case CauseRepeats:
		return "your app does the work again for a repeated delivery", dedupeFix
	case CauseSlow:
		return "your endpoint answers slowly", "answer 200 first and do the work afterwards (queue it)"
	}
	return string(c), ""
}

const signatureFix = verdict.SignatureFix

const dedupeFix = "deduplicate on the envelope id: store it with a unique constraint in the same transaction as the work, and answer 200 to a repeat without processing it again"

// causeOf files a failed verdict under its cause: the verdict's code, made
// finer by the status where one code covers several causes (another status
// to a valid delivery; a 3xx or 5xx to a forged one).
func causeOf(v verdict.Verdict, status int, forged bool) Cause {
	switch v.Code {
	case verdict.NoAnswer:
		if forged {
			return CauseCrashesForged
		}
		return CauseNoAnswer
	case verdict.Not200:
		return CauseNot200
	case verdict.Redirect:
		return CauseRedirect
	case verdict.RejectsValid:
		return CauseRefusesValid
	case verdict.AcceptsForged:
		return CauseAcceptsForged
	case verdict.ForgedError:
		if status >= 500 {
			return CauseCrashesForged
		}
		return CauseAcceptsForged
	}
	return appErrorCause(status)
}

// appErrorCause files another status to a valid delivery.
func appErrorCause(status int) Cause {
	switch {
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		return CauseNotFound
	case status == http.StatusRequestEntityTooLarge:
		return CauseTooLarge
	case status >= 400 && status < 500:
		return CauseRefusesData
	}
	return CauseServerError
}
