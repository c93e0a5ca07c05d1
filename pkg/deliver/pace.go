package deliver

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate is a steady pace: Freq deliveries every Per. The zero Rate means no
// pacing: each worker posts again as soon as it has its answer.
type Rate struct {
	// Freq is how many deliveries start every Per.
	Freq int
	// Per is the period Freq is counted over.
	Per time.Duration
}

// ParseRate reads a pace written as `N`, `N/s`, `N/m`, `N/h` or `N/<duration>`
// (like 10/100ms): N deliveries per second, minute, hour or duration.
func ParseRate(s string) (Rate, error) {
	num, unit, found := strings.Cut(strings.TrimSpace(s), "/")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n <= 0 {
		return Rate{}, fmt.Errorf("bad rate %q: write it as deliveries per period, like 100/s, 600/m or 10/100ms", s)
	}
	per := time.Second
	if found {
		switch u := strings.TrimSpace(unit); u {
		case "s":
		case "m":
			per = time.Minute
		case "h":
			per = time.Hour
		default:
			if per, err = time.ParseDuration(u); err != nil || per <= 0 {
				return Rate{}, fmt.Errorf("bad rate %q: the period %q is not s, m, h or a duration like 100ms", s, u)
			}
		}
	}
	return Rate{Freq: n, Per: per}, nil
}

// IsZero reports whether r sets no pace.
func (r Rate) IsZero() bool { return r.Freq <= 0 || r.Per <= 0 }

// String writes r as ParseRate reads it, per second when it can.
func (r Rate) String() string {
	switch {
	case r.IsZero():
		return "unlimited"
	case r.Per == time.Second:
		return fmt.Sprintf("%d/s", r.Freq)
	case r.Per == time.Minute:
		return fmt.Sprintf("%d/m", r.Freq)
	case r.Per == time.Hour:
		return fmt.Sprintf("%d/h", r.Freq)
	}
	return fmt.Sprintf("%d/%s", r.Freq, r.Per)
}

// PerSecond is the pace in deliveries a second.
func (r Rate) PerSecond() float64 {
	if r.IsZero() {
		return 0
	}
	return float64(r.Freq) / r.Per.Seconds()
}

// Pace says how long to wait, elapsed after the start, before delivery
// number sent (counting from 0) may start: 0 when it is due already. It is
// a pure function of its arguments, so a pacer that falls behind catches
// up at once instead of drifting, and it is tested without sleeping.
// Delivery n is due at n×Per/Freq.
func (r Rate) Pace(elapsed time.Duration, sent int64) time.Duration {
	if r.IsZero() || sent <= 0 {
		return 0
	}
	f := int64(r.Freq)
	// Whole periods first, then the rest, so that n×Per cannot overflow.
	due := time.Duration(sent/f)*r.Per + time.Duration(sent%f)*r.Per/time.Duration(f)
	if due <= elapsed {
		return 0
	}
	return due - elapsed
}
