package render

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// BurstRate is how many rows a second listen prints before a burst is
// declared: more than a person can read, fewer than a real Hospitable
// account sends outside a load test or a historic re-send.
const BurstRate = 30

// BurstView prints listen's rows while a person can read them, and when
// deliveries arrive faster than BurstRate a second, gives way to one
// summary line a second (rate, verified, forged, statuses, latency
// percentiles) followed by the last odd delivery of that second in full.
// Rows resume after a second at a readable rate. It only decides what the
// terminal shows: --json, --save and the counts see every delivery.
//
// It is not safe for concurrent use: listen's display loop owns it.
type BurstView struct {
	w    io.Writer
	st   *Styles
	now  func() time.Time
	rate int

	// second is the start of the one-second window being counted, and
	// arrivals how many deliveries arrived in it.
	second   time.Time
	arrivals int
	// bursting is true while rows are folded into summary lines.
	bursting bool
	// cur accumulates the deliveries folded since the last summary line.
	cur burstWindow
	// folded counts every delivery folded into a summary line so far.
	folded int64
}

// burstWindow is what one summary line reports.
type burstWindow struct {
	start    time.Time
	count    int
	verified int
	forged   int
	status   map[int]int
	latency  deliver.Latencies
	// odd is the last delivery that was not a verified 200, with what is
	// needed to print it in full.
	odd     *listener.Event
	oddOpts ListenOptions
}

// NewBurstView returns a view writing rows and summaries to w, reading
// the time from now (listen's clock, so tests drive bursts virtually).
func NewBurstView(w io.Writer, st *Styles, now func() time.Time) *BurstView {
	return &BurstView{w: w, st: st, now: now, rate: BurstRate}
}

// Bursting reports whether rows are being folded into summary lines.
func (b *BurstView) Bursting() bool { return b.bursting }

// Folded counts the deliveries that were shown only in summary lines.
func (b *BurstView) Folded() int64 { return b.folded }

// Event shows one request: a row, or during a burst a contribution to the
// next summary line. opts is what the row would be printed with.
func (b *BurstView) Event(ev listener.Event, opts ListenOptions) {
	now := b.now()
	b.roll(now)
	if ev.Kind == listener.KindDelivery {
		b.arrivals++
	}
	if !b.bursting && b.arrivals > b.rate {
		b.bursting = true
		b.cur = burstWindow{start: now, status: map[int]int{}}
		fmt.Fprintf(b.w, "%s\n", b.st.Warn.Render(fmt.Sprintf(
			"⋯ more than %d deliveries a second: one summary line a second until the burst ends (--json and --save keep every delivery)", b.rate)))
	}
	if !b.bursting {
		ListenEvent(b.w, b.st, ev, opts)
		return
	}
	b.fold(ev, opts)
}

// Tick prints the summary line when a second of burst has passed, and
// ends the burst after a second at a readable rate. listen calls it from
// its flush ticker, so summaries keep coming when deliveries stop.
func (b *BurstView) Tick() {
	if !b.bursting {
		return
	}
	now := b.now()
	b.roll(now)
	if b.bursting && now.Sub(b.cur.start) >= time.Second {
		if b.cur.count == 0 {
			b.cur.start = now // a quiet second inside a burst: nothing to say
			return
		}
		b.summary(now)
	}
}

// Close prints what a burst still holds, when the listener stops.
func (b *BurstView) Close() {
	if b.bursting && b.cur.count > 0 {
		b.summary(b.now())
	}
}

// roll moves the one-second arrival window forward; a whole window at or
// under the rate ends a burst.
func (b *BurstView) roll(now time.Time) {
	if b.second.IsZero() {
		b.second = now
	}
	elapsed := now.Sub(b.second)
	if elapsed < time.Second {
		return
	}
	calm := b.arrivals <= b.rate || elapsed >= 2*time.Second
	b.second, b.arrivals = now, 0
	if b.bursting && calm {
		if b.cur.count > 0 {
			b.summary(now)
		}
		b.bursting = false
		fmt.Fprintf(b.w, "%s\n", b.st.Dim.Render("⋯ burst over: rows resume"))
	}
}

func (b *BurstView) fold(ev listener.Event, opts ListenOptions) {
	w := &b.cur
	if ev.Kind != listener.KindDelivery {
		return // status pages and stray requests are not the burst's
	}
	b.folded++
	w.count++
	w.status[ev.Status]++
	w.latency.Add(ev.Latency)
	switch {
	case ev.Verified:
		w.verified++
	case ev.Checked:
		w.forged++
	}
	if odd(ev) {
		e := ev
		// Keep what the row needs, not a large body (which the display
		// queue would otherwise pin until the next summary).
		if len(e.Body) > maxShownBody {
			e.Body = e.Body[:0:0]
		}
		w.odd, w.oddOpts = &e, opts
	}
}

// odd reports whether a delivery is worth showing in full after a burst's
// summary line: not verified, or not answered 200 (by the listener or the
// app behind it).
func odd(ev listener.Event) bool {
	return !ev.Verified || !verdict.Delivered(ev.Status) || ev.Forward != nil && !verdict.Delivered(ev.Forward.Status)
}

// summary prints one line for the window and starts the next.
func (b *BurstView) summary(now time.Time) {
	w := &b.cur
	st := b.st
	secs := now.Sub(w.start).Seconds()
	if secs < 1 {
		secs = 1
	}
	parts := []string{
		st.Bold.Render(fmt.Sprintf("%.0f/s", float64(w.count)/secs)),
		st.OK.Render(fmt.Sprintf("%d verified", w.verified)),
	}
	forged := fmt.Sprintf("%d forged", w.forged)
	if w.forged > 0 {
		forged = st.Fail.Render(forged)
	}
	parts = append(parts, forged)
	var codes []string
	for _, code := range slices.Sorted(maps.Keys(w.status)) {
		label := fmt.Sprint(code)
		if code == 0 {
			label = "none"
		}
		codes = append(codes, st.Status(code).Render(fmt.Sprintf("%s×%d", label, w.status[code])))
	}
	parts = append(parts, strings.Join(codes, " "))
	if w.latency.Len() > 0 {
		parts = append(parts, st.Dim.Render(fmt.Sprintf("p50 %s p90 %s p99 %s",
			verdict.Latency(w.latency.Percentile(50)), verdict.Latency(w.latency.Percentile(90)), verdict.Latency(w.latency.Percentile(99)))))
	}
	fmt.Fprintf(b.w, "%s %s %s\n", st.Dim.Render(now.Format("15:04:05")), st.Warn.Render("⋯"), strings.Join(parts, st.Dim.Render(" · ")))
	if w.odd != nil {
		fmt.Fprintf(b.w, "%s%s\n", indent, st.Dim.Render("the last odd one of them:"))
		ListenEvent(b.w, st, *w.odd, w.oddOpts)
	}
	b.cur = burstWindow{start: now, status: map[int]int{}}
}
