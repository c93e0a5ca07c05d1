package render

import (
	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// ListenDelivery is one delivery as `listen --json` prints it: the keys of
// a capture record (the same type, so the two cannot drift apart) and what
// only the live stream knows.
type ListenDelivery struct {
	Type string `json:"type"`
	capture.Record
	Outcome    listener.Outcome  `json:"check"`
	Attempt    int               `json:"attempt"`
	Duplicate  bool              `json:"duplicate"`
	LatencyMS  float64           `json:"latency_ms"`
	Scripted   string            `json:"scripted,omitempty"`
	Forward    *ListenForward    `json:"forward,omitempty"`
	Warnings   []inspect.Warning `json:"warnings"`
	Digest     []inspect.Fact    `json:"digest,omitempty"`
	CaptureErr string            `json:"capture_error,omitempty"`
	// Explanation says why the signature did not match, when a known
	// mistake accounts for it.
	Explanation *signature.Finding `json:"explanation,omitempty"`
}

// ListenForward is the app's answer as `listen --json` and the web
// inspector's API give it: the listener's Forward and its latency in
// milliseconds.
type ListenForward struct {
	listener.Forward
	LatencyMS float64 `json:"latency_ms"`
}

// NewListenForward returns f in its JSON form, nil when f is nil (the
// delivery was not forwarded).
func NewListenForward(f *listener.Forward) *ListenForward {
	if f == nil {
		return nil
	}
	return &ListenForward{Forward: *f, LatencyMS: ms(f.Latency)}
}

// ListenJSON turns a delivery event into its --json object. The body is
// the exact bytes, unmasked: machine output is for machines.
func ListenJSON(ev listener.Event, explanation *signature.Finding) ListenDelivery {
	out := ListenDelivery{
		Type:    "delivery",
		Record:  ev.Record(),
		Outcome: ev.Outcome, Attempt: ev.Attempt, Duplicate: ev.Attempt > 1, LatencyMS: ms(ev.Latency),
		Warnings: ev.Delivery.Warnings, Digest: ev.Delivery.Digest(), CaptureErr: ev.RecordErr,
	}
	out.SetBody(ev.Body)
	out.Explanation = explanation
	if out.Warnings == nil {
		out.Warnings = []inspect.Warning{}
	}
	if ev.Scripted != nil {
		out.Scripted = ev.Scripted.String()
	}
	out.Forward = NewListenForward(ev.Forward)
	return out
}
