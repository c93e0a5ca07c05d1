package deliver

import (
	"testing"
	"time"
)

func TestPace(t *testing.T) {
	tests := []struct {
		name    string
		rate    Rate
		elapsed time.Duration
		sent    int64
		want    time.Duration
	}{
		{"no rate", Rate{}, 0, 100, 0},
		{"the first starts at once", Rate{10, time.Second}, 0, 0, 0},
		{"the second waits a tenth", Rate{10, time.Second}, 0, 1, 100 * time.Millisecond},
		{"part of the wait is over", Rate{10, time.Second}, 30 * time.Millisecond, 1, 70 * time.Millisecond},
		{"due exactly", Rate{10, time.Second}, 100 * time.Millisecond, 1, 0},
		{"behind: catch up at once", Rate{10, time.Second}, 5 * time.Second, 20, 0},
		{"ahead: wait for the slot", Rate{10, time.Second}, time.Second, 20, time.Second},
		{"per minute", Rate{6, time.Minute}, 0, 1, 10 * time.Second},
		{"uneven division", Rate{3, time.Second}, 0, 1, 333333333 * time.Nanosecond},
		{"whole periods then the rest", Rate{3, time.Second}, 0, 4, time.Second + 333333333*time.Nanosecond},
		{"large counts do not overflow", Rate{1000, time.Second}, 0, 1 << 40, 1099511627*time.Second + 776*time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rate.Pace(tt.elapsed, tt.sent); got != tt.want {
				t.Errorf("%v.Pace(%v, %d) = %v, want %v", tt.rate, tt.elapsed, tt.sent, got, tt.want)
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    Rate
		wantErr bool
	}{
		{"100", Rate{100, time.Second}, false},
		{"100/s", Rate{100, time.Second}, false},
		{" 600 / m ", Rate{600, time.Minute}, false},
		{"5/h", Rate{5, time.Hour}, false},
		{"10/100ms", Rate{10, 100 * time.Millisecond}, false},
		{"0/s", Rate{}, true},
		{"-1", Rate{}, true},
		{"x/s", Rate{}, true},
		{"10/fortnight", Rate{}, true},
		{"10/-1s", Rate{}, true},
		{"", Rate{}, true},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	for _, r := range []Rate{{100, time.Second}, {6, time.Minute}, {10, 100 * time.Millisecond}} {
		if back, err := ParseRate(r.String()); err != nil || back != r {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", r.String(), back, err, r)
		}
	}
}

func TestLatencies(t *testing.T) {
	var l Latencies
	if l.Percentile(50) != 0 || l.Max() != 0 || l.Mean() != 0 {
		t.Error("empty Latencies should answer 0")
	}
	var other Latencies
	for i := 100; i >= 1; i-- {
		if i%2 == 0 {
			l.Add(time.Duration(i) * time.Millisecond)
		} else {
			other.Add(time.Duration(i) * time.Millisecond)
		}
	}
	l.Merge(&other)
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 90: 90 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 0.1: time.Millisecond} {
		if got := l.Percentile(p); got != want {
			t.Errorf("Percentile(%v) = %v, want %v", p, got, want)
		}
	}
	if l.Max() != 100*time.Millisecond || l.Mean() != 50500*time.Microsecond || l.Len() != 100 {
		t.Errorf("Max %v Mean %v Len %d", l.Max(), l.Mean(), l.Len())
	}
}
