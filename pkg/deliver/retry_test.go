package deliver

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
)

var runStart = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// errTimeout stands in for the error an HTTP client gives when its timeout fires.
type errTimeout struct{}

func (errTimeout) Error() string { return "Post \"http://127.0.0.1:5000\": i/o timeout" }
func (errTimeout) Timeout() bool { return true }

// step is the part of an Attempt that the schedule decides.
type step struct {
	at, elapsed, next time.Duration
	status            int
	final             bool
}

func steps(attempts []Attempt) []step {
	out := make([]step, len(attempts))
	for i, a := range attempts {
		out[i] = step{at: a.ScheduleTime, elapsed: a.Elapsed, next: a.NextDelay, status: a.Result.Status, final: a.Final}
	}
	return out
}

// wait is one OnWait call.
type wait struct {
	next            int
	delay, realWait time.Duration
}

// script answers attempt n with results[n-1], repeating the last one, and moves the virtual
// clock on by each result's Latency, as a real attempt would take that long.
func script(v *clock.Virtual, results ...Result) func(context.Context, int) Result {
	return func(_ context.Context, n int) Result {
		r := results[min(n, len(results))-1]
		v.Advance(r.Latency)
		return r
	}
}

func TestRetrierRun(t *testing.T) {
	const (
		s = time.Second
		h = time.Hour
	)
	fail := Result{Status: 500}
	ok := Result{Status: 200}
	tests := []struct {
		name          string
		schedule      Schedule
		speed         float64
		results       []Result
		wantSteps     []step
		wantWaits     []wait
		wantDelivered bool
		wantElapsed   time.Duration
		wantSummary   string
	}{
		{
			name:     "default schedule always failing",
			schedule: DefaultSchedule(),
			results:  []Result{fail},
			wantSteps: []step{
				{at: 0, elapsed: 0, next: s, status: 500},
				{at: s, elapsed: s, next: 5 * s, status: 500},
				{at: 6 * s, elapsed: 6 * s, next: 10 * s, status: 500},
				{at: 16 * s, elapsed: 16 * s, next: h, status: 500},
				{at: h + 16*s, elapsed: h + 16*s, next: 6 * h, status: 500},
				{at: 7*h + 16*s, elapsed: 7*h + 16*s, status: 500, final: true},
			},
			wantWaits:   []wait{{2, s, s}, {3, 5 * s, 5 * s}, {4, 10 * s, 10 * s}, {5, h, h}, {6, 6 * h, 6 * h}},
			wantElapsed: 7*h + 16*s,
			wantSummary: "gave up after 6 attempts at T+7h0m16s: Hospitable would not deliver this event again",
		},
		{
			name:     "custom schedule always failing",
			schedule: Schedule{2 * s, 2 * s},
			results:  []Result{fail},
			wantSteps: []step{
				{at: 0, elapsed: 0, next: 2 * s, status: 500},
				{at: 2 * s, elapsed: 2 * s, next: 2 * s, status: 500},
				{at: 4 * s, elapsed: 4 * s, status: 500, final: true},
			},
			wantWaits:   []wait{{2, 2 * s, 2 * s}, {3, 2 * s, 2 * s}},
			wantElapsed: 4 * s,
			wantSummary: "gave up after 3 attempts at T+4s: Hospitable would not deliver this event again",
		},
		{
			name:     "fails twice then 200",
			schedule: DefaultSchedule(),
			results:  []Result{fail, {Status: 503}, ok},
			wantSteps: []step{
				{at: 0, elapsed: 0, next: s, status: 500},
				{at: s, elapsed: s, next: 5 * s, status: 503},
				{at: 6 * s, elapsed: 6 * s, status: 200, final: true},
			},
			wantWaits:     []wait{{2, s, s}, {3, 5 * s, 5 * s}},
			wantDelivered: true,
			wantElapsed:   6 * s,
			wantSummary:   "delivered on attempt 3 at T+6s",
		},
		{
			name:     "204 is retried",
			schedule: DefaultSchedule(),
			results:  []Result{{Status: 204}, {Status: 201}, ok},
			wantSteps: []step{
				{at: 0, elapsed: 0, next: s, status: 204},
				{at: s, elapsed: s, next: 5 * s, status: 201},
				{at: 6 * s, elapsed: 6 * s, status: 200, final: true},
			},
			wantWaits:     []wait{{2, s, s}, {3, 5 * s, 5 * s}},
			wantDelivered: true,
			wantElapsed:   6 * s,
			wantSummary:   "delivered on attempt 3 at T+6s",
		},
		{
			name:     "timeout is a failure even with a 200 status",
			schedule: DefaultSchedule(),
			results:  []Result{{Status: 200, Err: errTimeout{}}, {Err: context.DeadlineExceeded}, ok},
			wantSteps: []step{
				{at: 0, elapsed: 0, next: s, status: 200},
				{at: s, elapsed: s, next: 5 * s},
				{at: 6 * s, elapsed: 6 * s, status: 200, final: true},
			},
			wantWaits:     []wait{{2, s, s}, {3, 5 * s, 5 * s}},
			wantDelivered: true,
			wantElapsed:   6 * s,
			wantSummary:   "delivered on attempt 3 at T+6s",
		},
		{
			name:     "delays count from the end of each attempt",
			schedule: DefaultSchedule(),
			results:  []Result{{Status: 500, Latency: 2 * s}, {Err: errTimeout{}, Latency: 3 * s}, {Status: 200, Latency: s}},
			wantSteps: []step{
				{at: 0, elapsed: 0, next: s, status: 500},
				{at: s, elapsed: 2*s + s, next: 5 * s},
				{at: 6 * s, elapsed: 2*s + s + 3*s + 5*s, status: 200, final: true},
			},
			wantWaits:     []wait{{2, s, s}, {3, 5 * s, 5 * s}},
			wantDelivered: true,
			wantElapsed:   2*s + s + 3*s + 5*s + s,
			wantSummary:   "delivered on attempt 3 at T+6s",
		},
		{
			name:     "speed 3600 waits an hour in a second",
			schedule: DefaultSchedule(),
			speed:    3600,
			results:  []Result{fail},
			wantSteps: []step{
				{at: 0, elapsed: 0, next: s, status: 500},
				{at: s, elapsed: 277778, next: 5 * s, status: 500},
				{at: 6 * s, elapsed: 277778 + 1388889, next: 10 * s, status: 500},
				{at: 16 * s, elapsed: 277778 + 1388889 + 2777778, next: h, status: 500},
				{at: h + 16*s, elapsed: 277778 + 1388889 + 2777778 + s, next: 6 * h, status: 500},
				{at: 7*h + 16*s, elapsed: 277778 + 1388889 + 2777778 + 7*s, status: 500, final: true},
			},
			wantWaits:   []wait{{2, s, 277778}, {3, 5 * s, 1388889}, {4, 10 * s, 2777778}, {5, h, s}, {6, 6 * h, 6 * s}},
			wantElapsed: 277778 + 1388889 + 2777778 + 7*s,
			wantSummary: "gave up after 6 attempts at T+7h0m16s: Hospitable would not deliver this event again",
		},
		{
			name:     "speed does not scale attempt latency",
			schedule: Schedule{h},
			speed:    3600,
			results:  []Result{{Status: 500, Latency: 2 * s}, {Status: 200, Latency: 2 * s}},
			wantSteps: []step{
				{at: 0, elapsed: 0, next: h, status: 500},
				{at: h, elapsed: 2*s + s, status: 200, final: true},
			},
			wantWaits:     []wait{{2, h, s}},
			wantDelivered: true,
			wantElapsed:   2*s + s + 2*s,
			wantSummary:   "delivered on attempt 2 at T+1h",
		},
		{
			name:        "empty schedule is a single attempt",
			schedule:    Schedule{},
			results:     []Result{fail},
			wantSteps:   []step{{at: 0, elapsed: 0, status: 500, final: true}},
			wantElapsed: 0,
			wantSummary: "gave up after 1 attempt at T+0s: Hospitable would not deliver this event again",
		},
		{
			name:          "first attempt delivers",
			schedule:      DefaultSchedule(),
			results:       []Result{ok},
			wantSteps:     []step{{at: 0, elapsed: 0, status: 200, final: true}},
			wantDelivered: true,
			wantSummary:   "delivered on attempt 1 at T+0s",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := clock.NewVirtual(runStart)
			var reported []Attempt
			var waits []wait
			var numbers []int
			attempt := script(v, tt.results...)
			r := &Retrier{
				Clock:     v,
				Schedule:  tt.schedule,
				Speed:     tt.speed,
				OnAttempt: func(a Attempt) { reported = append(reported, a) },
				OnWait: func(next int, delay, realWait time.Duration) {
					waits = append(waits, wait{next, delay, realWait})
				},
			}
			out, err := r.Run(context.Background(), func(ctx context.Context, n int) Result {
				numbers = append(numbers, n)
				return attempt(ctx, n)
			})
			if err != nil {
				t.Fatalf("Run() error = %v, want nil", err)
			}
			if got := steps(out.Attempts); !slices.Equal(got, tt.wantSteps) {
				t.Errorf("Run() attempts =\n%+v\nwant\n%+v", got, tt.wantSteps)
			}
			if got := steps(reported); !slices.Equal(got, tt.wantSteps) {
				t.Errorf("OnAttempt got\n%+v\nwant\n%+v", got, tt.wantSteps)
			}
			if !slices.Equal(waits, tt.wantWaits) {
				t.Errorf("OnWait got %+v, want %+v", waits, tt.wantWaits)
			}
			if want := seq(len(tt.wantSteps)); !slices.Equal(numbers, want) {
				t.Errorf("attempt called with %v, want %v", numbers, want)
			}
			if out.Delivered != tt.wantDelivered || out.Interrupted {
				t.Errorf("Run() Delivered, Interrupted = %v, %v, want %v, false", out.Delivered, out.Interrupted, tt.wantDelivered)
			}
			if want := tt.wantSteps[len(tt.wantSteps)-1].at; out.ScheduleTime != want {
				t.Errorf("Run() ScheduleTime = %v, want %v", out.ScheduleTime, want)
			}
			if out.Elapsed != tt.wantElapsed {
				t.Errorf("Run() Elapsed = %v, want %v", out.Elapsed, tt.wantElapsed)
			}
			if got := v.Now().Sub(runStart); got != tt.wantElapsed {
				t.Errorf("virtual clock moved %v, want %v", got, tt.wantElapsed)
			}
			if got := out.Summary(); got != tt.wantSummary {
				t.Errorf("Summary() = %q, want %q", got, tt.wantSummary)
			}
		})
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// interruption is one case of TestRetrierRunInterrupted.
type interruption struct {
	name string
	// cancelAt names the moment to cancel: "start" before Run, "wait" in OnWait before the
	// second retry, "attempt" inside attempt 2.
	cancelAt      string
	attemptStatus int
	wantAttempts  int
	wantElapsed   time.Duration
	wantErr       error
	wantSummary   string
	wantVerdict   string
}

func TestRetrierRunInterrupted(t *testing.T) {
	tests := []interruption{
		{
			name:         "before the first attempt",
			cancelAt:     "start",
			wantAttempts: 0,
			wantErr:      context.Canceled,
			wantSummary:  "interrupted before the first attempt",
		},
		{
			name:         "during a wait",
			cancelAt:     "wait",
			wantAttempts: 2,
			wantElapsed:  time.Second,
			wantErr:      context.Canceled,
			wantSummary:  "interrupted after attempt 2 at T+1s, before the retry due at T+6s",
			wantVerdict:  "500 Internal Server Error, not 200: Hospitable retries in 5s",
		},
		{
			name:         "during an attempt",
			cancelAt:     "attempt",
			wantAttempts: 2,
			wantElapsed:  time.Second,
			wantErr:      context.Canceled,
			wantSummary:  "interrupted during attempt 2 at T+1s",
			wantVerdict:  "context canceled: run interrupted",
		},
		{
			name:          "a 200 that beat the interruption still counts",
			cancelAt:      "attempt",
			attemptStatus: 200,
			wantAttempts:  2,
			wantElapsed:   time.Second,
			wantSummary:   "delivered on attempt 2 at T+1s",
			wantVerdict:   "200 OK: delivered",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := tt.run()
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("Run() error = %v, want %v", err, tt.wantErr)
			}
			if len(out.Attempts) != tt.wantAttempts {
				t.Fatalf("Run() made %d attempts, want %d", len(out.Attempts), tt.wantAttempts)
			}
			tt.checkOutcome(t, out)
		})
	}
}

