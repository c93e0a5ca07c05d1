package deliver

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Schedule
		wantErr string
	}{
		{name: "hospitable", in: "1s,5s,10s,1h,6h", want: DefaultSchedule()},
		{name: "spaces", in: " 1s , 5s,\t10s ,1h, 6h ", want: DefaultSchedule()},
		{name: "long forms", in: "1s,5s,10s,1h0m0s,6h0m0s", want: DefaultSchedule()},
		{name: "custom", in: "2s,2s", want: Schedule{2 * time.Second, 2 * time.Second}},
		{name: "one delay", in: "30m", want: Schedule{30 * time.Minute}},
		{name: "sub-second", in: "250ms,1.5s", want: Schedule{250 * time.Millisecond, 1500 * time.Millisecond}},
		{name: "zero delay is allowed", in: "0s,1s", want: Schedule{0, time.Second}},
		{name: "none", in: "none", want: Schedule{}},
		{name: "none any case with spaces", in: " None ", want: Schedule{}},
		{
			name:    "empty",
			in:      "",
			wantErr: `bad schedule "": it is empty (pass delays like 1s,5s,10s,1h,6h, or none for a single attempt)`,
		},
		{
			name:    "blank",
			in:      "   ",
			wantErr: `bad schedule "   ": it is empty (pass delays like 1s,5s,10s,1h,6h, or none for a single attempt)`,
		},
		{
			name:    "not a duration",
			in:      "1s,x",
			wantErr: `bad schedule "1s,x": "x" is not a duration (use Go durations like 1s, 5m, 1h)`,
		},
		{
			name:    "no unit",
			in:      "1s,5",
			wantErr: `bad schedule "1s,5": "5" has no unit (write 5s for seconds, or use m or h)`,
		},
		{
			name:    "days are not a Go unit",
			in:      "1d",
			wantErr: `bad schedule "1d": "1d" is not a duration (use Go durations like 1s, 5m, 1h)`,
		},
		{
			name:    "negative",
			in:      "1s,-5s",
			wantErr: `bad schedule "1s,-5s": "-5s" is negative (a delay is a wait: use 0s or more)`,
		},
		{
			name:    "negative bare number",
			in:      "-5",
			wantErr: `bad schedule "-5": "-5" is not a duration (use Go durations like 1s, 5m, 1h)`,
		},
		{
			name:    "empty item",
			in:      "1s,,5s",
			wantErr: `bad schedule "1s,,5s": delay 2 is empty (separate delays with single commas, like 1s,5s,10s)`,
		},
		{
			name:    "trailing comma",
			in:      "1s,5s,",
			wantErr: `bad schedule "1s,5s,": delay 3 is empty (separate delays with single commas, like 1s,5s,10s)`,
		},
		{
			name:    "none among delays",
			in:      "1s,none",
			wantErr: `bad schedule "1s,none": "none" is not a duration (use Go durations like 1s, 5m, 1h)`,
		},
		{
			name:    "sum overflows",
			in:      "2562047h,1h",
			wantErr: `bad schedule "2562047h,1h": the delays add up to more than 2562047h47m16.854775807s (use shorter delays)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSchedule(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseSchedule(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("ParseSchedule(%q) = %v with an error, want nil", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSchedule(%q) error = %v, want nil", tt.in, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ParseSchedule(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestScheduleString(t *testing.T) {
	tests := []struct {
		name string
		s    Schedule
		want string
	}{
		{name: "default", s: DefaultSchedule(), want: "1s,5s,10s,1h,6h"},
		{name: "custom", s: Schedule{2 * time.Second, 2 * time.Second}, want: "2s,2s"},
		{name: "mixed units", s: Schedule{90 * time.Minute, 250 * time.Millisecond, 0}, want: "1h30m,250ms,0s"},
		{name: "empty", s: Schedule{}, want: "none"},
		{name: "nil", s: nil, want: "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.String()
			if got != tt.want {
				t.Errorf("%#v.String() = %q, want %q", tt.s, got, tt.want)
			}
			back, err := ParseSchedule(got)
			if err != nil || !slices.Equal(back, tt.s) {
				t.Errorf("ParseSchedule(%q) = %v, %v, want %v (round trip)", got, back, err, tt.s)
			}
		})
	}
}

func TestScheduleOffsets(t *testing.T) {
	tests := []struct {
		name string
		s    Schedule
		want []time.Duration
	}{
		{
			name: "default",
			s:    DefaultSchedule(),
			want: []time.Duration{0, time.Second, 6 * time.Second, 16 * time.Second, time.Hour + 16*time.Second, 7*time.Hour + 16*time.Second},
		},
		{name: "custom", s: Schedule{2 * time.Second, 2 * time.Second}, want: []time.Duration{0, 2 * time.Second, 4 * time.Second}},
		{name: "none", s: Schedule{}, want: []time.Duration{0}},
		{name: "nil", s: nil, want: []time.Duration{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Offsets()
			if !slices.Equal(got, tt.want) {
				t.Errorf("%v.Offsets() = %v, want %v", tt.s, got, tt.want)
			}
			if n := tt.s.MaxAttempts(); n != len(tt.want) {
				t.Errorf("%v.MaxAttempts() = %d, want %d", tt.s, n, len(tt.want))
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{d: 0, want: "0s"},
		{d: 6 * time.Second, want: "6s"},
		{d: 16 * time.Second, want: "16s"},
		{d: time.Hour, want: "1h"},
		{d: 6 * time.Hour, want: "6h"},
		{d: 5 * time.Minute, want: "5m"},
		{d: 10 * time.Minute, want: "10m"},
		{d: time.Hour + 10*time.Minute, want: "1h10m"},
		{d: time.Hour + 16*time.Second, want: "1h0m16s"},
		{d: 7*time.Hour + 16*time.Second, want: "7h0m16s"},
		{d: time.Hour + 500*time.Millisecond, want: "1h0m0.5s"},
		{d: 1500 * time.Millisecond, want: "1.5s"},
		{d: 277778 * time.Nanosecond, want: "277.778µs"},
		{d: -time.Hour, want: "-1h"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got := FormatDuration(tt.d)
			if got != tt.want {
				t.Errorf("FormatDuration(%v) = %q, want %q", tt.d, got, tt.want)
			}
			if back, err := time.ParseDuration(got); err != nil || back != tt.d {
				t.Errorf("time.ParseDuration(%q) = %v, %v, want %v", got, back, err, tt.d)
			}
		})
	}
}

// FuzzParseSchedule checks that any text either fails cleanly or gives a schedule of
// non-negative delays that writes back to itself.
func FuzzParseSchedule(f *testing.F) {
	for _, seed := range []string{"1s,5s,10s,1h,6h", "2s,2s", "none", "", "1s,,x", "-5s", "5", "2562047h47m16.854775807s", " 1.5s , 0s "} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSchedule(in)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "bad schedule ") {
				t.Errorf("ParseSchedule(%q) error = %q, want it to start %q", in, err, "bad schedule ")
			}
			return
		}
		var total time.Duration
		for _, d := range s {
			if d < 0 || d > math.MaxInt64-total {
				t.Fatalf("ParseSchedule(%q) = %v, want non-negative delays with a sum that fits", in, s)
			}
			total += d
		}
		back, err := ParseSchedule(s.String())
		if err != nil || !slices.Equal(back, s) {
			t.Errorf("ParseSchedule(%q) = %v, %v, want %v (round trip of %q)", s.String(), back, err, s, in)
		}
	})
}
