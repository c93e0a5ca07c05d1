package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/scenario"
)

// ScenarioRun prints a run as it goes: the timeline, or with JSON one
// record per line (deliveries, observations, then the summary).
type ScenarioRun struct {
	IO   *IO
	JSON bool
	Plan ScenarioPlan
}

// Header prints the plan and the column heads (nothing with JSON).
func (p ScenarioRun) Header() {
	if !p.JSON {
		ScenarioHeader(p.IO.Out, p.IO.Styles(), p.Plan)
	}
}

// Result prints one copy of one send.
func (p ScenarioRun) Result(r scenario.Result) {
	if p.JSON {
		_ = p.IO.JSON(NewScenarioDeliveryRecord(r))
		return
	}
	ScenarioResult(p.IO.Out, p.IO.Styles(), p.Plan, r)
}

// End prints the observations and the summary.
func (p ScenarioRun) End(rep scenario.Report) {
	for _, o := range rep.Observations {
		if p.JSON {
			_ = p.IO.JSON(NewScenarioObservationRecord(o))
			continue
		}
		ScenarioObservation(p.IO.Out, p.IO.Styles(), o)
	}
	if p.JSON {
		_ = p.IO.JSON(NewScenarioSummaryRecord(p.Plan.Name, p.Plan.Seed, rep))
		return
	}
	ScenarioSummary(p.IO.Out, p.IO.Styles(), rep)
}

// ScenarioPlan is what a run is about to do, for its header.
type ScenarioPlan struct {
	Name, Source, URL string
	Steps, Sends      int
	Seed              uint64
	// Chaos says in words which chaos was asked for ("" for none).
	Chaos string
	// Span is the virtual time the story covers.
	Span time.Duration
	// Widths of the name, action and chaos columns.
	NameW, ActionW, ChaosW int
}

// NewScenarioPlan sums up a run for its header and sizes the columns.
func NewScenarioPlan(sc scenario.Scenario, url string, built []scenario.Built, plan []scenario.Send, o scenario.ChaosOptions) ScenarioPlan {
	p := ScenarioPlan{Name: sc.Name, Source: sc.Source, URL: url, Steps: len(built), Seed: o.Seed,
		Span: scenario.Span(built), NameW: len("STEP"), ActionW: len("ACTION"), ChaosW: len("CHAOS"), Chaos: chaosAsked(o)}
	for _, s := range plan {
		p.Sends += s.Copies
		p.ChaosW = max(p.ChaosW, len(strings.Join(s.Labels(), ", ")))
	}
	for _, b := range built {
		p.NameW = max(p.NameW, len(b.Step.Name))
		p.ActionW = max(p.ActionW, len(b.Delivery.Action))
	}
	return p
}

// chaosAsked says in words which chaos a run asked for: "duplicates" for
// the default count, "reorder 2" for an explicit one.
func chaosAsked(o scenario.ChaosOptions) string {
	var chaos []string
	add := func(name string, n int) {
		switch {
		case n == scenario.Auto:
			chaos = append(chaos, name)
		case n > 0:
			chaos = append(chaos, fmt.Sprintf("%s %d", name, n))
		}
	}
	add("duplicates", o.Duplicates)
	add("reorder", o.Reorders)
	add("concurrent", o.Concurrent)
	if o.Retry {
		chaos = append(chaos, "retry")
	}
	return strings.Join(chaos, ", ")
}

// ScenarioHeader prints the plan and the column heads.
func ScenarioHeader(w io.Writer, st *Styles, p ScenarioPlan) {
	fmt.Fprintf(w, "%s %s %s → %s\n", st.Bold.Render("scenario"), st.ID.Render(Safe(p.Name)),
		st.Dim.Render("("+Safe(p.Source)+")"), SafeURL(p.URL))
	chaos := p.Chaos
	if chaos == "" {
		chaos = "no chaos"
	}
	fmt.Fprintf(w, "%s\n", st.Dim.Render(fmt.Sprintf("%d steps, %d deliveries over %s of virtual time · %s · seed %d (repeat with --seed %d)",
		p.Steps, p.Sends, deliver.FormatDuration(p.Span), chaos, p.Seed, p.Seed)))
	fmt.Fprintf(w, "  %s  %s  %s  %s  %s  %s  %s\n", st.Bold.Render(fmt.Sprintf("%-4s", "#")),
		st.Bold.Render(pad("STEP", p.NameW)), st.Bold.Render(pad("ACTION", p.ActionW)), st.Bold.Render(pad("ID", 26)),
		st.Bold.Render(pad("CHAOS", p.ChaosW)), st.Bold.Render("STATUS"), st.Bold.Render("VERDICT"))
}