// run runs the default schedule on a virtual clock against an endpoint that
// answers 500, and cancels the run at tt.cancelAt. Attempt 2, when it is
// cancelled, answers attemptStatus if set, else the context's error.
func (tt interruption) run() (Outcome, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if tt.cancelAt == "start" {
		cancel()
	}
	r := &Retrier{
		Clock:    clock.NewVirtual(runStart),
		Schedule: DefaultSchedule(),
		OnWait: func(next int, _, _ time.Duration) {
			if tt.cancelAt == "wait" && next == 3 {
				cancel()
			}
		},
	}
	return r.Run(ctx, func(ctx context.Context, n int) Result {
		if tt.cancelAt == "attempt" && n == 2 {
			cancel()
			if tt.attemptStatus != 0 {
				return Result{Status: tt.attemptStatus}
			}
			return Result{Err: ctx.Err()}
		}
		return Result{Status: 500}
	})
}

// checkOutcome compares what an interrupted run reports with tt.
func (tt interruption) checkOutcome(t *testing.T, out Outcome) {
	t.Helper()
	if out.Interrupted != (tt.wantErr != nil) {
		t.Errorf("Run() Interrupted = %v, want %v", out.Interrupted, tt.wantErr != nil)
	}
	if out.Elapsed != tt.wantElapsed {
		t.Errorf("Run() Elapsed = %v, want %v (a cancelled wait must not move the clock)", out.Elapsed, tt.wantElapsed)
	}
	if got := out.Summary(); got != tt.wantSummary {
		t.Errorf("Summary() = %q, want %q", got, tt.wantSummary)
	}
	if tt.wantAttempts > 0 {
		if got := out.Attempts[tt.wantAttempts-1].Verdict(); got != tt.wantVerdict {
			t.Errorf("last Verdict() = %q, want %q", got, tt.wantVerdict)
		}
	}
}

