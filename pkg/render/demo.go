package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// demoWidth is where the demo's sentences wrap.
const demoWidth = 96

// DemoStep prints a step's heading and the sentence that says what it
// shows, wrapped and indented under the heading.
func DemoStep(w io.Writer, st *Styles, n, total int, title, sentence string) {
	fmt.Fprintf(w, "\n%s %s\n", st.Dim.Render(fmt.Sprintf("%d/%d", n, total)), st.Bold.Render(title))
	for _, line := range wrap(sentence, demoWidth-2) {
		fmt.Fprintf(w, "  %s\n", line)
	}
	fmt.Fprintln(w)
}

// DemoVerdict ends a step: ✓ and what was expected, or ✗ and every problem.
func DemoVerdict(w io.Writer, st *Styles, expected string, problems []string) {
	if len(problems) == 0 {
		fmt.Fprintf(w, "%s %s\n", st.Tick(), st.OK.Render(expected))
		return
	}
	for _, p := range problems {
		fmt.Fprintf(w, "%s %s\n", st.Cross(), st.Fail.Render(Safe(p)))
	}
}

// DemoRetrySeen prints what the listener saw of a retried delivery: the
// same id as attempt 1, 2, 3, with the answer each got.
func DemoRetrySeen(w io.Writer, st *Styles, id string, events []listener.Event) {
	parts := make([]string, len(events))
	for i, ev := range events {
		parts[i] = fmt.Sprintf("attempt %d ← %d", ev.Attempt, ev.Status)
	}
	fmt.Fprintf(w, "  %s %s %s\n", st.Dim.Render("the listener saw"), st.ID.Render(Safe(id)), st.Dim.Render("as "+strings.Join(parts, ", ")))
}

// DemoDone prints the last line: whether every step behaved, and how long
// the whole run took.
func DemoDone(w io.Writer, st *Styles, steps int, failed []string, elapsed time.Duration) {
	fmt.Fprintln(w)
	took := "in " + verdict.Latency(elapsed)
	if len(failed) == 0 {
		fmt.Fprintf(w, "%s %s %s\n", st.Tick(), st.OK.Render(fmt.Sprintf("all %d steps behaved as expected", steps)), st.Dim.Render(took))
		return
	}
	fmt.Fprintf(w, "%s %s %s\n", st.Cross(), st.Fail.Render(fmt.Sprintf("%d of %d steps went wrong: %s", len(failed), steps, strings.Join(failed, ", "))), st.Dim.Render(took))
}

// DemoNext prints what to try after the demo.
func DemoNext(w io.Writer, st *Styles, lines []string) {
	fmt.Fprintf(w, "\n%s\n", st.Bold.Render("Next, with your own endpoint:"))
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
}

// DemoStepRecord is one step as `demo --json` prints it; Detail holds what
// is particular to the step.
type DemoStepRecord struct {
	Type     string   `json:"type"`
	Step     int      `json:"step"`
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Shows    string   `json:"shows"`
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
	Detail   any      `json:"detail"`
}

// DemoResultRecord ends `demo --json`.
type DemoResultRecord struct {
	Type      string   `json:"type"`
	OK        bool     `json:"ok"`
	Failed    []string `json:"failed"`
	ElapsedMS float64  `json:"elapsed_ms"`
}

// wrap breaks text into lines of at most width characters, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, word := range strings.Fields(text) {
		if cur.Len() > 0 && len([]rune(cur.String()))+1+len([]rune(word)) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(word)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
