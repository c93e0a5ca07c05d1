package deliver

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Schedule is a retry schedule: the delays Hospitable waits before each retry, in order, each
// measured from the end of the failed attempt before it. A Schedule of n delays allows n+1
// attempts; an empty (or nil) Schedule means a single attempt and no retries.
type Schedule []time.Duration

// noRetries is how an empty Schedule is written, so that "no retries" is something a user asks
// for by name rather than what an unset variable in `--schedule "$S"` silently turns into.
const noRetries = "none"

// DefaultSchedule returns Hospitable's documented schedule: retries 1s, 5s, 10s, 1h and 6h after
// the failed attempt before each, six attempts in all.
func DefaultSchedule() Schedule {
	return Schedule{time.Second, 5 * time.Second, 10 * time.Second, time.Hour, 6 * time.Hour}
}

// ParseSchedule reads a schedule written as comma-separated Go durations, such as
// "1s,5s,10s,1h,6h"; spaces around items are ignored. "none" is the empty schedule (a single
// attempt). Delays may be zero but not negative, and items may not be empty.
func ParseSchedule(s string) (Schedule, error) {
	text := strings.TrimSpace(s)
	switch {
	case text == "":
		return nil, fmt.Errorf("bad schedule %q: it is empty (pass delays like 1s,5s,10s,1h,6h, or none for a single attempt)", s)
	case strings.EqualFold(text, noRetries):
		return Schedule{}, nil
	}
	items := strings.Split(text, ",")
	sched := make(Schedule, 0, len(items))
	var total time.Duration
	for i, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("bad schedule %q: delay %d is empty (separate delays with single commas, like 1s,5s,10s)", s, i+1)
		}
		d, err := time.ParseDuration(item)
		if err != nil {
			// A bare number is the likeliest slip ("5" for "5s"): name the fix.
			if f, numErr := strconv.ParseFloat(item, 64); numErr == nil && f >= 0 && !math.IsInf(f, 0) {
				return nil, fmt.Errorf("bad schedule %q: %q has no unit (write %ss for seconds, or use m or h)", s, item, item)
			}
			return nil, fmt.Errorf("bad schedule %q: %q is not a duration (use Go durations like 1s, 5m, 1h)", s, item)
		}
		if d < 0 {
			return nil, fmt.Errorf("bad schedule %q: %q is negative (a delay is a wait: use 0s or more)", s, item)
		}
		// Offsets sums the delays; refuse a schedule whose sum a Duration cannot hold.
		if d > math.MaxInt64-total {
			return nil, fmt.Errorf("bad schedule %q: the delays add up to more than %s (use shorter delays)", s, FormatDuration(math.MaxInt64))
		}
		total += d
		sched = append(sched, d)
	}
	return sched, nil
}

// String writes the schedule the way ParseSchedule reads it, with durations shortened by
// FormatDuration: "1s,5s,10s,1h,6h", or "none" when there are no retries.
func (s Schedule) String() string {
	if len(s) == 0 {
		return noRetries
	}
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = FormatDuration(d)
	}
	return strings.Join(parts, ",")
}

// MaxAttempts returns how many attempts the schedule allows: the first one and one per delay.
func (s Schedule) MaxAttempts() int {
	return len(s) + 1
}

// Offsets returns the schedule time of each attempt, counted from the first: 0 and then the
// running sum of the delays (0s, 1s, 6s, 16s, 1h0m16s, 7h0m16s for the default). Schedule time
// leaves out how long the attempts themselves take, as Hospitable's documentation does.
func (s Schedule) Offsets() []time.Duration {
	offsets := make([]time.Duration, 0, s.MaxAttempts())
	var at time.Duration
	offsets = append(offsets, at)
	for _, d := range s {
		at += d
		offsets = append(offsets, at)
	}
	return offsets
}

// FormatDuration writes d as time.Duration.String does, less the zero units at its end, which
// are noise in a timeline: "6s", "1h0m16s", "1h" rather than "1h0m0s", "5m" rather than
// "5m0s", and "0s" for zero. time.ParseDuration reads the result back to d.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
