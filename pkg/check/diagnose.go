package check

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/tidwall/sjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// ProbeResult is what one probe got.
type ProbeResult struct {
	// Name is the probe's name ("valid" and "random-key" for the two
	// references).
	Name string `json:"name"`
	// Sent says what was sent.
	Sent string `json:"sent"`
	// Got says what came back.
	Got string `json:"got"`
	// Status is the HTTP status; 0 without an answer.
	Status int `json:"status"`
	// Accepted says the endpoint answered 2xx.
	Accepted bool `json:"accepted"`
	// Excerpt is the start of the answer's body.
	Excerpt string `json:"body_excerpt,omitempty"`
}

// Verdict sums up the probes.
type Verdict string

// The verdicts of a diagnosis.
const (
	// VerdictFound: valid deliveries are refused and a probe was accepted.
	VerdictFound Verdict = "found"
	// VerdictUnknown: valid deliveries are refused and no probe was accepted.
	VerdictUnknown Verdict = "unknown"
	// VerdictNoCheck: a delivery signed with a random key was accepted.
	VerdictNoCheck Verdict = "no-check"
	// VerdictClean: valid deliveries are accepted, every probe refused.
	VerdictClean Verdict = "clean"
	// VerdictLenient: valid deliveries are accepted, and so are some probes.
	VerdictLenient Verdict = "lenient"
	// VerdictInconclusive: the probe delivery got neither 2xx nor a
	// refusal, or no answer.
	VerdictInconclusive Verdict = "inconclusive"
)

// Diagnosis is what the probes found: one line (Cause and Fix) and the
// detail.
type Diagnosis struct {
	// Verdict sums it up.
	Verdict Verdict
	// Cause says what the endpoint does wrong (or that it is right).
	Cause string
	// Fix says what to change; "" when nothing needs to.
	Fix string
	// Accepted names the probes the endpoint accepted.
	Accepted []string
	// Valid and Control are the reference deliveries: validly signed, and
	// signed with a random key.
	Valid, Control ProbeResult
	// Results holds every probe's result, in Probes order.
	Results []ProbeResult

	unreachable *deliver.TransportError
}

// Explains reports whether the diagnosis speaks for refused valid
// deliveries: it named the cause, or found that no usual mistake is it.
func (d *Diagnosis) Explains() bool {
	return d != nil && (d.Verdict == VerdictFound || d.Verdict == VerdictUnknown)
}

// Failed reports whether the diagnosis shows the endpoint wrong.
func (d Diagnosis) Failed() bool {
	return d.Verdict == VerdictFound || d.Verdict == VerdictUnknown || d.Verdict == VerdictNoCheck
}

// Diagnose sends the valid reference delivery, one signed with a random
// key, and every probe, and says which the endpoint accepts.
func Diagnose(ctx context.Context, cfg Config) Diagnosis {
	cfg = cfg.withDefaults()
	r := newRunner(cfg, nil)
	probes := Probes(cfg.Secret, cfg.PreviousSecret)
	base, err := r.probeBody()
	if err != nil {
		return Diagnosis{Verdict: VerdictInconclusive, Cause: "hospitable-hook could not build the probes: " + err.Error(), Fix: "report this as a bug in hospitable-hook"}
	}
	email, _ := decodeEmail(cfg.Secret)
	total := len(probes) + 2
	var mu sync.Mutex
	done := 0
	send := func(name, sent string, make func(probeInput) ([]byte, string, http.Header)) ProbeResult {
		body, err := r.freshID(base)
		if err != nil {
			return ProbeResult{Name: name, Sent: sent, Got: "not sent: " + err.Error()}
		}
		in := probeInput{body: body, secret: cfg.Secret, email: email, previousSecret: cfg.PreviousSecret}
		b, sig, extra := make(in)
		d := event.Wrap(b, cfg.Secret)
		d = withSignatures(d)
		if sig != "" {
			d = withSignatures(d, sig)
		}
		a := r.postTo(ctx, cfg.URL, d, extra)
		mu.Lock()
		done++
		if cfg.Progress != nil {
			cfg.Progress(done, total, "probe "+name)
		}
		mu.Unlock()
		s := a.status()
		// Accepted is the verdict's: a 2xx to what is not validly signed.
		accepted := a.verdict(true).Code == verdict.AcceptsForged
		return ProbeResult{Name: name, Sent: sent, Got: a.String(), Status: s, Accepted: accepted, Excerpt: a.excerpt()}
	}
	diag := Diagnosis{}
	diag.Valid = send("valid", "validly signed", signedWith(func(in probeInput) string { return in.secret }))
	diag.Control = send("random-key", "signed with a random key", signedWith(func(probeInput) string { return "hospitable-hook random key 7f3a" }))
	diag.Results = make([]ProbeResult, len(probes))
	sem := make(chan struct{}, cfg.Concurrency)
	var wg sync.WaitGroup
	for i, p := range probes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			diag.Results[i] = send(p.Name, p.Sent, p.make)
		}()
	}
	wg.Wait()
	diag.unreachable = r.unreachable
	judgeProbes(&diag, probes)
	return diag
}