// TestRetrierRunCancelRealWait cancels a run while it waits an hour on the real clock: Run must
// return at once rather than finish the wait. Nothing here sleeps.
func TestRetrierRunCancelRealWait(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	waiting := make(chan struct{})
	type ran struct {
		out Outcome
		err error
	}
	done := make(chan ran, 1)
	r := &Retrier{
		Clock:    clock.Real(),
		Schedule: Schedule{time.Hour},
		OnWait:   func(int, time.Duration, time.Duration) { close(waiting) },
	}
	go func() {
		out, err := r.Run(ctx, func(context.Context, int) Result { return Result{Status: 500} })
		done <- ran{out, err}
	}()
	<-waiting
	cancel()
	select {
	case got := <-done:
		if !errors.Is(got.err, context.Canceled) {
			t.Errorf("Run() error = %v, want %v", got.err, context.Canceled)
		}
		if len(got.out.Attempts) != 1 || !got.out.Interrupted {
			t.Errorf("Run() = %d attempts, Interrupted %v, want 1, true", len(got.out.Attempts), got.out.Interrupted)
		}
	case <-time.After(time.Minute):
		t.Fatal("Run() still waiting a minute after its context was cancelled")
	}
}

// TestRetrierRunNilClock checks that a Retrier without a Clock uses the real one; the schedule
// has only zero delays, so nothing waits.
func TestRetrierRunNilClock(t *testing.T) {
	r := &Retrier{Schedule: Schedule{0, 0}}
	out, err := r.Run(context.Background(), func(context.Context, int) Result { return Result{Status: 418} })
	if err != nil {
		t.Fatalf("Run() error = %v, want nil", err)
	}
	if len(out.Attempts) != 3 || out.Delivered {
		t.Errorf("Run() = %d attempts, Delivered %v, want 3, false", len(out.Attempts), out.Delivered)
	}
}

