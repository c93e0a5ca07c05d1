// Package check is a conformance suite for a webhook endpoint: it posts
// deliveries the way Hospitable does, and a few it never would, and judges
// each answer by what Hospitable makes of it.
//
// The cases are data (Cases): a stable kebab-case name, a title, and a small
// function that sends and judges. Each yields a Result that says what was
// sent, what came back and, on failure, why it matters and how to fix it.
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
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// DefaultBudget is how long an endpoint may take to answer before the
// answer-time case fails. Hospitable does not document its timeout, so this
// is a conservative assumption, not a documented limit.
const DefaultBudget = 3 * time.Second

// UnknownAction is the action of the unknown-action case: one no endpoint
// can know, in Hospitable's noun.verb shape.
const UnknownAction = "hospitable_hook.future_event"

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
}

// Result is what one case found.
type Result struct {
	// Name is the case's stable name.
	Name string
	// Title says what the case checks.
	Title string
	// Pass says whether the endpoint behaved as Hospitable needs.
	Pass bool
	// Sent says what was sent, in a phrase.
	Sent string
	// Got says what came back, in a phrase.
	Got string
	// Why says, on failure, why it matters.
	Why string
	// Fix says, on failure, what to change.
	Fix string
	// Latency is the slowest answer the case got.
	Latency time.Duration
}

// Case is one check of the suite.
type Case struct {
	// Name is stable and kebab-case, for --only and --skip.
	Name string
	// Title says what is checked and what is expected, in a phrase.
	Title string
	run   func(r *runner, ctx context.Context) Result
}

// Cases returns the whole suite, in the order it runs: every built-in
// action validly signed, then the signature, retry, compatibility, size
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
		Case{"tampered-body", "body changed after signing → 4xx", (*runner).tampered},
		Case{"missing-signature", "no Signature header → 4xx", (*runner).missing},
		Case{"wrong-secret", "signed with another secret → 4xx", (*runner).wrongSecret},
		Case{"duplicate-delivery", "the same delivery twice → 200 both times", (*runner).duplicate},
		Case{"unknown-action", "an action the endpoint cannot know yet → 200", (*runner).unknownAction},
		Case{"both-encodings", "PHP-escaped and plain compact JSON of one event → 200 both", (*runner).encodings},
		Case{"large-delivery", "a realistic delivery of about 1 MB → 200", (*runner).large},
		Case{"answer-time", "a valid delivery answered within the budget", (*runner).answerTime},
	)
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

