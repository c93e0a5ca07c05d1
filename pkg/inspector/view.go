package inspector

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// Verdicts of a request, as the API and the page name them.
const (
	VerdictVerified  = "verified"   // signature valid, body JSON
	VerdictForged    = "forged"     // signature missing or wrong
	VerdictNotJSON   = "not_json"   // signature valid, body not JSON
	VerdictTooLarge  = "too_large"  // body over --max-body, not read
	VerdictForbidden = "forbidden"  // source outside --allow-ip
	VerdictReadError = "read_error" // the body could not be read
	VerdictNoRecord  = "no_record"  // the capture file could not be written
	VerdictOther     = "other"      // not a delivery: a GET, another method or path
)

// Verdict names what the listener made of a request.
func Verdict(ev listener.Event) string {
	if ev.Kind != listener.KindDelivery {
		return VerdictOther
	}
	switch ev.Outcome {
	case listener.OutcomeForbidden:
		return VerdictForbidden
	case listener.OutcomeTooLarge:
		return VerdictTooLarge
	case listener.OutcomeReadError:
		return VerdictReadError
	case listener.OutcomeNoRecord:
		return VerdictNoRecord
	case listener.OutcomeSignature:
		return VerdictForged
	case listener.OutcomeNotJSON:
		return VerdictNotJSON
	}
	// Accepted anyway: under --no-verify, or passed on to the app.
	switch {
	case ev.Checked && !ev.Verified:
		return VerdictForged
	case ev.Checked && !ev.Delivery.JSON:
		return VerdictNotJSON
	}
	return VerdictVerified
}

// Summary is one request as the list shows it.
type Summary struct {
	// Seq names the request in the API.
	Seq uint64 `json:"seq"`
	// ReceivedAt is when it arrived.
	ReceivedAt time.Time `json:"received_at"`
	// Kind is "delivery" (a POST on the served path) or "other".
	Kind listener.Kind `json:"kind"`
	// Method, Path and RemoteAddr describe the request.
	Method     string `json:"method"`
	Path       string `json:"path"`
	RemoteAddr string `json:"remote_addr"`
	// Action and ID are the envelope's, when the body has them.
	Action string `json:"action,omitempty"`
	ID     string `json:"id,omitempty"`
	// Verdict is one of the Verdict… constants.
	Verdict string `json:"verdict"`
	// Verified says whether the signature matched.
	Verified bool `json:"verified"`
	// Reason says why the signature did not match, or why it was not checked.
	Reason string `json:"reason,omitempty"`
	// Status is the status answered, 0 for none (a scripted timeout).
	Status int `json:"status"`
	// LatencyMS is from arrival to the end of the answer.
	LatencyMS float64 `json:"latency_ms"`
	// Attempt numbers the attempts of one id, from 1; 0 when unknown.
	Attempt int `json:"attempt"`
	// Scripted is the scripted answer applied (--respond).
	Scripted string `json:"scripted,omitempty"`
	// App is the app's answer when forwarding.
	App *AppSummary `json:"app,omitempty"`
	// Size is the body's length in bytes.
	Size int `json:"size"`
	// Digest is the few facts that tell this delivery from another; it
	// holds no personal data.
	Digest []inspect.Fact `json:"digest,omitempty"`
}

// AppSummary is the app's answer in a list row.
type AppSummary struct {
	// Status is the app's status, 0 when it gave none.
	Status int `json:"status"`
	// OK and Code judge the answer (listener.Verdict).
	OK   bool   `json:"ok"`
	Code string `json:"code"`
}

func summarize(e Entry) Summary {
	ev := e.Event
	s := Summary{
		Seq: e.Seq, ReceivedAt: ev.ReceivedAt, Kind: ev.Kind, Method: ev.Method, Path: ev.Path,
		RemoteAddr: ev.RemoteAddr, Action: ev.Delivery.Action, ID: ev.Delivery.ID, Verdict: Verdict(ev),
		Verified: ev.Verified, Reason: ev.Reason, Status: ev.Status, LatencyMS: ms(ev.Latency),
		Attempt: ev.Attempt, Size: len(ev.Body), Digest: ev.Delivery.Digest(),
	}
	if ev.Scripted != nil {
		s.Scripted = ev.Scripted.String()
	}
	if f := ev.Forward; f != nil {
		s.App = &AppSummary{Status: f.Status, OK: f.Verdict.OK, Code: f.Verdict.Code}
	}
	return s
}

