package check

import (
	"fmt"
	"net/http"

	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// The judges below let verdict.Judge decide and word what Hospitable makes
// of an answer, as send, simulate and replay do, and add what check knows
// beyond it: what the case sent, and what the failure means for it.

// redirectAssumption is what check adds to a redirect's verdict: Hospitable
// does not document its redirect policy.
const redirectAssumption = "whether it follows redirects is not documented (hospitable-hook assumes it does not), and a PHP sender that follows a 301 or 302 turns the POST into a GET and drops the body"

// finalURLFix is what to do about a redirect: give the URL it ends at.
const finalURLFix = "give Hospitable the final URL, with the right scheme, host and trailing slash"

// failure is a failed case's words and cause, as the verdict gives them
// and a judge's word step adds to them.
type failure struct {
	why, fix string
	cause    Cause
}

// judge lets the verdict judge a (forged: a delivery that was not validly
// signed); when it is not OK, word adds check's words to the verdict's,
// given the status.
func (a answer) judge(forged bool, word func(f *failure, status int)) (pass bool, why, fix string, cause Cause) {
	v := a.verdict(forged)
	if v.OK {
		return true, "", "", ""
	}
	f := failure{why: v.Why, fix: v.Fix, cause: causeOf(v, a.status(), forged)}
	word(&f, a.status())
	return false, f.why, f.fix, f.cause
}

// judge200 judges an answer to a valid delivery of action: only 200
// passes.
func judge200(a answer, action string) (pass bool, why, fix string, cause Cause) {
	return a.judge(false, func(f *failure, s int) {
		switch f.cause {
		case CauseNoAnswer:
			if f.fix == "" {
				f.fix = "make sure the endpoint answers every delivery"
			}
		case CauseNot200:
			f.why += fmt.Sprintf(": a %d is retried 5 more times, so your code runs up to 6 times for one event", s)
			f.fix += " (not 201, 202 or 204) once the delivery is accepted"
		case CauseRedirect:
			f.why, f.fix = f.why+"; "+redirectAssumption, finalURLFix
		case CauseRefusesValid:
			f.why = fmt.Sprintf("your endpoint refuses a correctly signed %s with %d, so every real one would be refused, retried and dropped: %s", action, s, f.why)
			f.fix = "verify HMAC-SHA256 over the raw request bytes, keyed with the secret text as given, hex lowercase, from the Signature header; " + f.fix
		default:
			var context string
			context, f.fix = appError(f.cause, s, action)
			f.why = context + ": " + f.why + " and then drop it"
		}
	})
}

// appError says what another status to a valid delivery means, and what
// to change, by its cause.
func appError(cause Cause, status int, action string) (context, fix string) {
	switch cause {
	case CauseNotFound:
		return "the URL does not take POST deliveries, so every real delivery would fail",
			"check the path in the URL and that the route accepts POST"
	case CauseTooLarge:
		return "your server refuses the body as too large (real deliveries carry whole reservations and properties)",
			"raise the body size limit to a few MB (Flask MAX_CONTENT_LENGTH, express.json({limit}), nginx client_max_body_size, PHP post_max_size)"
	case CauseRefusesData:
		return fmt.Sprintf("your endpoint refuses this payload with %d", status),
			"accept every field of data as it comes (see `hospitable-hook fixtures show " + action + "`); log what you cannot handle and still answer 200"
	}
	return fmt.Sprintf("your endpoint fails on this delivery with %d", status),
		"fix the error in your handler (see `hospitable-hook fixtures show " + action + "` for the payload), or queue the delivery and answer 200 before processing it"
}

// judgeRefused judges an answer to a delivery that must be refused, what
// describes it: only a 4xx passes.
func judgeRefused(a answer, what string) (pass bool, why, fix string, cause Cause) {
	return a.judge(true, func(f *failure, s int) {
		switch {
		case a.err != nil:
			// Hospitable never sends a forged delivery, so its retries are
			// beside the point: the endpoint may have crashed on it.
			f.why, f.fix = "your endpoint gave no answer to "+what+": it may have crashed on it", signatureFix
		case f.cause == CauseAcceptsForged && s >= 200 && s < 300:
			f.why = fmt.Sprintf("%s (%s): anyone who finds the URL can post fake reservations and messages", f.why, what)
		case f.cause == CauseCrashesForged:
			f.why = "a bad signature is the sender's fault, not yours: " + f.why + ", which says your endpoint failed (often a crash on a missing or odd header), and fills your error alerts with attacks"
			f.fix += ", without raising an error"
		default:
			f.why += ": a " + fmt.Sprint(s) + " is not a refusal, and a sender may follow it and try again"
		}
	})
}

// unknownActionVerdict words the failure of the unknown-action case by
// what the status says the endpoint did.
func unknownActionVerdict(a answer) (why, fix string, cause Cause) {
	v := a.verdict(false)
	s := a.status()
	ignore := "answer 200 to every validly signed delivery, and ignore (log) actions you do not handle"
	switch v.Code {
	case verdict.RejectsValid:
		return fmt.Sprintf("a %d to a validly signed delivery is a signature-verification bug, not an action check: the signature covers the body whatever its action, so the check must not depend on the action", s),
			"verify the signature first, the same way for every action, then answer 200 and ignore actions you do not handle", CauseRefusesValid
	case verdict.Not200:
		return fmt.Sprintf("your endpoint answers %d to an action it does not handle: %s", s, v.Why), v.Fix + " to actions you ignore too", CauseNot200
	case verdict.Redirect:
		return "a redirect for this action means a URL problem (routing by action, a missing trailing slash): " + v.Why + "; " + redirectAssumption,
			"give Hospitable the final URL, and route every action to the same handler", CauseRedirect
	}
	switch {
	case s == http.StatusBadRequest || s == http.StatusUnprocessableEntity:
		return "your endpoint rejects actions it does not know (a strict switch or an enum check): Hospitable adds actions over time (its v2 reference already names five its guide does not), and each new one would be retried and dropped",
			ignore, CauseRefusesData
	case s == http.StatusNotFound:
		return "a 404 for an action it does not know: Hospitable adds actions over time, and each new one would be retried and dropped",
			ignore, CauseRefusesData
	default:
		return fmt.Sprintf("your endpoint fails with %d on an action it does not know (a switch with no default branch that throws?): Hospitable adds actions over time", s),
			"add a default branch that logs the action and answers 200", CauseServerError
	}
}
