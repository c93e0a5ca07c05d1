package check

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/observe"
)

// UnknownAction is the action of the unknown-action case: one no endpoint
// can know, in Hospitable's noun.verb shape.
const UnknownAction = "hospitable_hook.future_event"

// SpoofedSource is the X-Forwarded-For of the spoofed-source case: inside
// Hospitable's published sender range, 38.80.170.0/24.
const SpoofedSource = "38.80.170.23"

// Cases returns the whole suite, in report order: every built-in action
// validly signed, then the signature, source, retry, compatibility, size
// and timing cases.
func Cases() []Case {
	var cs []Case
	for _, action := range fixture.Actions() {
		cs = append(cs, Case{
			Name:  "signed-" + strings.ReplaceAll(action, ".", "-"),
			Title: action + ", validly signed → exactly 200",
			run:   func(r *runner, ctx context.Context) Result { return r.signed(ctx, action) },
		})
	}
	return append(cs,
		Case{Name: "tampered-body", Title: "body changed after signing → 4xx", run: (*runner).tampered},
		Case{Name: "missing-signature", Title: "no Signature header → 4xx", run: (*runner).missing},
		Case{Name: "wrong-secret", Title: "signed with another secret → 4xx", run: (*runner).wrongSecret},
		Case{Name: "malformed-signature", Title: "short, non-hex, empty and doubled Signature headers → 4xx, never 5xx", run: (*runner).malformed},
		Case{Name: "spoofed-source", Title: "forged, X-Forwarded-For inside 38.80.170.0/24 → 4xx", run: (*runner).spoofed},
		Case{Name: "secret-in-url", Title: "a token in the URL is no signature check: forged with it → 4xx", run: (*runner).secretInURL},
		Case{Name: "duplicate-delivery", Title: "the same delivery again, as a retry → 200, work done once", run: (*runner).duplicate},
		Case{Name: "concurrent-duplicate", Title: "the same delivery twice at the same moment → 200 both, work done once", run: (*runner).concurrent},
		Case{Name: "unknown-action", Title: "an action the endpoint cannot know yet → 200", run: (*runner).unknownAction},
		Case{Name: "both-encodings", Title: "PHP-escaped and plain compact JSON of one event → 200 both", run: (*runner).encodings},
		Case{Name: "odd-payloads", Title: "{} objects, 1.0 floats, deep nulls, missing keys, RTL and astral text → 200", run: (*runner).oddPayloads},
		Case{Name: "large-delivery", Title: "a realistic delivery of about 1.1 MB → 200 (size limit an assumption)", run: (*runner).large},
		Case{Name: "answer-time", Title: "a valid delivery answered within the budget", alone: true, run: (*runner).answerTime},
	)
}

// guideSibling is the guide action that carries the same data as a v2-only
// action, to tell a refused action name from refused data.
func guideSibling(action string) string {
	switch {
	case strings.HasPrefix(action, "reservation."):
		return "reservation.updated"
	case strings.HasPrefix(action, "property."):
		return "property.updated"
	}
	return ""
}

func v2Only(action string) bool {
	info, ok := fixture.Lookup(action)
	return ok && !slices.Contains(info.Sources, fixture.SourceGuide)
}

