package check

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/bytesize"

	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
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
	res := a.result(fmt.Sprintf("%s %s, signed (%s)", action, d.ID, bytesize.Approx(int64(len(d.Body)))))
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

// refused sends d, which must be refused, and judges the answer; with an
// observer, a refused delivery must also not have been processed.
func (r *runner) refused(ctx context.Context, name string, d event.Delivery, sent, what string) Result {
	a := r.post(ctx, d)
	res := a.result(sent)
	res.Pass, res.Why, res.Fix, res.Cause = judgeRefused(a, what)
	if !res.Pass || d.ID == "" {
		return res
	}
	if n, err, ok := r.observe(ctx, d, name); ok && err == nil && n > 0 {
		res.Pass = false
		res.Got += fmt.Sprintf("; the app processed it %d time%s", n, plural(n))
		res.Why = "your app did the work for " + what + " and only then refused it: the signature must be checked before anything else"
		res.Fix, res.Cause = signatureFix, CauseAcceptsForged
	}
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
	return r.refused(ctx, "tampered-body", forged, fmt.Sprintf("reservation.created signed, then data.guests.total changed %s → %s", from, to),
		"a body changed after signing")
}

func (r *runner) missing(ctx context.Context) Result {
	d, err := r.build("message.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	d = withSignatures(d)
	return r.refused(ctx, "missing-signature", d, "message.created with no Signature header", "a delivery with no signature")
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
	res := r.refused(ctx, "wrong-secret", forged, "reservation.created signed with another secret", "a delivery signed with another secret")
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

// andList joins "a", "b" and "c" as "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
