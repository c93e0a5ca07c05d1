// Package verdict judges an endpoint's answer to a delivery as Hospitable
// would, and writes the facts of an answer (its status, its latency) the
// one way every command shows them. It is the only place that knows that
// a 200, and nothing else, is success: send, simulate, replay, the
// listener's forwarding and the styles all ask it.
package verdict

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Code names a verdict for machines (`--json`); it is stable.
type Code string

// The verdicts Judge gives.
const (
	// OK: a validly signed delivery answered 200.
	OK Code = "ok"
	// NoAnswer: no HTTP answer came (refused, reset, timed out).
	NoAnswer Code = "no_answer"
	// Not200: another 2xx, which most frameworks call success and
	// Hospitable retries.
	Not200 Code = "not_200"
	// Redirect: a 3xx, which Hospitable does not follow.
	Redirect Code = "redirect"
	// RejectsValid: a 401 or 403 to a validly signed delivery.
	RejectsValid Code = "rejects_valid"
	// AppError: any other status to a validly signed delivery.
	AppError Code = "app_error"
	// AcceptsForged: a 2xx to a delivery that was not validly signed.
	AcceptsForged Code = "accepts_forged"
	// RefusedForged: a 4xx to a delivery that was not validly signed,
	// which is what a receiver must do.
	RefusedForged Code = "refused_forged"
	// ForgedError: a 3xx or 5xx to a delivery that was not validly signed.
	ForgedError Code = "forged_error"
)

// Answer is what one delivery got, and what the delivery was.
type Answer struct {
	// Status is the HTTP status, 0 when no answer came.
	Status int
	// Err says why no answer came; it is read only when Status is 0.
	Err error
	// Forged is set when the delivery was not validly signed (a test of
	// the endpoint's signature check, or a listener's forged delivery).
	// The zero Answer is a validly signed delivery, as send posts.
	Forged bool
	// Location is the redirect target of a 3xx, "" when there is none.
	Location string
	// Target is the endpoint, written into the commands Fix suggests;
	// "" writes URL.
	Target string
}

// Verdict is the judgement of one answer.
type Verdict struct {
	// OK is set when the endpoint did what Hospitable needs: a 200 to a
	// validly signed delivery, or a refusal of a forged one.
	OK bool
	// Code names the verdict for machines.
	Code Code
	// Label is the answer in a few words: "200 OK", "204 No Content,
	// not 200", "timed out", or why no answer came.
	Label string
	// Why says what Hospitable makes of the answer; "" when it is OK.
	Why string
	// Fix says what to change; "" when there is nothing to say.
	Fix string
}

// Note is Why and Fix as one line, "" when both are empty.
func (v Verdict) Note() string {
	switch {
	case v.Fix == "":
		return v.Why
	case v.Why == "":
		return v.Fix
	}
	return v.Why + "; " + v.Fix
}

// Delivered reports whether Hospitable counts an answer with this status
// as delivered: exactly 200. A 201 or 204 is a failure, and is retried.
func Delivered(status int) bool { return status == http.StatusOK }

// Retries is Hospitable's retry schedule as the verdicts cite it.
const Retries = "1s, 5s, 10s, 1h, 6h"

// refused explains a 401 or 403 to a correctly signed delivery. The
// secret is one cause among several, and seldom the first: most receivers
// that refuse a good signature hash something other than the raw bytes.
const refused = "the endpoint refused the signature, signed as Hospitable signs. Likely causes: " +
	"it hashes parsed or re-serialised JSON instead of the raw body bytes; " +
	"it keys the HMAC with the decoded email instead of the base64 secret text; " +
	"it reads another header than `Signature`; " +
	"its secret differs from the one sent with (see `hospitable-hook secret --explain`)"

// SignatureFix is what to change in an endpoint that accepts deliveries
// that are not validly signed.
const SignatureFix = "verify the Signature header before doing anything: HMAC-SHA256 of the raw body with your secret, " +
	"compared in constant time; answer 401 when it is missing or wrong"

// Judge says what Hospitable makes of an answer, and what to fix.
func Judge(a Answer) Verdict {
	if a.Status == 0 {
		return Verdict{Code: NoAnswer, Label: noAnswerLabel(a.Err), Fix: hint(a.Err),
			Why: "no answer came at all: Hospitable counts that as a failure and retries (" + Retries + ")"}
	}
	if a.Forged {
		return judgeForged(a)
	}
	v := Verdict{Label: StatusText(a.Status) + ", not 200"}
	switch {
	case Delivered(a.Status):
		return Verdict{OK: true, Code: OK, Label: StatusText(a.Status)}
	case a.Status >= 200 && a.Status < 300:
		v.Code, v.Why, v.Fix = Not200, "Hospitable treats only 200 as success and will retry this delivery", "answer exactly 200"
	case a.Status >= 300 && a.Status < 400 && a.Location != "":
		v.Code, v.Why, v.Fix = Redirect, fmt.Sprintf("redirect to %s not followed: Hospitable needs its 200 from the URL itself", a.Location), "pass the final URL with --to"
	case a.Status >= 300 && a.Status < 400:
		v.Code, v.Why = Redirect, "redirect not followed: Hospitable needs its 200 from the URL itself"
	case a.Status == http.StatusUnauthorized || a.Status == http.StatusForbidden:
		target := a.Target
		if target == "" {
			target = "URL"
		}
		v.Code, v.Why, v.Fix = RejectsValid, refused, fmt.Sprintf("`hospitable-hook check %s` probes the endpoint and names which", target)
	default:
		v.Code, v.Why = AppError, "Hospitable would retry this delivery ("+Retries+")"
	}
	return v
}

// judgeForged judges the answer to a delivery that was not validly signed:
// the endpoint must refuse it, with a 4xx.
func judgeForged(a Answer) Verdict {
	label := StatusText(a.Status)
	switch {
	case a.Status >= 200 && a.Status < 300:
		return Verdict{Code: AcceptsForged, Label: label,
			Why: fmt.Sprintf("the endpoint does not check signatures: it accepted a forged delivery with %d", a.Status),
			Fix: SignatureFix}
	case a.Status >= 400 && a.Status < 500:
		return Verdict{OK: true, Code: RefusedForged, Label: label}
	default:
		return Verdict{Code: ForgedError, Label: label,
			Why: fmt.Sprintf("the endpoint answered %d to a forged delivery", a.Status),
			Fix: "refuse it with 401 instead"}
	}
}

// noAnswerLabel names why no answer came: "timed out", or the error.
func noAnswerLabel(err error) string {
	switch {
	case err == nil:
		return "no answer"
	case TimedOut(err):
		return "timed out"
	}
	return err.Error()
}

// hint is what to do about the error that kept an answer from coming, when
// it says (as deliver.TransportError does); "" otherwise.
func hint(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

// TimedOut reports whether err is a timeout: a context deadline, or any
// error in the chain whose Timeout method says so.
func TimedOut(err error) bool {
	var timeout interface{ Timeout() bool }
	return err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.As(err, &timeout) && timeout.Timeout())
}

// StatusText writes a status as "404 Not Found", or just "599" for a code
// without a name.
func StatusText(code int) string {
	if text := http.StatusText(code); text != "" {
		return fmt.Sprintf("%d %s", code, text)
	}
	return fmt.Sprint(code)
}

// Latency writes how long an answer took: "0ms", "250µs" under a
// millisecond, "12ms" under a second, else "1.25s".
func Latency(d time.Duration) string {
	switch {
	case d <= 0:
		return "0ms"
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}
