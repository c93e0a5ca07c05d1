package check

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/observe"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// runner holds what the cases share.
type runner struct {
	cfg     Config
	set     *fixture.Set
	stop    context.CancelFunc
	mu      sync.Mutex
	builder *event.Builder
	// key signs every valid delivery, made once for cfg.Secret.
	key *signature.Key
	// unreachable is the first transport error that means nothing answers.
	unreachable *deliver.TransportError
}

func newRunner(cfg Config, stop context.CancelFunc) *runner {
	return &runner{cfg: cfg, stop: stop, builder: event.NewBuilder(cfg.Now, cfg.Entropy), key: signature.NewKey(cfg.Secret), set: cfg.fixtureSet()}
}

func (r *runner) unreachableErr() *UnreachableError {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.unreachable == nil {
		return nil
	}
	return &UnreachableError{URL: r.cfg.URL, Err: r.unreachable}
}

// answer is what one request got.
type answer struct {
	resp deliver.Response
	err  error
}

func (a answer) status() int { return a.resp.Status }

// verdict judges the answer as Hospitable would; forged says the delivery
// was not validly signed, so a refusal is right. The fix for a refused
// valid delivery points to the probes: `check --diagnose URL`.
func (a answer) verdict(forged bool) verdict.Verdict {
	if a.err != nil {
		return verdict.Judge(verdict.Answer{Err: a.err, Forged: forged})
	}
	return verdict.Judge(verdict.Answer{Status: a.resp.Status, Forged: forged, Location: a.resp.Location(), Target: "--diagnose URL"})
}

func (a answer) ok() bool { return a.verdict(false).OK }

// String says what came back: "200 OK in 3ms", or "no answer: …".
func (a answer) String() string {
	if a.err != nil {
		return "no answer: " + a.err.Error()
	}
	return verdict.StatusText(a.resp.Status) + " in " + verdict.Latency(a.resp.Latency)
}

// excerpt is the start of the answer's body.
func (a answer) excerpt() string { return Excerpt(a.resp.Body) }

// result starts a Result from the answer that decides it.
func (a answer) result(sent string) Result {
	return Result{Sent: sent, Got: a.String(), Status: a.status(), Excerpt: a.excerpt(), Latency: a.resp.Latency}
}

// build returns a fresh delivery of action's fixture (or of data when
// given), encoded with enc and signed with the endpoint's secret.
func (r *runner) build(action string, data []byte, enc event.Encoding) (event.Delivery, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
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
	return d.Signed(r.key), nil
}

// post sends d to the endpoint.
func (r *runner) post(ctx context.Context, d event.Delivery) answer {
	return r.postTo(ctx, r.cfg.URL, d, nil)
}

// postTo sends d to url with extra headers, and notes an endpoint that
// cannot be reached at all, which stops the run.
func (r *runner) postTo(ctx context.Context, url string, d event.Delivery, extra http.Header) answer {
	h := r.cfg.Header
	if len(extra) > 0 {
		h = h.Clone()
		if h == nil {
			h = http.Header{}
		}
		for k, v := range extra {
			h[k] = v
		}
	}
	resp, err := r.cfg.Client.Post(ctx, url, d, h)
	var te *deliver.TransportError
	if errors.As(err, &te) && (te.Kind == deliver.KindRefused || te.Kind == deliver.KindDNS || te.Kind == deliver.KindTLS) {
		r.mu.Lock()
		if r.unreachable == nil {
			r.unreachable = te
		}
		r.mu.Unlock()
		if r.stop != nil {
			r.stop()
		}
	}
	return answer{resp, err}
}

// observe asks the app how many times it processed d; ok is false without
// an observer.
func (r *runner) observe(ctx context.Context, d event.Delivery, name string) (n int, err error, ok bool) {
	if r.cfg.Observe == nil {
		return 0, nil, false
	}
	n, err = r.cfg.Observe.Count(ctx, observe.Delivery{ID: d.ID, Action: d.Action, Case: name})
	return n, err, true
}

// broken is the Result of a case that could not even be built.
func broken(err error) Result {
	return Result{Sent: "nothing", Got: "-", Why: "hospitable-hook could not build the delivery: " + err.Error(),
		Fix: "report this as a bug in hospitable-hook"}
}

func quote(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
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