func TestRealWait(t *testing.T) {
	tests := []struct {
		speed float64
		delay time.Duration
		want  time.Duration
	}{
		{speed: 0, delay: time.Hour, want: time.Hour},
		{speed: -5, delay: time.Hour, want: time.Hour},
		{speed: 1, delay: time.Hour, want: time.Hour},
		{speed: math.NaN(), delay: time.Hour, want: time.Hour},
		{speed: 3600, delay: time.Hour, want: time.Second},
		{speed: 3600, delay: 6 * time.Hour, want: 6 * time.Second},
		{speed: 3600, delay: time.Second, want: 277778 * time.Nanosecond},
		{speed: 2, delay: 5 * time.Second, want: 2500 * time.Millisecond},
		{speed: 0.5, delay: 5 * time.Second, want: 10 * time.Second},
		{speed: math.Inf(1), delay: time.Hour, want: 0},
		{speed: 1e-9, delay: 6 * time.Hour, want: math.MaxInt64},
		{speed: 3600, delay: 0, want: 0},
		{speed: 3600, delay: -time.Second, want: 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v at %g", tt.delay, tt.speed), func(t *testing.T) {
			r := &Retrier{Speed: tt.speed}
			if got := r.realWait(tt.delay); got != tt.want {
				t.Errorf("realWait(%v) at speed %g = %v, want %v", tt.delay, tt.speed, got, tt.want)
			}
		})
	}
}