// Error names the unknown cases and lists the valid ones.
func (e *UnknownCaseError) Error() string {
	return fmt.Sprintf("no case named %s: valid cases are %s (patterns like signed-* work too)",
		strings.Join(quote(e.Names), ", "), strings.Join(e.Valid, ", "))
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

// Run runs cases against the endpoint in order, calling each (when not nil)
// with every Result as it comes, and returns them all. It stops early with
// an *UnreachableError when the endpoint cannot be reached at all, or with
// ctx's error when ctx ends.
func Run(ctx context.Context, cfg Config, cases []Case, each func(Result)) ([]Result, error) {
	if cfg.Budget <= 0 {
		cfg.Budget = DefaultBudget
	}
	r := &runner{cfg: cfg, builder: event.NewBuilder(cfg.Now, cfg.Entropy), set: fixture.New(cfg.Fixtures)}
	var out []Result
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		res := c.run(r, ctx)
		if r.unreachable != nil {
			return out, &UnreachableError{URL: cfg.URL, Err: r.unreachable}
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
		res.Name, res.Title = c.Name, c.Title
		if res.Pass {
			res.Why, res.Fix = "", ""
		}
		out = append(out, res)
		if each != nil {
			each(res)
		}
	}
	return out, nil
}

// Passed reports whether every result passed.
func Passed(results []Result) bool {
	for _, r := range results {
		if !r.Pass {
			return false
		}
	}
	return true
}

// runner holds what the cases share.
type runner struct {
	cfg         Config
	builder     *event.Builder
	set         *fixture.Set
	unreachable *deliver.TransportError
}

// answer is what one request got.
type answer struct {
	resp deliver.Response
	err  error
}

func (a answer) status() int { return a.resp.Status }

// String says what came back: "200 OK in 3ms", or "no answer: …".
func (a answer) String() string {
	if a.err != nil {
		return "no answer: " + a.err.Error()
	}
	return statusText(a.resp.Status) + " in " + latency(a.resp.Latency)
}

// build returns a fresh delivery of action's fixture (or of data when
// given), encoded with enc and signed with the endpoint's secret.
func (r *runner) build(action string, data []byte, enc event.Encoding) (event.Delivery, error) {
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

// post sends d and notes an endpoint that cannot be reached at all.
func (r *runner) post(ctx context.Context, d event.Delivery) answer {
	resp, err := r.cfg.Client.Post(ctx, r.cfg.URL, d, r.cfg.Header)
	var te *deliver.TransportError
	if errors.As(err, &te) && (te.Kind == deliver.KindRefused || te.Kind == deliver.KindDNS || te.Kind == deliver.KindTLS) {
		r.unreachable = te
	}
	return answer{resp, err}
}

// broken is the Result of a case that could not even be built.
func broken(err error) Result {
	return Result{Sent: "nothing", Got: "-", Why: "hospitable-hook could not build the delivery: " + err.Error(),
		Fix: "report this as a bug in hospitable-hook"}
}

func (r *runner) signed(ctx context.Context, action string) Result {
	d, err := r.build(action, nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	a := r.post(ctx, d)
	res := Result{Sent: fmt.Sprintf("%s %s, signed (%s)", action, d.ID, size(len(d.Body))), Got: a.String(), Latency: a.resp.Latency}
	res.Pass, res.Why, res.Fix = judge200(a, action)
	return res
}

// judge200 judges an answer to a valid delivery: only 200 passes.
func judge200(a answer, action string) (pass bool, why, fix string) {
	s := a.status()
	switch {
	case a.err != nil:
		var te *deliver.TransportError
		fix = "make sure the endpoint answers every delivery"
		if errors.As(a.err, &te) && te.Hint() != "" {
			fix = te.Hint()
		}
		return false, "Hospitable got no answer, counts the delivery as failed and retries it (1s, 5s, 10s, 1h, 6h), then drops it", fix
	case s == http.StatusOK:
		return true, "", ""
	case s > 200 && s < 300:
		return false, fmt.Sprintf("Hospitable counts only 200 as success: a %d is retried 5 more times, so your code runs up to 6 times for one event", s),
			"answer exactly 200 (not 201 or 204) once the delivery is accepted"
	case s >= 300 && s < 400:
		return false, "Hospitable does not follow redirects: the delivery counts as failed and is retried",
			"give Hospitable the final URL, with the right scheme, host and trailing slash"
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return false, "your endpoint refuses a correctly signed delivery: every real " + action + " would be refused, retried and dropped",
			"verify HMAC-SHA256 over the raw request bytes, keyed with the secret text as given, hex lowercase; compare secrets with `hospitable-hook secret --explain` and a captured body with `hospitable-hook verify`"
	case s == http.StatusNotFound || s == http.StatusMethodNotAllowed:
		return false, "the URL does not take POST deliveries: every real delivery would fail",
			"check the path in the URL and that the route accepts POST"
	case s == http.StatusRequestEntityTooLarge:
		return false, "your server refuses the body as too large: real deliveries carry whole reservations and properties, and would be dropped",
			"raise the body size limit to a few MB (Flask MAX_CONTENT_LENGTH, express.json({limit}), nginx client_max_body_size)"
	case s >= 400 && s < 500:
		return false, "your endpoint refuses this payload: Hospitable retries it 5 times, then drops the event",
			"accept every field of data as it comes (see `hospitable-hook fixtures show " + action + "`); log what you cannot handle and still answer 200"
	default:
		return false, "your endpoint fails on this delivery: Hospitable retries it 5 times, then drops the event",
			"fix the error in your handler (see `hospitable-hook fixtures show " + action + "` for the payload), or queue the delivery and answer 200 before processing it"
	}
}

// judgeRefused judges an answer to a delivery that must be refused: only a
// 4xx passes.
func judgeRefused(a answer, what string) (pass bool, why, fix string) {
	s := a.status()
	verify := "verify the Signature header before doing anything: HMAC-SHA256 of the raw body with your secret, compared in constant time; answer 401 when it is missing or wrong"
	switch {
	case a.err != nil:
		return false, "your endpoint gave no answer to " + what + ": it may have crashed on it", verify
	case s >= 200 && s < 300:
		return false, "your endpoint accepts " + what + ": anyone who finds the URL can post fake reservations and messages", verify
	case s >= 400 && s < 500:
		return true, "", ""
	case s >= 500:
		return false, "a bad signature is the sender's fault, not yours: a " + fmt.Sprint(s) + " says your endpoint failed (often a crash on a missing header), and fills your error alerts with attacks", "answer 401 when the signature is missing or wrong, without raising an error"
	default:
		return false, "a " + fmt.Sprint(s) + " is not a refusal: a sender may follow it and try again", "answer 401 when the signature is missing or wrong"
	}
}

// refused sends d, which must be refused, and judges the answer.
func (r *runner) refused(ctx context.Context, d event.Delivery, sent, what string) Result {
	a := r.post(ctx, d)
	res := Result{Sent: sent, Got: a.String(), Latency: a.resp.Latency}
	res.Pass, res.Why, res.Fix = judgeRefused(a, what)
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
	d.Header = d.Header.Clone()
	d.Header.Del("Signature")
	d.Signature = ""
	return r.refused(ctx, d, "message.created with no Signature header", "a delivery with no signature")
}

func (r *runner) wrongSecret(ctx context.Context) Result {
	d, err := r.build("reservation.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	other := "another secret, not " + r.cfg.Secret
	forged := event.Wrap(d.Body, other)
	return r.refused(ctx, forged, "reservation.created signed with another secret", "a delivery signed with another secret")
}

func (r *runner) duplicate(ctx context.Context) Result {
	d, err := r.build("reservation.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	first := r.post(ctx, d)
	if r.unreachable != nil {
		return Result{}
	}
	second := r.post(ctx, d)
	res := Result{Sent: fmt.Sprintf("reservation.created %s twice, byte-identical", d.ID),
		Got: "1st " + first.String() + ", 2nd " + second.String(), Latency: max(first.resp.Latency, second.resp.Latency)}
	switch pass1, why1, fix1 := judge200(first, "reservation.created"); {
	case !pass1:
		res.Why, res.Fix = "the first delivery already failed: "+why1, fix1
	case second.err == nil && second.status() == http.StatusOK:
		res.Pass = true
	default:
		res.Why = "Hospitable retries with the same bytes and id, for instance when your 200 was lost on the way back: refusing the repeat makes it retry until it gives up"
		res.Fix = "deduplicate on the envelope id (store the ids you processed) and answer 200 to a repeat without processing it again"
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
	res := Result{Sent: UnknownAction + " (no such action yet), validly signed", Got: a.String(), Latency: a.resp.Latency}
	if res.Pass, res.Why, res.Fix = judge200(a, "reservation.created"); !res.Pass && a.err == nil {
		res.Why = "Hospitable adds actions over time (its v2 reference already names five its guide does not): refusing one you do not know makes Hospitable retry it, and fills your logs with failures"
		res.Fix = "answer 200 to every validly signed delivery, and ignore (log) actions you do not handle"
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
	if r.unreachable != nil {
		return Result{}
	}
	b := r.post(ctx, compact)
	res := Result{
		Sent:    "message.created twice (new id each): PHP json_encode (\\/, \\uXXXX) and plain compact UTF-8, each signed",
		Got:     "php " + a.String() + ", compact " + b.String(),
		Latency: max(a.resp.Latency, b.resp.Latency),
	}
	okA := a.err == nil && a.status() == http.StatusOK
	okB := b.err == nil && b.status() == http.StatusOK
	rawFix := "verify the signature on the raw request bytes (Flask request.get_data(), Express express.raw() or req.rawBody, PHP file_get_contents('php://input')), before any JSON parsing"
	switch {
	case okA && okB:
		res.Pass = true
	case okB:
		res.Why = "your endpoint re-serialises the JSON before checking the signature: PHP's escapes (\\/ and \\uXXXX) are lost, the bytes change and the signature no longer matches; Hospitable most likely sends PHP's encoding"
		res.Fix = rawFix
	case okA:
		res.Why = "your endpoint only accepts PHP-style escapes: it probably re-encodes the body PHP-style before verifying, so any other encoding fails"
		res.Fix = rawFix
	default:
		_, res.Why, res.Fix = judge200(a, "message.created")
	}
	return res
}

func (r *runner) large(ctx context.Context) Result {
	data, note, err := r.largeProperty()
	if err != nil {
		return broken(err)
	}
	d, err := r.build("property.changed", data, event.PHP)
	if err != nil {
		return broken(err)
	}
	a := r.post(ctx, d)
	res := Result{Sent: fmt.Sprintf("property.changed %s, signed, %s (%s)", d.ID, size(len(d.Body)), note), Got: a.String(), Latency: a.resp.Latency}
	res.Pass, res.Why, res.Fix = judge200(a, "property.changed")
	return res
}

func (r *runner) answerTime(ctx context.Context) Result {
	d, err := r.build("reservation.created", nil, event.PHP)
	if err != nil {
		return broken(err)
	}
	a := r.post(ctx, d)
	budget := deliver.FormatDuration(r.cfg.Budget)
	res := Result{Sent: fmt.Sprintf("reservation.created %s, signed; budget %s", d.ID, budget), Got: a.String(), Latency: a.resp.Latency}
	switch {
	case a.err != nil:
		res.Why = "no answer came at all: Hospitable counts that as a failure and retries"
		res.Fix = "answer 200 first and do the work afterwards (queue it)"
	case a.resp.Latency > r.cfg.Budget:
		res.Why = fmt.Sprintf("the answer took longer than %s; Hospitable does not document its timeout, so a slow answer risks being cut off, counted as failed and retried (%s is a conservative assumption)", budget, budget)
		res.Fix = "answer 200 first and do the work afterwards (queue it); or pass a larger --budget if you know better"
	default:
		res.Pass = true
	}
	return res
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// latency writes a latency for a report line: "<1ms", "3ms", "1.25s".
func latency(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "<1ms"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	default:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
}

// size writes a body size: "7.0 KB", "1.0 MB", "51 bytes".
func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

func quote(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}
