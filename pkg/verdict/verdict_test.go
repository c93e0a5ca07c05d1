package verdict

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// errTimeout is an error whose Timeout method says so, as net's are.
var errTimeout = fmt.Errorf("read: %w", os.ErrDeadlineExceeded)

// hinted is an error that says what to do, as deliver.TransportError does.
type hinted struct{}

func (hinted) Error() string { return "nothing listens" }
func (hinted) Hint() string  { return "start it" }

func TestJudge(t *testing.T) {
	tests := []struct {
		name      string
		in        Answer
		ok        bool
		code      Code
		label     string
		noteHas   string
		wantNoFix bool
	}{
		{"200 delivered", Answer{Status: 200}, true, OK, "200 OK", "", true},
		{"204 is retried", Answer{Status: 204}, false, Not200, "204 No Content, not 200", "only 200 as success", false},
		{"201 is retried", Answer{Status: 201}, false, Not200, "201 Created, not 200", "answer exactly 200", false},
		{"redirect with location", Answer{Status: 301, Location: "/new"}, false, Redirect, "301 Moved Permanently, not 200", "redirect to /new not followed", false},
		{"redirect without location", Answer{Status: 302}, false, Redirect, "302 Found, not 200", "redirect not followed", true},
		{"401 names check with target", Answer{Status: 401, Target: "http://x/y"}, false, RejectsValid, "401 Unauthorized, not 200", "`hospitable-hook check http://x/y`", false},
		{"403 names check with URL", Answer{Status: 403}, false, RejectsValid, "403 Forbidden, not 200", "`hospitable-hook check URL`", false},
		{"500 retried", Answer{Status: 500}, false, AppError, "500 Internal Server Error, not 200", "would retry this delivery (1s, 5s, 10s, 1h, 6h)", true},
		{"unnamed status", Answer{Status: 599}, false, AppError, "599, not 200", "retry", true},
		{"timeout", Answer{Err: errTimeout}, false, NoAnswer, "timed out", "no answer came", true},
		{"deadline", Answer{Err: fmt.Errorf("post: %w", context.DeadlineExceeded)}, false, NoAnswer, "timed out", "no answer came", true},
		{"refused", Answer{Err: errors.New("connection refused on 127.0.0.1:1")}, false, NoAnswer, "connection refused on 127.0.0.1:1", "retries", true},
		{"no answer, with a hint", Answer{Err: fmt.Errorf("post: %w", hinted{})}, false, NoAnswer, "post: nothing listens", "start it", false},
		{"forged accepted", Answer{Status: 200, Forged: true}, false, AcceptsForged, "200 OK", "does not check signatures", false},
		{"forged accepted 204", Answer{Status: 204, Forged: true}, false, AcceptsForged, "204 No Content", "with 204", false},
		{"forged refused", Answer{Status: 401, Forged: true}, true, RefusedForged, "401 Unauthorized", "", true},
		{"forged 500", Answer{Status: 500, Forged: true}, false, ForgedError, "500 Internal Server Error", "refuse it with 401", false},
		{"forged no answer", Answer{Forged: true}, false, NoAnswer, "no answer", "no answer came", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(tt.in)
			if v.OK != tt.ok || v.Code != tt.code || v.Label != tt.label {
				t.Errorf("Judge(%+v) = {OK:%v Code:%q Label:%q}, want {OK:%v Code:%q Label:%q}", tt.in, v.OK, v.Code, v.Label, tt.ok, tt.code, tt.label)
			}
			if !strings.Contains(v.Note(), tt.noteHas) {
				t.Errorf("Judge(%+v).Note() = %q, want it to contain %q", tt.in, v.Note(), tt.noteHas)
			}
			if (v.Fix == "") != tt.wantNoFix {
				t.Errorf("Judge(%+v).Fix = %q, want empty: %v", tt.in, v.Fix, tt.wantNoFix)
			}
			if v.OK && v.Why != "" {
				t.Errorf("Judge(%+v).Why = %q, want none for an OK verdict", tt.in, v.Why)
			}
		})
	}
}

func TestNote(t *testing.T) {
	tests := []struct {
		v    Verdict
		want string
	}{
		{Verdict{}, ""},
		{Verdict{Why: "why"}, "why"},
		{Verdict{Fix: "fix"}, "fix"},
		{Verdict{Why: "why", Fix: "fix"}, "why; fix"},
	}
	for _, tt := range tests {
		if got := tt.v.Note(); got != tt.want {
			t.Errorf("%+v.Note() = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestDelivered(t *testing.T) {
	for code := 100; code < 600; code++ {
		if got, want := Delivered(code), code == 200; got != want {
			t.Errorf("Delivered(%d) = %v, want %v", code, got, want)
		}
	}
}

func TestStatusText(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{{200, "200 OK"}, {404, "404 Not Found"}, {599, "599"}, {0, "0"}}
	for _, tt := range tests {
		if got := StatusText(tt.code); got != tt.want {
			t.Errorf("StatusText(%d) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestLatency(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0ms"},
		{-time.Second, "0ms"},
		{250 * time.Microsecond, "250µs"},
		{1500 * time.Nanosecond, "2µs"},
		{time.Millisecond, "1ms"},
		{12*time.Millisecond + 900*time.Microsecond, "12ms"},
		{999 * time.Millisecond, "999ms"},
		{time.Second, "1.00s"},
		{1250 * time.Millisecond, "1.25s"},
		{10 * time.Second, "10.00s"},
	}
	for _, tt := range tests {
		if got := Latency(tt.d); got != tt.want {
			t.Errorf("Latency(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestTimedOut(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("x"), false},
		{context.DeadlineExceeded, true},
		{fmt.Errorf("wrapped: %w", errTimeout), true},
		{context.Canceled, false},
	}
	for _, tt := range tests {
		if got := TimedOut(tt.err); got != tt.want {
			t.Errorf("TimedOut(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
