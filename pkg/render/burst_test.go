package render

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

// burstClock is a virtual clock the test moves by hand.
type burstClock struct{ t time.Time }

func (c *burstClock) now() time.Time { return c.t }

// send shows n deliveries spread evenly over d, ticking as listen does.
func (c *burstClock) send(v *BurstView, ev listener.Event, n int, d time.Duration) {
	for i := 0; i < n; i++ {
		v.Event(ev, ListenOptions{})
		c.t = c.t.Add(d / time.Duration(n))
		v.Tick()
	}
}

var summaryCount = regexp.MustCompile(`(\d+) verified · (\d+) forged`)

// countShown adds up what the output accounts for: one per row, and the
// counts of every summary line.
func countShown(out string) (rows, folded int) {
	skip := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.Contains(line, "the last odd one"):
			skip = true // the next row repeats a delivery already counted
		case skip && strings.Contains(line, "← "):
			skip = false
		case summaryCount.MatchString(line):
			m := summaryCount.FindStringSubmatch(line)
			v, _ := strconv.Atoi(m[1])
			f, _ := strconv.Atoi(m[2])
			folded += v + f
		case strings.Contains(line, "← 200") || strings.Contains(line, "← 401"):
			rows++
		}
	}
	return rows, folded
}

func TestBurstViewFoldsRowsAndResumes(t *testing.T) {
	var out bytes.Buffer
	clk := &burstClock{t: at}
	v := NewBurstView(&out, newStyles(false), clk.now)
	ok := listenEvent([]byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"reservation.created","data":{}}`), nil)
	forged := listenEvent([]byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3P","action":"review.created","data":{}}`), func(e *listener.Event) {
		e.Verified, e.Reason, e.Outcome, e.Status, e.Attempt = false, "signature does not match", listener.OutcomeSignature, 401, 0
	})

	// A readable trickle: every delivery is a row.
	clk.send(v, ok, 5, time.Second)
	if v.Bursting() {
		t.Fatal("5 deliveries in a second started a burst")
	}
	// A burst: 3 seconds at 500 a second, one forged among them.
	clk.send(v, ok, 700, 1400*time.Millisecond)
	clk.send(v, forged, 1, time.Millisecond)
	clk.send(v, ok, 799, 1600*time.Millisecond)
	if !v.Bursting() {
		t.Fatal("1,500 deliveries in 3 seconds did not start a burst")
	}
	// Calm again: after a quiet second rows resume.
	clk.t = clk.t.Add(1500 * time.Millisecond)
	v.Tick()
	clk.send(v, ok, 3, time.Second)
	v.Close()
	if v.Bursting() {
		t.Fatal("the burst did not end after a quiet second")
	}

	text := out.String()
	rows, folded := countShown(text)
	if total := 5 + 1500 + 3; rows+folded != total {
		t.Errorf("rows %d + summarised %d = %d, want every one of the %d deliveries accounted for\n%s", rows, folded, rows+folded, total, text)
	}
	if int64(folded) != v.Folded() {
		t.Errorf("summary lines count %d, Folded() = %d", folded, v.Folded())
	}
	if rows > 5+BurstRate+1+3 {
		t.Errorf("%d rows printed during a burst of 500/s, want at most %d", rows, 5+BurstRate+1+3)
	}
	if n := strings.Count(text, " verified · "); n < 2 || n > 4 {
		t.Errorf("%d summary lines for a 3-second burst, want about one a second\n%s", n, text)
	}
	if !strings.Contains(text, "1 forged") || !strings.Contains(text, "the last odd one of them:") || !strings.Contains(text, "forged: signature does not match") {
		t.Errorf("the forged delivery is not counted and shown in full in its summary\n%s", text)
	}
	if !strings.Contains(text, "burst over: rows resume") || !strings.Contains(text[strings.Index(text, "burst over"):], "← 200 OK (2ms)") {
		t.Errorf("rows do not resume after the burst\n%s", text)
	}
	if !strings.Contains(text, "p50 2ms p90 2ms p99 2ms") {
		t.Errorf("summary lines do not carry latency percentiles\n%s", text)
	}
}

func TestBurstViewSummariesKeepComingWhenIdle(t *testing.T) {
	var out bytes.Buffer
	clk := &burstClock{t: at}
	v := NewBurstView(&out, newStyles(false), clk.now)
	ok := listenEvent([]byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"reservation.created","data":{}}`), nil)
	clk.send(v, ok, 200, 500*time.Millisecond)
	before := strings.Count(out.String(), " verified · ")
	// No more deliveries: the ticker alone must report what the burst held.
	for i := 0; i < 10; i++ {
		clk.t = clk.t.Add(200 * time.Millisecond)
		v.Tick()
	}
	_, folded := countShown(out.String())
	if after := strings.Count(out.String(), " verified · "); after == before || int64(folded) != v.Folded() {
		t.Errorf("after the deliveries stopped, summaries account for %d of %d folded deliveries\n%s", folded, v.Folded(), out.String())
	}
}