func TestResultSuccess(t *testing.T) {
	tests := []struct {
		name string
		r    Result
		want bool
	}{
		{name: "200", r: Result{Status: 200}, want: true},
		{name: "201", r: Result{Status: 201}},
		{name: "204", r: Result{Status: 204}},
		{name: "500", r: Result{Status: 500}},
		{name: "no status", r: Result{}},
		{name: "200 with an error", r: Result{Status: 200, Err: errors.New("body cut short")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Success(); got != tt.want {
				t.Errorf("%+v.Success() = %v, want %v", tt.r, got, tt.want)
			}
		})
	}
}

func TestAttemptVerdict(t *testing.T) {
	refused := fmt.Errorf("Post \"http://127.0.0.1:5000/webhooks/hospitable\": dial tcp 127.0.0.1:5000: %w", syscall.ECONNREFUSED)
	tests := []struct {
		name string
		a    Attempt
		want string
	}{
		{name: "delivered", a: Attempt{Result: Result{Status: 200}, Final: true}, want: "200 OK: delivered"},
		{name: "500", a: Attempt{Result: Result{Status: 500}, NextDelay: 5 * time.Second}, want: "500 Internal Server Error, not 200: Hospitable retries in 5s"},
		{name: "204", a: Attempt{Result: Result{Status: 204}, NextDelay: 10 * time.Second}, want: "204 No Content, not 200: Hospitable retries in 10s"},
		{name: "201 last", a: Attempt{Result: Result{Status: 201}, Final: true}, want: "201 Created, not 200: schedule exhausted"},
		{name: "timeout", a: Attempt{Result: Result{Err: errTimeout{}}, NextDelay: time.Hour}, want: "timed out: Hospitable retries in 1h"},
		{name: "deadline", a: Attempt{Result: Result{Err: fmt.Errorf("post: %w", context.DeadlineExceeded)}, NextDelay: 6 * time.Hour}, want: "timed out: Hospitable retries in 6h"},
		{
			name: "connection refused",
			a:    Attempt{Result: Result{Err: refused}, NextDelay: time.Second},
			want: `Post "http://127.0.0.1:5000/webhooks/hospitable": dial tcp 127.0.0.1:5000: connection refused: Hospitable retries in 1s`,
		},
		{name: "last failure", a: Attempt{Result: Result{Status: 503}, Final: true}, want: "503 Service Unavailable, not 200: schedule exhausted"},
		{name: "last timeout", a: Attempt{Result: Result{Err: errTimeout{}}, Final: true}, want: "timed out: schedule exhausted"},
		{name: "unnamed status", a: Attempt{Result: Result{Status: 599}, NextDelay: time.Second}, want: "599, not 200: Hospitable retries in 1s"},
		{name: "redirect", a: Attempt{Result: Result{Status: 302}, NextDelay: time.Second}, want: "302 Found, not 200: Hospitable retries in 1s"},
		{name: "no status", a: Attempt{NextDelay: time.Second}, want: "no answer: Hospitable retries in 1s"},
		{name: "zero delay", a: Attempt{Result: Result{Status: 500}}, want: "500 Internal Server Error, not 200: Hospitable retries in 0s"},
		{name: "interrupted", a: Attempt{Result: Result{Err: context.Canceled}, Final: true, Interrupted: true}, want: "context canceled: run interrupted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Verdict(); got != tt.want {
				t.Errorf("Verdict() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOutcomeSummary(t *testing.T) {
	tests := []struct {
		name string
		o    Outcome
		want string
	}{
		{name: "zero", o: Outcome{}, want: "no attempt made"},
		{
			name: "delivered",
			o:    Outcome{Delivered: true, Attempts: make([]Attempt, 3), ScheduleTime: 6 * time.Second},
			want: "delivered on attempt 3 at T+6s",
		},
		{
			name: "gave up",
			o:    Outcome{Attempts: make([]Attempt, 6), ScheduleTime: 7*time.Hour + 16*time.Second},
			want: "gave up after 6 attempts at T+7h0m16s: Hospitable would not deliver this event again",
		},
		{
			name: "gave up after one",
			o:    Outcome{Attempts: make([]Attempt, 1)},
			want: "gave up after 1 attempt at T+0s: Hospitable would not deliver this event again",
		},
		{
			name: "interrupted before a retry",
			o:    Outcome{Interrupted: true, Attempts: []Attempt{{}, {}, {}, {NextDelay: time.Hour}}, ScheduleTime: 16 * time.Second},
			want: "interrupted after attempt 4 at T+16s, before the retry due at T+1h0m16s",
		},
		{
			name: "interrupted during an attempt",
			o:    Outcome{Interrupted: true, Attempts: []Attempt{{}, {Final: true, Interrupted: true}}, ScheduleTime: time.Second},
			want: "interrupted during attempt 2 at T+1s",
		},
		{
			name: "interrupted after a final failure",
			o:    Outcome{Interrupted: true, Attempts: []Attempt{{Final: true}}},
			want: "interrupted after attempt 1 at T+0s",
		},
		{name: "interrupted before any attempt", o: Outcome{Interrupted: true}, want: "interrupted before the first attempt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.Summary(); got != tt.want {
				t.Errorf("Summary() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAttemptNoteAfterTimeout(t *testing.T) {
	tests := []struct {
		name string
		a    Attempt
		want string // "" for no note
	}{
		{"timeout then retry", Attempt{Result: Result{Err: errTimeout{}}, NextDelay: time.Hour}, "the retry will run it again"},
		{"deadline then retry", Attempt{Result: Result{Err: fmt.Errorf("post: %w", context.DeadlineExceeded)}, NextDelay: time.Second}, "may have done the work although the sender gave up"},
		{"last timeout", Attempt{Result: Result{Err: errTimeout{}}, Final: true}, "counts the delivery as failed"},
		{"500", Attempt{Result: Result{Status: 500}, NextDelay: time.Second}, ""},
		{"interrupted", Attempt{Result: Result{Err: context.Canceled}, Final: true, Interrupted: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.a.Note()
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("Note() = %q, want one containing %q", got, tt.want)
			}
		})
	}
}