// ScenarioResult prints one copy of one send: a mark, the step, action, id,
// chaos, status and verdict; the attempts when it was retried; and, dimmed,
// what the app is expected to do with it.
func ScenarioResult(w io.Writer, st *Styles, p ScenarioPlan, r scenario.Result) {
	seq := fmt.Sprintf("#%d", r.Seq)
	if r.Send.Copies > 1 {
		seq += string(rune('a' + r.Copy - 1))
	}
	chaos := strings.Join(r.Send.Labels(), ", ")
	if chaos == "" {
		chaos = "-"
	}
	status := "none"
	if s := r.Status(); s != 0 {
		status = st.Status(s).Render(fmt.Sprintf("%-6d", s))
	} else {
		status = fmt.Sprintf("%-6s", status)
	}
	verdict := st.OK.Render(r.Verdict)
	if !r.Met {
		verdict = st.Fail.Render(r.Verdict)
	}
	fmt.Fprintf(w, "%s %-4s  %s  %s  %s  %s  %s  %s\n", st.Mark(r.Met), seq, st.ID.Render(pad(Safe(r.Name), p.NameW)),
		pad(Safe(r.Action), p.ActionW), st.Dim.Render(pad(Safe(r.ID), 26)), pad(chaos, p.ChaosW), status, verdict)
	if len(r.Outcome.Attempts) > 1 {
		var b bytes.Buffer
		for _, a := range r.Outcome.Attempts {
			TimelineAttempt(&b, st, a)
		}
		for _, line := range strings.SplitAfter(b.String(), "\n") {
			if line != "" {
				fmt.Fprint(w, "        "+line)
			}
		}
	}
	fmt.Fprintf(w, "        %s\n", st.Dim.Render("expect: "+Safe(r.Expected)))
}

// ScenarioObservation prints what the app said it processed for a step.
func ScenarioObservation(w io.Writer, st *Styles, o scenario.Observation) {
	got := fmt.Sprintf("processed %d, expected %d", o.Got, o.Want)
	if o.Err != nil {
		got = "--observe failed: " + Safe(o.Err.Error())
	}
	text := st.OK.Render(got)
	if !o.Met {
		text = st.Fail.Render(got)
	}
	fmt.Fprintf(w, "%s %s %s %s\n", st.Mark(o.Met), st.ID.Render(Safe(o.Name)), st.Dim.Render(Safe(o.ID)), text)
}

// ScenarioSummary prints how the run went, in a line.
func ScenarioSummary(w io.Writer, st *Styles, rep scenario.Report) {
	n := len(rep.Results) + len(rep.Observations)
	if rep.OK() {
		fmt.Fprintf(w, "%s %s\n", st.Tick(), st.OK.Render(fmt.Sprintf("every expectation met (%d deliveries, %d observations)", len(rep.Results), len(rep.Observations))))
		return
	}
	fmt.Fprintf(w, "%s %s\n", st.Cross(), st.Fail.Render(fmt.Sprintf("%d of %d expectations missed", rep.Failed(), n)))
}

// ScenarioDeliveryRecord is one copy of one send as `scenario run --json`
// prints it.
type ScenarioDeliveryRecord struct {
	Type           string   `json:"type"`
	Seq            int      `json:"seq"`
	Copy           int      `json:"copy"`
	Step           string   `json:"step"`
	Action         string   `json:"action"`
	ID             string   `json:"id"`
	Chaos          []string `json:"chaos"`
	Status         int      `json:"status"`
	Attempts       int      `json:"attempts"`
	LatencyMS      float64  `json:"latency_ms"`
	Error          string   `json:"error,omitempty"`
	ExpectedStatus int      `json:"expected_status"`
	Met            bool     `json:"met"`
	Verdict        string   `json:"verdict"`
	Expected       string   `json:"expected"`
}

// NewScenarioDeliveryRecord returns the `--json` form of a result.
func NewScenarioDeliveryRecord(r scenario.Result) ScenarioDeliveryRecord {
	rec := ScenarioDeliveryRecord{Type: "delivery", Seq: r.Seq, Copy: r.Copy, Step: r.Name, Action: r.Action, ID: r.ID,
		Chaos: r.Chaos(), Status: r.Status(), Attempts: len(r.Outcome.Attempts), ExpectedStatus: r.Want,
		Met: r.Met, Verdict: r.Verdict, Expected: r.Expected}
	if rec.Chaos == nil {
		rec.Chaos = []string{}
	}
	if n := len(r.Outcome.Attempts); n > 0 {
		last := r.Outcome.Attempts[n-1].Result
		rec.LatencyMS = ms(last.Latency)
		if last.Err != nil {
			rec.Error = errorMessage(last.Err)
		}
	}
	return rec
}

// ScenarioObservationRecord is an observation as `--json` prints it.
type ScenarioObservationRecord struct {
	Type      string `json:"type"`
	Step      string `json:"step"`
	Action    string `json:"action"`
	ID        string `json:"id"`
	Processed int    `json:"processed"`
	Expected  int    `json:"expected"`
	Error     string `json:"error,omitempty"`
	Met       bool   `json:"met"`
}

// NewScenarioObservationRecord returns the `--json` form of an observation.
func NewScenarioObservationRecord(o scenario.Observation) ScenarioObservationRecord {
	rec := ScenarioObservationRecord{Type: "observation", Step: o.Name, Action: o.Action, ID: o.ID,
		Processed: o.Got, Expected: o.Want, Met: o.Met}
	if o.Err != nil {
		rec.Error = o.Err.Error()
	}
	return rec
}

// ScenarioSummaryRecord ends `scenario run --json`.
type ScenarioSummaryRecord struct {
	Type       string `json:"type"`
	Scenario   string `json:"scenario"`
	Seed       uint64 `json:"seed"`
	Deliveries int    `json:"deliveries"`
	Missed     int    `json:"missed"`
	OK         bool   `json:"ok"`
}

// NewScenarioSummaryRecord returns the `--json` summary of a run.
func NewScenarioSummaryRecord(name string, seed uint64, rep scenario.Report) ScenarioSummaryRecord {
	return ScenarioSummaryRecord{Type: "summary", Scenario: name, Seed: seed, Deliveries: len(rep.Results),
		Missed: rep.Failed(), OK: rep.OK()}
}
