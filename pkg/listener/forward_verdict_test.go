package listener

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// TestForwardVerdictWording checks that an answer from the app is judged
// in pkg/verdict's words, and that the listener's own answers say so.
func TestForwardVerdictWording(t *testing.T) {
	const app = "http://127.0.0.1:3000/webhooks"
	timeout := &deliver.TransportError{Kind: deliver.KindTimeout, Addr: "127.0.0.1:3000", Limit: 2 * time.Second, Err: context.DeadlineExceeded}
	tests := []struct {
		name     string
		r        Forward
		verified bool
		cause    error
		ok       bool
		code     string
		label    string
		message  []string
	}{
		{"valid, 200", Forward{Status: 200}, true, nil, true, "ok", "200 OK", []string{"your app answered 200 OK"}},
		{"valid, 204", Forward{Status: 204}, true, nil, false, "not_200", "204 No Content, not 200",
			[]string{"your app answered 204 No Content, not 200: Hospitable treats only 200 as success", "answer exactly 200"}},
		{"valid, 401", Forward{Status: 401}, true, nil, false, "rejects_valid", "401 Unauthorized, not 200",
			[]string{"your app answered 401 Unauthorized, not 200: the endpoint refused the signature", "`hospitable-hook check " + app + "`"}},
		{"valid, 500", Forward{Status: 500}, true, nil, false, "app_error", "500 Internal Server Error, not 200",
			[]string{"Hospitable would retry this delivery (" + verdict.Retries + ")"}},
		{"valid, 307", Forward{Status: 307, Redirect: "http://elsewhere.example/hook"}, true, nil, false, "redirect", "307 Temporary Redirect, not 200",
			[]string{"redirect not followed"}},
		{"forged, 401", Forward{Status: 401}, false, nil, true, "refused_forged", "401 Unauthorized",
			[]string{"your app answered 401 Unauthorized to a forged delivery"}},
		{"forged, 200", Forward{Status: 200}, false, nil, false, "accepts_forged", "200 OK",
			[]string{"the endpoint does not check signatures: it accepted a forged delivery with 200"}},
		{"forged, 500", Forward{Status: 500}, false, nil, false, "forged_error", "500 Internal Server Error",
			[]string{"refuse it with 401 instead"}},
		{"slow 200", Forward{Status: 200, Latency: 4 * time.Second}, true, nil, false, "slow", "200 OK",
			[]string{"took 4.00s, over the 3s answer-time budget", "assumption", "answer 200 first"}},
		{"timed out", Forward{Err: timeout.Error(), Hint: "raise --forward-timeout"}, true, timeout, false, "no_answer", "timed out",
			[]string{"your app gave no answer: no answer from 127.0.0.1:3000 within 2s (raise --forward-timeout)", "the listener answered 502 itself"}},
		{"body cut", Forward{Status: 200, Err: timeout.Error()}, true, timeout, false, "incomplete", "200 OK, but the response body did not finish",
			[]string{"your app answered 200 OK, but the response body did not finish", "the listener answered 502 itself"}},
		{"sender gone", Forward{ErrKind: kindSenderGone, Latency: 4 * time.Second}, true, context.Canceled, false, "sender_gone", "sender gone",
			[]string{"the sender gave up after 4.00s, before your app answered"}},
	}
	f := &Forwarder{budget: 3 * time.Second}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.URL = app
			v := f.judge(tt.r, tt.verified, tt.cause)
			if v.OK != tt.ok || v.Code != tt.code || v.Label != tt.label {
				t.Errorf("judge = %+v, want ok %v, code %q, label %q", v, tt.ok, tt.code, tt.label)
			}
			for _, want := range tt.message {
				if !strings.Contains(v.Message, want) {
					t.Errorf("message %q lacks %q", v.Message, want)
				}
			}
		})
	}
}

// TestForwardVerdictIsVerdicts checks that an answer the app gave is
// worded exactly as pkg/verdict words it for every other command.
func TestForwardVerdictIsVerdicts(t *testing.T) {
	f := &Forwarder{}
	for _, status := range []int{200, 201, 204, 301, 400, 401, 403, 404, 500, 503} {
		for _, verified := range []bool{true, false} {
			got := f.judge(Forward{URL: "http://127.0.0.1:3000", Status: status}, verified, nil)
			want := verdict.Judge(verdict.Answer{Status: status, Forged: !verified, Target: "http://127.0.0.1:3000"})
			if got.OK != want.OK || got.Code != string(want.Code) || got.Label != want.Label || got.Why != want.Why || got.Fix != want.Fix {
				t.Errorf("judge(%d, verified %v) = %+v, want verdict.Judge's %+v", status, verified, got, want)
			}
		}
	}
}
