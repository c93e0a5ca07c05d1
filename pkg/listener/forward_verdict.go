package listener

import (
	"fmt"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// Verdict is the judgment of an app's answer to one delivery. When the
// app gave an answer, Label, Why and Fix are pkg/verdict's, the words
// every command uses for the same answer; when it did not (no answer, an
// answer cut short, a sender that gave up), they are the listener's, and
// say that the listener answered in the app's place.
type Verdict struct {
	// OK is false when the app did something a webhook receiver must not.
	OK bool `json:"ok"`
	// Code is stable for machines. For an answer from the app it is
	// pkg/verdict's: "ok", "not_200", "redirect", "rejects_valid",
	// "app_error", "accepts_forged", "refused_forged", "forged_error";
	// the listener adds "slow" (a 200 over the answer-time budget),
	// "incomplete" (a status whose body did not finish), "no_answer" and
	// "sender_gone".
	Code string `json:"code"`
	// Label is the answer in a few words: "200 OK", "204 No Content, not
	// 200", "timed out".
	Label string `json:"label"`
	// Why says what Hospitable makes of the answer; "" when it is OK.
	Why string `json:"why,omitempty"`
	// Fix says what to change; "" when there is nothing to say.
	Fix string `json:"fix,omitempty"`
	// Message says it all in a sentence that names who answered.
	Message string `json:"message"`
}

// judge compares what the app did with what it should have done. cause
// is why no (whole) answer came, nil when one did.
func (f *Forwarder) judge(r Forward, verified bool, cause error) Verdict {
	switch {
	case r.SenderGone():
		return senderGone(r)
	case !r.Answered():
		return noAnswer(r, cause)
	case r.Err != "":
		return incomplete(r)
	case verified && verdict.Delivered(r.Status) && f.budget > 0 && r.Latency > f.budget:
		return f.slow(r)
	}
	return appAnswer(r, verified)
}

// appAnswer is pkg/verdict's judgement of the app's answer, said of the
// app. A redirect's target is not passed on: its Fix speaks of send's
// --to, and the forward line already shows where it pointed.
func appAnswer(r Forward, verified bool) Verdict {
	v := verdict.Judge(verdict.Answer{Status: r.Status, Forged: !verified, Target: r.URL})
	out := Verdict{OK: v.OK, Code: string(v.Code), Label: v.Label, Why: v.Why, Fix: v.Fix}
	out.Message = "your app answered " + v.Label
	if !verified && v.Why == "" {
		out.Message += " to a forged delivery"
	}
	if note := v.Note(); note != "" {
		out.Message += ": " + note
	}
	return out
}

// noAnswer is the listener's 502 when the app gave no status: the
// label is pkg/verdict's ("timed out", or why no answer came), the rest
// says that the listener answered in the app's place.
func noAnswer(r Forward, cause error) Verdict {
	if cause == nil {
		cause = fmt.Errorf("%s", r.Err)
	}
	v := verdict.Judge(verdict.Answer{Err: cause})
	why := "the listener answered 502 itself, which Hospitable counts as a failure and retries (" + verdict.Retries + ")"
	return Verdict{Code: string(verdict.NoAnswer), Label: v.Label, Why: why, Fix: r.Hint,
		Message: "your app gave no answer: " + withHint(r.Err, r.Hint) + "; " + why}
}

// incomplete is the listener's 502 when the app's status came without
// the whole body, worded as send words the same failure.
func incomplete(r Forward) Verdict {
	label := verdict.StatusText(r.Status) + ", but the response body did not finish"
	why := r.Err + "; a sender that reads the whole answer, as most HTTP clients do, counts this as a failed delivery " +
		"(an assumption: Hospitable does not document its client), so the listener answered 502 itself"
	return Verdict{Code: "incomplete", Label: label, Why: why, Fix: r.Hint,
		Message: "your app answered " + label + ": " + withHint(why, r.Hint)}
}

// senderGone is the listener's 502, unseen, to a sender that hung up
// before the app answered.
func senderGone(r Forward) Verdict {
	why := fmt.Sprintf("the sender gave up after %s, before your app answered: Hospitable would retry this delivery", verdict.Latency(r.Latency))
	return Verdict{Code: kindSenderGone, Label: "sender gone", Why: why, Fix: "make your app answer sooner", Message: why}
}

// slow judges a 200 that took longer than the answer-time budget.
func (f *Forwarder) slow(r Forward) Verdict {
	v := Verdict{Code: "slow", Label: verdict.StatusText(r.Status),
		Why: fmt.Sprintf("it took %s, over the %s answer-time budget (an assumption: Hospitable does not document its timeout)",
			verdict.Latency(r.Latency), deliver.FormatDuration(f.budget)),
		Fix: "answer 200 first and do the work afterwards"}
	v.Message = "your app answered " + v.Label + ": " + v.Why + "; " + v.Fix
	return v
}

func withHint(err, hint string) string {
	if hint == "" {
		return err
	}
	return err + " (" + hint + ")"
}