func (r *runner) signed(ctx context.Context, action string) Result {
	d, err := r.build(action, nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	a := r.post(ctx, d)
	res := a.result(fmt.Sprintf("%s %s, signed (%s)", action, d.ID, size(len(d.Body))))
	res.Pass, res.Why, res.Fix, res.Cause = judge200(a, action)
	if s := a.status(); v2Only(action) && (s == http.StatusBadRequest || s == http.StatusUnprocessableEntity) {
		r.actionRefused(ctx, action, a, &res)
	}
	return res
}

// actionRefused rewords a 400 to a v2-only action when it is the action
// name, not the data, that was refused: the body names the action, or the
// same data under the guide's name passes.
func (r *runner) actionRefused(ctx context.Context, action string, a answer, res *Result) {
	named := strings.Contains(string(a.resp.Body), action)
	sibling := guideSibling(action)
	if !named && sibling != "" {
		data, err := r.set.Data(action)
		if err != nil {
			return
		}
		d, err := r.build(sibling, data, event.PHP)
		if err != nil {
			return
		}
		b := r.post(ctx, d)
		if !b.ok() {
			return
		}
		res.Got += fmt.Sprintf("; the same data as %s: %s", sibling, b.String())
	} else if !named {
		return
	}
	res.Why = fmt.Sprintf("your endpoint refuses the action name %s, not its data: Hospitable's v2 reference sends it (its guide does not name it), so a real one would be retried and dropped", action)
	res.Fix = "accept every action name, including the v2 reference's (reservation.changed, property.created, property.changed, property.deleted, integration.disconnected); ignore (log) those you do not handle and answer 200"
}

// refused sends d, which must be refused, and judges the answer.
func (r *runner) refused(ctx context.Context, d event.Delivery, sent, what string) Result {
	a := r.post(ctx, d)
	res := a.result(sent)
	res.Pass, res.Why, res.Fix, res.Cause = judgeRefused(a, what)
	return res
}

func (r *runner) tampered(ctx context.Context) Result {
	d, err := r.build("reservation.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	body, from, to, err := tamper(d.Body)
	if err != nil {
		return broken(err)
	}
	forged := d
	forged.Body = body
	return r.refused(ctx, forged, fmt.Sprintf("reservation.created signed, then data.guests.total changed %s → %s", from, to),
		"a body changed after signing")
}

func (r *runner) missing(ctx context.Context) Result {
	d, err := r.build("message.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	d = withSignatures(d)
	return r.refused(ctx, d, "message.created with no Signature header", "a delivery with no signature")
}

// withSignatures returns d with its Signature header values replaced (none
// removes the header).
func withSignatures(d event.Delivery, values ...string) event.Delivery {
	d.Header = d.Header.Clone()
	d.Header.Del("Signature")
	d.Signature = ""
	if len(values) > 0 {
		d.Header["Signature"] = values
		d.Signature = values[0]
	}
	return d
}

// otherSecret is a secret that is surely not the endpoint's.
func (r *runner) otherSecret() string { return "another secret, not " + r.cfg.Secret }

func (r *runner) wrongSecret(ctx context.Context) Result {
	d, err := r.build("reservation.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	forged := event.Wrap(d.Body, r.otherSecret())
	res := r.refused(ctx, forged, "reservation.created signed with another secret", "a delivery signed with another secret")
	if res.Cause == CauseAcceptsForged && tokenParam(r.cfg.URL) != "" {
		res.Why += fmt.Sprintf(" (the ?%s= in the URL is not a signature check: see secret-in-url)", tokenParam(r.cfg.URL))
	}
	return res
}

func (r *runner) malformed(ctx context.Context) Result {
	d, err := r.build("message.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	tries := []struct {
		name   string
		values []string
	}{
		{"short", []string{d.Signature[:12]}},
		{"non-hex", []string{strings.Repeat("zq", 32)}},
		{"empty", []string{""}},
		{"two headers", []string{event.Wrap(d.Body, r.otherSecret()).Signature, strings.Repeat("0", 64)}},
	}
	res := Result{Sent: "message.created four times: Signature short, non-hex, empty, and two Signature headers", Pass: true}
	var got, bad []string
	for _, t := range tries {
		a := r.post(ctx, withSignatures(d, t.values...))
		got = append(got, t.name+" "+a.String())
		res.Latency = max(res.Latency, a.resp.Latency)
		if pass, why, fix, cause := judgeRefused(a, "a malformed signature ("+t.name+")"); !pass {
			bad = append(bad, t.name)
			if res.Pass {
				res.Pass, res.Why, res.Fix, res.Cause = false, why, fix, cause
				res.Status, res.Excerpt = a.status(), a.excerpt()
			}
		}
	}
	res.Got = strings.Join(got, "; ")
	if len(bad) > 0 {
		res.Why = "on the " + andList(bad) + " signature" + plural(len(bad)) + ": " + res.Why
	}
	return res
}

func (r *runner) spoofed(ctx context.Context) Result {
	d, err := r.build("message.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	forged := event.Wrap(d.Body, r.otherSecret())
	spoof := http.Header{"X-Forwarded-For": {SpoofedSource}, "X-Real-Ip": {SpoofedSource}, "Forwarded": {"for=" + SpoofedSource}}
	a := r.postTo(ctx, r.cfg.URL, forged, spoof)
	res := a.result("message.created signed with another secret, X-Forwarded-For: " + SpoofedSource + " (Hospitable's range)")
	if res.Pass, res.Why, res.Fix, res.Cause = judgeRefused(a, "a forged delivery claiming Hospitable's address"); res.Pass || res.Cause != CauseAcceptsForged {
		return res
	}
	plain := r.post(ctx, forged)
	res.Got += "; the same without X-Forwarded-For: " + plain.String()
	if plain.status() >= 400 && plain.status() < 500 {
		res.Why = "your endpoint trusts the source address instead of the signature: anyone can send X-Forwarded-For: " + SpoofedSource + ", so an IP allow-list behind a proxy that passes the header on authenticates nobody"
		res.Fix = "verify the Signature header on every delivery; use 38.80.170.0/24 as a second check only, from the connection's address or a proxy you trust to overwrite X-Forwarded-For"
	}
	return res
}

// tokenParam returns the name of a query parameter of rawURL that looks
// like a secret (token, secret, key, sig, auth, password), or "".
func tokenParam(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	for name := range u.Query() {
		l := strings.ToLower(name)
		for _, w := range []string{"token", "secret", "key", "sig", "auth", "pass", "hmac"} {
			if strings.Contains(l, w) {
				return name
			}
		}
	}
	return ""
}

func (r *runner) secretInURL(ctx context.Context) Result {
	param := tokenParam(r.cfg.URL)
	if param == "" {
		return Result{Pass: true, Sent: "nothing: the URL carries no token, secret or key query parameter", Got: "-"}
	}
	d, err := r.build("reservation.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	forged := event.Wrap(d.Body, r.otherSecret())
	a := r.post(ctx, forged)
	res := a.result(fmt.Sprintf("reservation.created signed with another secret, to the URL with its ?%s=", param))
	res.Pass, res.Why, res.Fix, res.Cause = judgeRefused(a, "a forged delivery that carries the URL's ?"+param+"=")
	if res.Cause == CauseAcceptsForged {
		res.Why = fmt.Sprintf("the ?%s= in the URL is not a signature check: your endpoint accepts a forged delivery that carries it, and a URL leaks (proxy and server logs, screenshots, support tickets) while a signature cannot be reused for another body", param)
		res.Fix = signatureFix + "; keep the token as a second check if you like"
	}
	return res
}

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
	res := a.result(fmt.Sprintf("property.changed %s, signed, %s (%s)", d.ID, size(len(d.Body)), note))
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
	res.Got += fmt.Sprintf("; %s: %s", size(len(small.Body)), b.String())
	if b.ok() {
		return Result{Pass: true, Warn: true, Sent: res.Sent, Got: res.Got, Status: a.status(), Excerpt: a.excerpt(), Latency: res.Latency,
			Note: fmt.Sprintf("your endpoint refuses %s but takes %s: %s; raise the limit to a few MB to be safe", size(len(d.Body)), size(len(small.Body)), assumption)}
	}
	res.Why = fmt.Sprintf("your endpoint refuses even %s (below 256 KiB): a property with a long description or many calendars is that big, and would be dropped; %s", size(len(small.Body)), res.Why)
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

// andList joins "a", "b" and "c" as "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
