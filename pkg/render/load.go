package render

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// LoadSummary prints what `send --count` measured, laid out like hey's
// summary: the totals, the latency percentiles, a histogram of statuses,
// the transport errors by kind, and a verdict line.
func LoadSummary(w io.Writer, st *Styles, url string, r deliver.LoadResult) {
	fmt.Fprintf(w, "%s\n", st.Bold.Render("Summary:"))
	fmt.Fprintf(w, "  %-14s %s\n", "Target:", SafeURL(url))
	fmt.Fprintf(w, "  %-14s %.4f s\n", "Total:", r.Elapsed.Seconds())
	fmt.Fprintf(w, "  %-14s %.1f\n", "Deliveries/s:", r.PerSecond())
	fmt.Fprintf(w, "  %-14s %d of %d, %d at a time, pace %s\n", "Sent:", r.Sent, r.Count, r.Concurrency, r.Rate)
	fmt.Fprintf(w, "\n%s\n", st.Bold.Render("Latency:"))
	if r.Latency == nil || r.Latency.Len() == 0 {
		fmt.Fprintf(w, "  %s\n", st.Dim.Render("no answers"))
	} else {
		for _, p := range []struct {
			label string
			d     time.Duration
		}{
			{"p50", r.Latency.Percentile(50)}, {"p90", r.Latency.Percentile(90)}, {"p99", r.Latency.Percentile(99)},
			{"max", r.Latency.Max()}, {"mean", r.Latency.Mean()},
		} {
			fmt.Fprintf(w, "  %-5s %s\n", p.label, fineLatency(p.d))
		}
	}
	fmt.Fprintf(w, "\n%s\n", st.Bold.Render("Status:"))
	if len(r.Status) == 0 {
		fmt.Fprintf(w, "  %s\n", st.Dim.Render("none"))
	}
	for _, code := range slices.Sorted(maps.Keys(r.Status)) {
		fmt.Fprintf(w, "  %s %d\n", st.Status(code).Render(fmt.Sprintf("%-25s", verdict.StatusText(code))), r.Status[code])
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, "\n%s\n", st.Bold.Render("Transport errors:"))
		for _, kind := range slices.Sorted(maps.Keys(r.Errors)) {
			fmt.Fprintf(w, "  %s %d\n", st.Fail.Render(fmt.Sprintf("%-25s", kind)), r.Errors[kind])
		}
	}
	fmt.Fprintln(w)
	ok := r.Status[200]
	switch {
	case r.OK():
		fmt.Fprintf(w, "%s all %d deliveries answered 200\n", st.Tick(), r.Count)
	case r.Sent < r.Count:
		fmt.Fprintf(w, "%s interrupted: %d of %d sent, %d answered 200\n", st.Cross(), r.Sent, r.Count, ok)
	default:
		fmt.Fprintf(w, "%s %d of %d deliveries not answered 200 (Hospitable would retry them)\n", st.Cross(), r.Count-ok, r.Count)
	}
}

// fineLatency writes a latency with a precision that tells fast answers
// apart: "0.42ms", "12.3ms", "1.25s".
func fineLatency(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000)
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// LoadRecord is the `send --count --json` summary, one object.
type LoadRecord struct {
	URL         string `json:"url"`
	Count       int    `json:"count"`
	Sent        int    `json:"sent"`
	Concurrency int    `json:"concurrency"`
	// Rate is the pace asked for, as deliveries per second; 0 is unlimited.
	Rate      float64 `json:"rate_per_second"`
	TotalMS   float64 `json:"total_ms"`
	PerSecond float64 `json:"deliveries_per_second"`
	// LatencyMS holds p50, p90, p99, max and mean, in milliseconds.
	LatencyMS map[string]float64 `json:"latency_ms"`
	// Status counts the answers by status code.
	Status map[string]int `json:"status"`
	// Errors counts the deliveries with no answer, by kind.
	Errors map[string]int `json:"errors"`
	// OK is true when every delivery was answered 200.
	OK bool `json:"ok"`
}

// NewLoadRecord makes the --json summary of a load run.
func NewLoadRecord(url string, r deliver.LoadResult) LoadRecord {
	rec := LoadRecord{
		URL: deliver.RedactURL(url), Count: r.Count, Sent: r.Sent, Concurrency: r.Concurrency, Rate: r.Rate.PerSecond(),
		TotalMS: ms(r.Elapsed), PerSecond: r.PerSecond(), LatencyMS: map[string]float64{},
		Status: map[string]int{}, Errors: map[string]int{}, OK: r.OK(),
	}
	if r.Latency != nil && r.Latency.Len() > 0 {
		rec.LatencyMS = map[string]float64{
			"p50": ms(r.Latency.Percentile(50)), "p90": ms(r.Latency.Percentile(90)), "p99": ms(r.Latency.Percentile(99)),
			"max": ms(r.Latency.Max()), "mean": ms(r.Latency.Mean()),
		}
	}
	for code, n := range r.Status {
		rec.Status[strconv.Itoa(code)] = n
	}
	for kind, n := range r.Errors {
		rec.Errors[string(kind)] = n
	}
	return rec
}