// Detail is one request with everything the detail view shows.
type Detail struct {
	Summary
	// Headers are the request headers as received.
	Headers http.Header `json:"headers"`
	// Body is the exact body.
	Body Body `json:"body"`
	// Warnings lists what is odd about the body.
	Warnings []inspect.Warning `json:"warnings"`
	// Explanation says why the signature did not match, when a known
	// mistake accounts for it.
	Explanation *Explanation `json:"explanation,omitempty"`
	// Forward is the app's whole answer, when forwarding.
	Forward *Forward `json:"forward,omitempty"`
	// CaptureError says why the capture file could not be written.
	CaptureError string `json:"capture_error,omitempty"`
}

// Body is a request body in the forms the page and scripts need.
type Body struct {
	// Size is the length in bytes.
	Size int `json:"size"`
	// UTF8 says whether the bytes are valid UTF-8.
	UTF8 bool `json:"utf8"`
	// JSON says whether they are one valid JSON value.
	JSON bool `json:"json"`
	// Text is the exact body, when it is UTF-8.
	Text *string `json:"text,omitempty"`
	// Base64 is the exact body, always.
	Base64 string `json:"base64"`
	// Masked is the body with personal data replaced by "[masked]"
	// (pkg/inspect's MaskPII), when it is JSON and holds any.
	Masked *string `json:"masked,omitempty"`
}

// Explanation is the signature forensics of a forged delivery.
type Explanation struct {
	signature.Finding
	// Sentence states the finding; Fix says what to change.
	Sentence string `json:"sentence"`
	Fix      string `json:"fix"`
}

// Forward is the app's answer with its latency in milliseconds, as
// `listen --json` gives it.
type Forward = render.ListenForward

func detail(e Entry, secret string) Detail {
	ev := e.Event
	d := Detail{Summary: summarize(e), Headers: ev.Header, Warnings: ev.Delivery.Warnings, CaptureError: ev.RecordErr}
	if d.Headers == nil {
		d.Headers = http.Header{}
	}
	if d.Warnings == nil {
		d.Warnings = []inspect.Warning{}
	}
	d.Body = Body{Size: len(ev.Body), UTF8: utf8.Valid(ev.Body), JSON: ev.Delivery.JSON, Base64: base64.StdEncoding.EncodeToString(ev.Body)}
	if d.Body.UTF8 {
		text := string(ev.Body)
		d.Body.Text = &text
	}
	if ev.Delivery.JSON {
		if m := inspect.MaskPII(ev.Body); !bytes.Equal(m, ev.Body) {
			masked := string(m)
			d.Body.Masked = &masked
		}
	}
	if f, ok := ev.Explain(secret); ok {
		d.Explanation = &Explanation{Finding: f, Sentence: f.Sentence(), Fix: f.Fix()}
	}
	d.Forward = render.NewListenForward(ev.Forward)
	return d
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Filter selects requests for the list.
type Filter struct {
	// Actions and Verdicts match any of theirs; empty matches all.
	Actions  []string
	Verdicts []string
	// ID matches the envelope id exactly.
	ID string
	// Query matches, case-insensitively, anywhere in the action, id, path,
	// source, reason, verdict, status, digest or body.
	Query string
}

// maxSearchedBody is how much of each body a free-text query looks at.
const maxSearchedBody = 256 << 10

func (f Filter) match(e Entry) bool {
	ev := e.Event
	if len(f.Actions) > 0 && !slices.Contains(f.Actions, ev.Delivery.Action) {
		return false
	}
	if len(f.Verdicts) > 0 && !slices.Contains(f.Verdicts, Verdict(ev)) {
		return false
	}
	if f.ID != "" && ev.Delivery.ID != f.ID {
		return false
	}
	if f.Query == "" {
		return true
	}
	q := strings.ToLower(f.Query)
	for _, s := range []string{ev.Delivery.Action, ev.Delivery.ID, ev.Path, ev.RemoteAddr, ev.Reason, Verdict(ev), strconv.Itoa(ev.Status), ev.Method} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	for _, fact := range ev.Delivery.Digest() {
		if strings.Contains(strings.ToLower(fact.Value), q) {
			return true
		}
	}
	body := ev.Body[:min(len(ev.Body), maxSearchedBody)]
	return bytes.Contains(bytes.ToLower(body), []byte(q))
}
