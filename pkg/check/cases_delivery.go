package check

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hospitable-hook/hospitable-hook/pkg/bytesize"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/observe"
)

// idempotent judges two answers to one delivery, and what the app reports
// about the work, for the duplicate cases.
func (r *runner) idempotent(ctx context.Context, d event.Delivery, name string, first, second answer, res *Result) {
	pass1, why1, fix1, cause1 := judge200(first, d.Action)
	pass2, why2, fix2, cause2 := judge200(second, d.Action)
	switch {
	case !pass1 && !pass2:
		res.Why, res.Fix, res.Cause, res.Status, res.Excerpt = "both deliveries failed: "+why1, fix1, cause1, first.status(), first.excerpt()
		return
	case !pass1 || !pass2:
		bad := second
		if !pass1 {
			bad, why2, fix2, cause2 = first, why1, fix1, cause1
		}
		res.Status, res.Excerpt = bad.status(), bad.excerpt()
		if bad.err == nil && bad.status() >= 400 {
			why2 = "Hospitable repeats a delivery with the same bytes and id (a retry after a lost 200, or two at once): refusing the repeat makes it retry until it gives up"
			fix2, cause2 = "answer 200 to a repeated id without processing it again ("+dedupeFix+")", CauseRepeats
		}
		res.Why, res.Fix, res.Cause = why2, fix2, cause2
		return
	}
	n, err, ok := r.observe(ctx, d, name)
	switch {
	case !ok:
		res.Pass = true
		res.Note = "two 200s do not show whether the work ran once: pass --observe 'CMD', a command printing how many times your app processed $" + observe.EnvID + " (a SELECT COUNT(*), a grep of a log), to prove it"
	case err != nil:
		res.Why, res.Fix = "the observer gave no count: "+err.Error(), "make --observe print one integer for $"+observe.EnvID
	case n > 1:
		res.Got += fmt.Sprintf("; the app processed it %d times", n)
		res.Why, res.Fix, res.Cause = observe.Verdict(n, 2), dedupeFix, CauseRepeats
	default:
		res.Pass = true
		res.Got += fmt.Sprintf("; the app processed it %d time%s", n, plural(n))
		if n == 0 {
			res.Warn, res.Note = true, observe.Verdict(n, 2)
		}
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (r *runner) duplicate(ctx context.Context) Result {
	d, err := r.build("reservation.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	first := r.post(ctx, d)
	second := r.post(ctx, d)
	res := Result{Sent: fmt.Sprintf("reservation.created %s twice, byte-identical, one after the other", d.ID),
		Got: "1st " + first.String() + ", 2nd " + second.String(), Latency: max(first.resp.Latency, second.resp.Latency)}
	r.idempotent(ctx, d, "duplicate-delivery", first, second, &res)
	return res
}

func (r *runner) concurrent(ctx context.Context) Result {
	d, err := r.build("reservation.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	var answers [2]answer
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			answers[i] = r.post(ctx, d)
		}()
	}
	close(start)
	wg.Wait()
	res := Result{Sent: fmt.Sprintf("reservation.created %s twice at the same moment, byte-identical", d.ID),
		Got: "one " + answers[0].String() + ", other " + answers[1].String(), Latency: max(answers[0].resp.Latency, answers[1].resp.Latency)}
	r.idempotent(ctx, d, "concurrent-duplicate", answers[0], answers[1], &res)
	if !res.Pass && res.Cause == CauseRepeats {
		res.Why += " (a check-then-insert \"seen?\" test loses this race: both requests see the id as new)"
	}
	return res
}

func (r *runner) unknownAction(ctx context.Context) Result {
	data, err := r.set.Data("reservation.created")
	if err != nil {
		return broken(err)
	}
	d, err := r.build(UnknownAction, data, event.PHP)
	if err != nil {
		return broken(err)
	}
	a := r.post(ctx, d)
	res := a.result(UnknownAction + " (no such action yet), validly signed")
	if res.Pass, res.Why, res.Fix, res.Cause = judge200(a, "reservation.created"); !res.Pass && a.err == nil {
		res.Why, res.Fix, res.Cause = unknownActionVerdict(a)
	}
	return res
}

func (r *runner) encodings(ctx context.Context) Result {
	php, err := r.build("message.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	compact, err := r.build("message.created", nil, event.Compact)
	if err != nil {
		return broken(err)
	}
	a := r.post(ctx, php)
	b := r.post(ctx, compact)
	res := Result{
		Sent:    "message.created twice (new id each): PHP json_encode (\\/, \\uXXXX) and plain compact UTF-8, each signed",
		Got:     "php " + a.String() + ", compact " + b.String(),
		Latency: max(a.resp.Latency, b.resp.Latency),
	}
	rawFix := "verify the signature on the raw request bytes (Flask request.get_data(), Express express.raw() or req.rawBody, PHP file_get_contents('php://input')), before any JSON parsing"
	switch okA, okB := a.ok(), b.ok(); {
	case okA && okB:
		res.Pass = true
	case okB:
		res.Status, res.Excerpt = a.status(), a.excerpt()
		res.Why = "your endpoint re-serialises the JSON before checking the signature: PHP's escapes (\\/ and \\uXXXX) are lost, the bytes change and the signature no longer matches; Hospitable most likely sends PHP's encoding"
		res.Fix, res.Cause = rawFix, CauseRefusesValid
	case okA:
		res.Status, res.Excerpt = b.status(), b.excerpt()
		res.Why = "your endpoint only accepts PHP-style escapes: it probably re-encodes the body PHP-style before verifying, so any other encoding fails"
		res.Fix, res.Cause = rawFix, CauseRefusesValid
	default:
		res.Status, res.Excerpt = a.status(), a.excerpt()
		_, res.Why, res.Fix, res.Cause = judge200(a, "message.created")
	}
	return res
}

func (r *runner) oddPayloads(ctx context.Context) Result {
	variants, err := r.oddVariants()
	if err != nil {
		return broken(err)
	}
	res := Result{Sent: "reservation.created " + fmt.Sprint(len(variants)) + " times, validly signed: ", Pass: true}
	var names, got, bad []string
	for _, v := range variants {
		d, err := r.build("reservation.created", v.data, event.PHP)
		if err != nil {
			return broken(err)
		}
		a := r.post(ctx, d)
		names = append(names, v.name)
		got = append(got, v.name+" "+a.String())
		res.Latency = max(res.Latency, a.resp.Latency)
		if pass, why, fix, cause := judge200(a, "reservation.created"); !pass {
			bad = append(bad, v.name+" ("+v.what+")")
			if res.Pass {
				res.Pass, res.Why, res.Fix, res.Cause = false, why, fix, cause
				res.Status, res.Excerpt = a.status(), a.excerpt()
			}
		}
	}
	res.Sent += strings.Join(names, ", ")
	res.Got = strings.Join(got, "; ")
	if len(bad) > 0 {
		res.Why = "refused: " + strings.Join(bad, ", ") + "; " + res.Why
		if res.Cause == CauseRefusesData || res.Cause == CauseServerError {
			res.Fix = "read data defensively: an object may be {} (or [] from PHP), a number may be 1.0, any field may be null or absent; text is UTF-8 with right-to-left and emoji (outside the BMP, so 4 bytes and 2 UTF-16 units); log what you cannot handle and still answer 200"
		}
	}
	return res
}

func (r *runner) large(ctx context.Context) Result {
	data, note, err := r.largeProperty(LargeSize)
	if err != nil {
		return broken(err)
	}
	d, err := r.build("property.changed", data, event.PHP)
	if err != nil {
		return broken(err)
	}
	a := r.post(ctx, d)
	res := a.result(fmt.Sprintf("property.changed %s, signed, %s (%s)", d.ID, bytesize.Approx(int64(len(d.Body))), note))
	res.Pass, res.Why, res.Fix, res.Cause = judge200(a, "property.changed")
	assumption := "Hospitable documents no size limit; 1.1 MB is an assumption about its largest deliveries, not a documented figure"
	if res.Pass {
		res.Note = assumption
		return res
	}
	if a.err != nil || a.status() < 400 || a.status() >= 500 {
		return res
	}
	// A refusal of 1.1 MB is a warning; below SmallLimit it is a failure.
	data, _, err = r.largeProperty(SmallLimit - 16<<10)
	if err != nil {
		return broken(err)
	}
	small, err := r.build("property.changed", data, event.PHP)
	if err != nil {
		return broken(err)
	}
	b := r.post(ctx, small)
	res.Got += fmt.Sprintf("; %s: %s", bytesize.Approx(int64(len(small.Body))), b.String())
	if b.ok() {
		return Result{Pass: true, Warn: true, Sent: res.Sent, Got: res.Got, Status: a.status(), Excerpt: a.excerpt(), Latency: res.Latency,
			Note: fmt.Sprintf("your endpoint refuses %s but takes %s: %s; raise the limit to a few MB to be safe", bytesize.Approx(int64(len(d.Body))), bytesize.Approx(int64(len(small.Body))), assumption)}
	}
	res.Why = fmt.Sprintf("your endpoint refuses even %s (below 256 KiB): a property with a long description or many calendars is that big, and would be dropped; %s", bytesize.Approx(int64(len(small.Body))), res.Why)
	return res
}

func (r *runner) answerTime(ctx context.Context) Result {
	d, err := r.build("reservation.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	a := r.post(ctx, d)
	budget := deliver.FormatDuration(r.cfg.Budget)
	res := a.result(fmt.Sprintf("reservation.created %s, signed; budget %s", d.ID, budget))
	switch {
	case a.err != nil:
		res.Why = "no answer came at all: Hospitable counts that as a failure and retries"
		res.Fix, res.Cause = "answer 200 first and do the work afterwards (queue it)", CauseNoAnswer
	case a.resp.Latency > r.cfg.Budget:
		res.Why = fmt.Sprintf("the answer took longer than %s; Hospitable does not document its timeout, so a slow answer risks being cut off, counted as failed and retried (%s is a conservative assumption)", budget, budget)
		res.Fix, res.Cause = "answer 200 first and do the work afterwards (queue it); or pass a larger --budget if you know better", CauseSlow
	default:
		res.Pass = true
		if !a.ok() {
			res.Note = "timing only: the status is judged by the other cases"
		}
	}
	return res
}
