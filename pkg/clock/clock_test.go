package clock

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

var start = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func TestVirtualSleep(t *testing.T) {
	tests := []struct {
		name   string
		sleeps []time.Duration
		want   time.Duration
	}{
		{name: "nothing", want: 0},
		{name: "one second", sleeps: []time.Duration{time.Second}, want: time.Second},
		{name: "hospitable schedule", sleeps: []time.Duration{time.Second, 5 * time.Second, 10 * time.Second, time.Hour, 6 * time.Hour}, want: 7*time.Hour + 16*time.Second},
		{name: "zero and negative do not move", sleeps: []time.Duration{0, -time.Hour, 3 * time.Second}, want: 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := NewVirtual(start)
			for _, d := range tt.sleeps {
				if err := v.Sleep(context.Background(), d); err != nil {
					t.Fatalf("Sleep(%v) = %v, want nil", d, err)
				}
			}
			if got := v.Now().Sub(start); got != tt.want {
				t.Errorf("Now() - start = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVirtualSleepDoneContext(t *testing.T) {
	v := NewVirtual(start)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := v.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(cancelled, 1h) = %v, want %v", err, context.Canceled)
	}
	if got := v.Now(); !got.Equal(start) {
		t.Errorf("Now() after a cancelled Sleep = %v, want %v (unmoved)", got, start)
	}
}

func TestVirtualAdvance(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		want time.Duration
	}{
		{name: "forward", d: 90 * time.Minute, want: 90 * time.Minute},
		{name: "zero", d: 0, want: 0},
		{name: "backwards is ignored", d: -time.Second, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := NewVirtual(start)
			v.Advance(tt.d)
			if got := v.Now().Sub(start); got != tt.want {
				t.Errorf("Advance(%v): Now() - start = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func TestVirtualConcurrent(t *testing.T) {
	v := NewVirtual(start)
	const n = 50
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_ = v.Now()
			_ = v.Sleep(context.Background(), time.Second)
			v.Advance(time.Second)
		})
	}
	wg.Wait()
	if got, want := v.Now().Sub(start), 2*n*time.Second; got != want {
		t.Errorf("Now() - start = %v, want %v", got, want)
	}
}

// TestRealSleep is the one test that really waits, and only for a millisecond or two: it checks
// that the wall clock waits, and that a deadline cuts a long wait short.
func TestRealSleep(t *testing.T) {
	c := Real()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	short, cancelShort := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancelShort()

	tests := []struct {
		name    string
		ctx     context.Context
		d       time.Duration
		wantErr error
		atLeast time.Duration
	}{
		{name: "waits", ctx: context.Background(), d: time.Millisecond, atLeast: time.Millisecond},
		{name: "zero does not wait", ctx: context.Background(), d: 0},
		{name: "already cancelled", ctx: cancelled, d: time.Hour, wantErr: context.Canceled},
		{name: "deadline cuts an hour short", ctx: short, d: time.Hour, wantErr: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			began := c.Now()
			err := c.Sleep(tt.ctx, tt.d)
			took := c.Now().Sub(began)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Sleep(%v) = %v, want %v", tt.d, err, tt.wantErr)
			}
			if took < tt.atLeast {
				t.Errorf("Sleep(%v) took %v, want at least %v", tt.d, took, tt.atLeast)
			}
		})
	}
}
