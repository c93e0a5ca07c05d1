package check

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
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
	if len(by[best]) < 2 {
		return nil
	}
	c := &Common{Cause: best, Names: by[best]}
	c.What, c.Fix = describeCause(best)
	if best == CauseRefusesValid && d.Explains() {
		c.What, c.Fix = d.Cause, d.Fix
	}
	for _, r := range results {
		// The observed status makes the sentence concrete: "answers 204".
		if r.Cause == best && best == CauseNot200 && r.Status != 0 {
			c.What = fmt.Sprintf("your endpoint answers %d where Hospitable needs exactly 200, so every delivery counts as failed and is retried", r.Status)
			break
		}
	}
	return c
}

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

const signatureFix = "verify the Signature header before doing anything: HMAC-SHA256 of the raw body with your secret, compared in constant time; answer 401 when it is missing or wrong"

const dedupeFix = "deduplicate on the envelope id: store it with a unique constraint in the same transaction as the work, and answer 200 to a repeat without processing it again"

// redirectWhy explains a 3xx to a delivery.
const redirectWhy = "a 3xx is not 200, and Hospitable counts only 200 as success; whether it follows redirects is not documented (hospitable-hook assumes it does not), and a PHP sender that follows a 301 or 302 turns the POST into a GET and drops the body"

// judge200 judges an answer to a valid delivery: only 200 passes (the
// verdict decides; the words here are check's, which know the case).
func judge200(a answer, action string) (pass bool, why, fix string, cause Cause) {
	s := a.status()
	if a.verdict(false).OK {
		return true, "", "", ""
	}
	switch {
	case a.err != nil:
		var te *deliver.TransportError
		fix = "make sure the endpoint answers every delivery"
		if errors.As(a.err, &te) && te.Hint() != "" {
			fix = te.Hint()
		}
		return false, "Hospitable got no answer, counts the delivery as failed and retries it (1s, 5s, 10s, 1h, 6h), then drops it", fix, CauseNoAnswer
	case s >= 200 && s < 300:
		return false, fmt.Sprintf("Hospitable counts only 200 as success: a %d is retried 5 more times, so your code runs up to 6 times for one event", s),
			"answer exactly 200 (not 201, 202 or 204) once the delivery is accepted", CauseNot200
	case s >= 300 && s < 400:
		return false, redirectWhy, "give Hospitable the final URL, with the right scheme, host and trailing slash", CauseRedirect
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return false, fmt.Sprintf("your endpoint refuses a correctly signed delivery with %d: every real %s would be refused, retried and dropped", s, action),
			"verify HMAC-SHA256 over the raw request bytes, keyed with the secret text as given, hex lowercase, from the Signature header; `hospitable-hook check --diagnose` names what differs", CauseRefusesValid
	case s == http.StatusNotFound || s == http.StatusMethodNotAllowed:
		return false, "the URL does not take POST deliveries: every real delivery would fail",
			"check the path in the URL and that the route accepts POST", CauseNotFound
	case s == http.StatusRequestEntityTooLarge:
		return false, "your server refuses the body as too large: real deliveries carry whole reservations and properties, and would be dropped",
			"raise the body size limit to a few MB (Flask MAX_CONTENT_LENGTH, express.json({limit}), nginx client_max_body_size, PHP post_max_size)", CauseTooLarge
	case s >= 400 && s < 500:
		return false, fmt.Sprintf("your endpoint refuses this payload with %d: Hospitable retries it 5 times, then drops the event", s),
			"accept every field of data as it comes (see `hospitable-hook fixtures show " + action + "`); log what you cannot handle and still answer 200", CauseRefusesData
	default:
		return false, fmt.Sprintf("your endpoint fails on this delivery with %d: Hospitable retries it 5 times, then drops the event", s),
			"fix the error in your handler (see `hospitable-hook fixtures show " + action + "` for the payload), or queue the delivery and answer 200 before processing it", CauseServerError
	}
}

// judgeRefused judges an answer to a delivery that must be refused: only a
// 4xx passes (the verdict decides).
func judgeRefused(a answer, what string) (pass bool, why, fix string, cause Cause) {
	s := a.status()
	if a.verdict(true).OK {
		return true, "", "", ""
	}
	switch {
	case a.err != nil:
		return false, "your endpoint gave no answer to " + what + ": it may have crashed on it", signatureFix, CauseCrashesForged
	case s >= 200 && s < 300:
		return false, "your endpoint accepts " + what + ": anyone who finds the URL can post fake reservations and messages", signatureFix, CauseAcceptsForged
	case s >= 500:
		return false, "a bad signature is the sender's fault, not yours: a " + fmt.Sprint(s) + " says your endpoint failed (often a crash on a missing or odd header), and fills your error alerts with attacks",
			"answer 401 when the signature is missing or wrong, without raising an error", CauseCrashesForged
	default:
		return false, "a " + fmt.Sprint(s) + " is not a refusal: a sender may follow it and try again", "answer 401 when the signature is missing or wrong", CauseAcceptsForged
	}
}

// unknownActionVerdict words the failure of the unknown-action case by
// what the status says the endpoint did.
func unknownActionVerdict(a answer) (why, fix string, cause Cause) {
	s := a.status()
	ignore := "answer 200 to every validly signed delivery, and ignore (log) actions you do not handle"
	switch {
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return fmt.Sprintf("a %d to a validly signed delivery is a signature-verification bug, not an action check: the signature covers the body whatever its action, so the check must not depend on the action", s),
			"verify the signature first, the same way for every action, then answer 200 and ignore actions you do not handle", CauseRefusesValid
	case s > 200 && s < 300:
		return fmt.Sprintf("your endpoint answers %d to an action it does not handle: Hospitable counts only 200 as success and retries it 5 more times", s),
			"answer exactly 200 to actions you ignore too", CauseNot200
	case s >= 300 && s < 400:
		return "a redirect for this action means a URL problem (routing by action, a missing trailing slash): " + redirectWhy,
			"give Hospitable the final URL, and route every action to the same handler", CauseRedirect
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

// ExcerptBytes is how much of a response body a report shows.
const ExcerptBytes = 160

// Excerpt is the start of a response body on one line (line breaks folded
// into spaces), cut at ExcerptBytes without splitting a character; bytes
// that are not UTF-8 are counted, not shown.
func Excerpt(b []byte) string {
	cut := ""
	if len(b) > ExcerptBytes {
		b, cut = b[:ExcerptBytes], "…"
		for i := 0; i < utf8.UTFMax-1 && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	if !utf8.Valid(b) {
		return fmt.Sprintf("(%d bytes, not text)", len(b))
	}
	return strings.Join(strings.Fields(string(b)), " ") + cut
}
