package render

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"

	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

var at = time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC)

func listenEvent(body []byte, mutate func(*listener.Event)) listener.Event {
	ev := listener.Event{
		Kind: listener.KindDelivery, ReceivedAt: at, Method: "POST", Path: "/webhooks/hospitable", RemoteAddr: "127.0.0.1:50123",
		Header: http.Header{"Content-Type": {"application/json"}, "Signature": {"5f2b…"}},
		Body:   body, Delivery: inspect.Parse(body), Checked: true, Verified: true, Outcome: listener.OutcomeOK,
		Attempt: 1, Status: 200, Latency: 2 * time.Millisecond,
	}
	if mutate != nil {
		mutate(&ev)
	}
	return ev
}

// sampleSession is one of everything `listen` shows.
func sampleSession(t *testing.T) []listener.Event {
	const id = "01KB2Y5X0Q3W7F8G9H0J1K2M3N"
	res := fixturetest.Envelope(t, "reservation.created", id)
	step500, step200 := listener.Step{Status: 500}, listener.Step{Status: 200}
	wrapped := []byte(`{"body":{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","action":"property.changed","data":{"id":"550e8400-e29b-41d4-a716-446655440000","name":"Beachfront Villa Updated","address":"Miami, FL"},"triggers":"name","created":"2024-10-08T09:03:34+02:00","version":"v2"}}`)
	return []listener.Event{
		listenEvent(res, func(e *listener.Event) { e.Scripted, e.Status = &step500, 500 }),
		listenEvent(res, func(e *listener.Event) { e.Scripted, e.Attempt = &step200, 2 }),
		listenEvent(fixturetest.Envelope(t, "message.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3P"), nil),
		listenEvent(fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3Q"), nil),
		listenEvent(fixturetest.Envelope(t, "property.changed", "01KB2Y5X0Q3W7F8G9H0J1K2M3R"), nil),
		listenEvent(fixturetest.Envelope(t, "property.merged", "01KB2Y5X0Q3W7F8G9H0J1K2M3S"), nil),
		listenEvent(fixturetest.Envelope(t, "property.deleted", "01KB2Y5X0Q3W7F8G9H0J1K2M3T"), nil),
		listenEvent(fixturetest.Envelope(t, "integration.disconnected", "01KB2Y5X0Q3W7F8G9H0J1K2M3V"), nil),
		listenEvent([]byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3W","action":"task.created","data":{"id":"t-1","title":"Restock towels"},"created":"2026-11-28T09:35:24Z","version":"v2"}`), nil),
		listenEvent(wrapped, nil),
		listenEvent(res, func(e *listener.Event) {
			e.Verified, e.Reason, e.Outcome, e.Status, e.Attempt = false, "signature does not match (another secret, or the body changed after signing)", listener.OutcomeSignature, 401, 0
		}),
		listenEvent([]byte("hello, world"), func(e *listener.Event) { e.Outcome, e.Status, e.Attempt = listener.OutcomeNotJSON, 400, 0 }),
		listenEvent(nil, func(e *listener.Event) {
			e.Checked, e.Verified, e.Outcome, e.Reason, e.Status, e.Attempt = false, false, listener.OutcomeTooLarge, "not checked: body over --max-body 5 MiB", 413, 0
		}),
		listenEvent(res, func(e *listener.Event) {
			e.Forward = &listener.Forward{URL: "http://127.0.0.1:3000/webhooks", Status: 401, Latency: 4 * time.Millisecond, BodyStart: `{"error":"invalid signature"}`,
				Verdict: listener.Verdict{Code: "rejects_valid", Label: "401 Unauthorized, not 200",
					Message: "your app answered 401 Unauthorized, not 200: the endpoint refused the signature, signed as Hospitable signs. Likely causes: " +
						"it hashes parsed or re-serialised JSON instead of the raw body bytes; it keys the HMAC with the decoded email instead of the base64 secret text; " +
						"it reads another header than `Signature`; its secret differs from the one sent with (see `hospitable-hook secret --explain`); " +
						"`hospitable-hook check http://127.0.0.1:3000/webhooks` probes the endpoint and names which"}}
			e.Status = 401
		}),
		listenEvent(res, func(e *listener.Event) {
			step := listener.Step{Timeout: true}
			e.Scripted, e.Status, e.Latency, e.Attempt = &step, 0, 3*time.Second, 3
		}),
		{Kind: listener.KindOther, ReceivedAt: at, Method: "GET", Path: "/", Status: 200},
		{Kind: listener.KindOther, ReceivedAt: at, Method: "PUT", Path: "/", Status: 405},
	}
}

func renderSession(t *testing.T, st *Styles, opts ListenOptions) []byte {
	var out bytes.Buffer
	ListenReady(&out, st, ListenInfo{URL: "http://127.0.0.1:5000", Settings: []string{"answering 500,200 per delivery id", "saving to capture.jsonl"}})
	for _, ev := range sampleSession(t) {
		ListenEvent(&out, st, ev, opts)
	}
	ListenSummary(&out, st, listener.Stats{Received: 15, Verified: 12, Rejected: 3, Duplicates: 2, Forged: 1})
	return out.Bytes()
}

func TestListenPlain(t *testing.T) {
	got := renderSession(t, newStyles(false), ListenOptions{})
	if bytes.Contains(got, []byte("\x1b[")) {
		t.Errorf("plain output has escape codes")
	}
	golden(t, "TestListen.golden", got)
}

func TestListenTTY(t *testing.T) {
	got := renderSession(t, newStyles(true), ListenOptions{})
	if !bytes.Contains(got, []byte("\x1b[")) {
		t.Errorf("terminal output has no colour")
	}
	golden(t, "TestListen.tty.golden", got)
}

func TestListenVerbose(t *testing.T) {
	var out bytes.Buffer
	body := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	ListenEvent(&out, newStyles(false), listenEvent(body, nil), ListenOptions{Verbose: true})
	got := out.String()
	for _, leak := range []string{"jose.carvalho@example.com", "+351912000417", "marta@redrockhideaway.example"} {
		if strings.Contains(got, leak) {
			t.Errorf("-v shows %q without --show-pii", leak)
		}
	}
	for _, want := range []string{"Signature: 5f2b…", `"email": "[masked]"`, `"first_name": "José"`, `"code": "HMZ4TQ8KXN"`} {
		if !strings.Contains(got, want) {
			t.Errorf("-v output lacks %q", want)
		}
	}
	golden(t, "TestListenVerbose.golden", out.Bytes())

	out.Reset()
	ListenEvent(&out, newStyles(false), listenEvent(body, nil), ListenOptions{Verbose: true, ShowPII: true})
	if !strings.Contains(out.String(), "jose.carvalho@example.com") {
		t.Errorf("--show-pii does not show the guest's email")
	}
	out.Reset()
	ListenEvent(&out, newStyles(true), listenEvent(body, nil), ListenOptions{Verbose: true})
	if !strings.Contains(out.String(), "\x1b[") || strings.Contains(out.String(), "+351912000417") {
		t.Errorf("coloured -v must be coloured and masked")
	}
}

func TestListenVerboseDeepBody(t *testing.T) {
	deep := []byte(`{"action":"x","data":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`)
	var out bytes.Buffer
	ListenEvent(&out, newStyles(false), listenEvent(deep, nil), ListenOptions{Verbose: true})
	if !strings.Contains(out.String(), "deeper than 1000") {
		t.Errorf("a deep body is not reported as too deep:\n%.300s", out.String())
	}
}

func TestListenJSON(t *testing.T) {
	body := fixturetest.Envelope(t, "message.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	b, err := json.Marshal(ListenJSON(listenEvent(body, func(e *listener.Event) { e.Attempt = 2 }), nil))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal(b, &got)
	for _, k := range []string{"type", "received_at", "method", "path", "remote_addr", "headers", "body", "verified", "check", "action", "id", "attempt", "duplicate", "status", "latency_ms", "warnings", "digest"} {
		if _, ok := got[k]; !ok {
			t.Errorf("--json object lacks %q: %s", k, b)
		}
	}
	if got["body"] != string(body) || got["duplicate"] != true || got["type"] != "delivery" {
		t.Errorf("--json object = %s", b)
	}
}