// judgeProbes writes the diagnosis's verdict and its one line.
func judgeProbes(d *Diagnosis, probes []Probe) {
	var accepted []Probe
	for i, res := range d.Results {
		if res.Accepted {
			accepted = append(accepted, probes[i])
			d.Accepted = append(d.Accepted, probes[i].Name)
		}
	}
	switch {
	case d.Control.Accepted:
		d.Verdict = VerdictNoCheck
		d.Cause = "your endpoint accepts a delivery signed with a random key: it does not verify signatures (a token in the URL or an IP allow-list is no substitute), so probing cannot tell more"
		d.Fix = signatureFix
	case !d.Valid.Accepted && len(accepted) > 0:
		d.found(accepted)
	case !d.Valid.Accepted && !refusesSignature(d.Valid.Status):
		d.Verdict = VerdictInconclusive
		d.Cause = fmt.Sprintf("the probe delivery itself got %s, neither accepted nor refused as badly signed (401 or 403), and no probe was accepted: the probes cannot tell what the endpoint checks", d.Valid.Got)
		d.Fix = "fix the failures below first, then run check --diagnose again"
	case !d.Valid.Accepted:
		d.Verdict = VerdictUnknown
		d.Cause = fmt.Sprintf("your endpoint refuses valid deliveries (%s), and none of the %d usual wrong signatures: most likely it has another secret than the one check signs with", verdict.StatusText(d.Valid.Status), len(probes))
		d.Fix = "compare the secret the endpoint loads with check's --secret (`hospitable-hook secret --explain`); " + unknownFix
	case len(accepted) == 0:
		d.clean(len(probes))
	default:
		d.lenient(accepted)
	}
}

// unknownFix is how to find a signature bug no probe names.
const unknownFix = "capture a real delivery (`hospitable-hook listen --save c.jsonl`, or log the raw body and the Signature your app computed), then run `hospitable-hook verify --file body.json --signature <the signature your app computed>`: it names the difference"

// refusesSignature reports whether a status to a valid delivery is a
// refusal of its signature (a 401 or 403), as the verdict judges it.
func refusesSignature(status int) bool {
	return verdict.Judge(verdict.Answer{Status: status}).Code == verdict.RejectsValid
}

// clean says that no wrongly signed probe was accepted; probes that got
// no refusal either (a 5xx, a 3xx, no answer) are named, in the verdict's
// words, since only a 4xx is a refusal.
func (d *Diagnosis) clean(tried int) {
	d.Verdict = VerdictClean
	var odd []string
	var first verdict.Verdict
	for _, res := range d.Results {
		if v := verdict.Judge(verdict.Answer{Status: res.Status, Forged: true}); !v.OK {
			if odd == nil {
				first = v
			}
			odd = append(odd, res.Name)
		}
	}
	if len(odd) == 0 {
		d.Cause = fmt.Sprintf("valid deliveries accepted and all %d wrongly signed ones refused: the signature check matches Hospitable's", tried)
		return
	}
	d.Cause = fmt.Sprintf("valid deliveries accepted and none of the %d wrongly signed ones: the signature check matches Hospitable's, but %d of them (%s) got %s, not a refusal",
		tried, len(odd), strings.Join(odd, ", "), first.Label)
	d.Fix = first.Fix
}

// found names the bug: valid deliveries are refused, and accepted[0] (the
// first probe, in report order, the endpoint accepted) is what it does.
// d.Accepted holds the names of accepted.
func (d *Diagnosis) found(accepted []Probe) {
	p := accepted[0]
	d.Verdict = VerdictFound
	d.Cause = p.Cause + " (it accepted: " + p.Sent + ")"
	d.Fix = p.Fix
	if len(accepted) > 1 {
		d.Cause += "; it also accepted " + strings.Join(d.Accepted[1:], ", ")
	}
}

// lenient says what else the endpoint accepts besides valid deliveries:
// harmless for a lenient probe, a bug otherwise; a previous secret is
// fine while senders switch.
func (d *Diagnosis) lenient(accepted []Probe) {
	first := accepted[0]
	d.Verdict = VerdictLenient
	d.Cause = "valid deliveries accepted; it also accepts " + strings.Join(d.Accepted, ", ")
	switch {
	case first.Name == "key-previous-secret":
		d.Cause = "valid deliveries accepted, and so is the previous secret: fine while senders switch; remove it afterwards"
	case first.Lenient:
		d.Cause += " (harmless while the right form is accepted too)"
	default:
		d.Cause += ": " + first.Cause
		d.Fix = first.Fix
	}
}

// probeBody is a reservation.created delivery whose data carries what
// tells the re-encodings apart: "/" and non-ASCII (PHP escapes), an emoji
// (surrogate pairs), a {} (PHP's round trip), a 1.0 (JavaScript), and the
// envelope's key order (Go sorts keys).
func (r *runner) probeBody() ([]byte, error) {
	data, err := r.set.Data("reservation.created")
	if err != nil {
		return nil, err
	}
	data, err = sjson.SetRawBytes(data, "custom_fields", []byte(`{"arrival_note":"Llegada tardía 🌙, ver https://example.com/llegada","deposit_rate":1.0,"extras":{}}`))
	if err != nil {
		return nil, err
	}
	d, err := r.build("reservation.created", data, event.PHP)
	return d.Body, err
}

// freshID gives a probe body its own id, so that an endpoint that drops
// repeats judges every probe.
func (r *runner) freshID(body []byte) ([]byte, error) {
	r.mu.Lock()
	id, err := r.builder.NewID(r.cfg.Now())
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return sjson.SetBytes(body, "id", id)
}
