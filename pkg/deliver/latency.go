package deliver

import (
	"math"
	"slices"
	"time"
)

// Latencies records how long deliveries took and answers percentiles. It
// keeps every sample (8 bytes each: 8 MB for a million deliveries), so the
// percentiles are exact; each load worker has its own and they are merged
// at the end, so recording needs no lock. The zero value is ready to use.
type Latencies struct {
	samples []time.Duration
	sorted  bool
}

// Add records one latency.
func (l *Latencies) Add(d time.Duration) {
	l.samples = append(l.samples, d)
	l.sorted = false
}

// Merge adds every sample of o.
func (l *Latencies) Merge(o *Latencies) {
	l.samples = append(l.samples, o.samples...)
	l.sorted = false
}

// Len is the number of samples.
func (l *Latencies) Len() int { return len(l.samples) }

func (l *Latencies) sort() {
	if !l.sorted {
		slices.Sort(l.samples)
		l.sorted = true
	}
}

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100): the
// smallest sample that at least p% of the samples do not exceed. It is 0
// with no samples.
func (l *Latencies) Percentile(p float64) time.Duration {
	if len(l.samples) == 0 {
		return 0
	}
	l.sort()
	rank := int(math.Ceil(float64(len(l.samples))*p/100)) - 1
	return l.samples[min(max(rank, 0), len(l.samples)-1)]
}

// Max is the slowest sample, 0 with none.
func (l *Latencies) Max() time.Duration {
	if len(l.samples) == 0 {
		return 0
	}
	l.sort()
	return l.samples[len(l.samples)-1]
}

// Mean is the average sample, 0 with none.
func (l *Latencies) Mean() time.Duration {
	if len(l.samples) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range l.samples {
		sum += d
	}
	return sum / time.Duration(len(l.samples))
}
