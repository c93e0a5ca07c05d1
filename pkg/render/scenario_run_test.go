package render

import (
	"strings"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/scenario"
)

// The header says which chaos was asked for, counts every copy and sizes
// the columns to the widest step, action and chaos.
func TestNewScenarioPlan(t *testing.T) {
	sc := scenario.Scenario{Name: "s", Source: "built-in"}
	built := []scenario.Built{
		{Step: scenario.Step{Name: "a-long-step-name"}, Delivery: event.Delivery{Action: "reservation.created"}},
		{Step: scenario.Step{Name: "b"}, Delivery: event.Delivery{Action: "x"}},
	}
	plan := []scenario.Send{{Step: 0, Copies: 2}, {Step: 1, Copies: 1, Before: "a-long-step-name"}}
	tests := []struct {
		o    scenario.ChaosOptions
		want string
	}{
		{scenario.ChaosOptions{}, ""},
		{scenario.ChaosOptions{Duplicates: scenario.Auto, Reorders: scenario.Auto}, "duplicates, reorder"},
		{scenario.ChaosOptions{Duplicates: 2, Concurrent: scenario.Auto, Retry: true}, "duplicates 2, concurrent, retry"},
	}
	for _, tt := range tests {
		p := NewScenarioPlan(sc, "http://127.0.0.1:1/", built, plan, tt.o)
		if p.Chaos != tt.want {
			t.Errorf("NewScenarioPlan(%+v).Chaos = %q, want %q", tt.o, p.Chaos, tt.want)
		}
		wantChaosW := len(strings.Join(plan[1].Labels(), ", "))
		if p.Steps != 2 || p.Sends != 3 || p.NameW != len("a-long-step-name") || p.ActionW != len("reservation.created") || p.ChaosW != wantChaosW {
			t.Errorf("NewScenarioPlan() = %+v; want 2 steps, 3 sends, widths %d %d %d", p, len("a-long-step-name"), len("reservation.created"), wantChaosW)
		}
	}
}

// ScenarioRun prints the timeline, or with JSON one record per result,
// observation and the summary, and no header.
func TestScenarioRun(t *testing.T) {
	rep := scenario.Report{
		Results:      []scenario.Result{{Seq: 1, Name: "a", Met: true, Want: 200, Send: scenario.Send{Copies: 1}, Copy: 1}},
		Observations: []scenario.Observation{{Name: "a", Want: 1, Got: 1, Met: true}},
	}
	for _, json := range []bool{false, true} {
		s, _, out, _ := Test()
		p := ScenarioRun{IO: s, JSON: json, Plan: ScenarioPlan{Name: "s", Seed: 7, NameW: 4, ActionW: 6, ChaosW: 5}}
		p.Header()
		p.Result(rep.Results[0])
		p.End(rep)
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if json {
			if len(lines) != 3 || !strings.Contains(lines[0], `"type":"delivery"`) || !strings.Contains(lines[1], `"type":"observation"`) ||
				!strings.Contains(lines[2], `"type":"summary"`) || !strings.Contains(lines[2], `"seed":7`) {
				t.Errorf("ScenarioRun with JSON printed:\n%s", out)
			}
			continue
		}
		if !strings.HasPrefix(lines[0], "scenario s") || !strings.Contains(out.String(), "processed 1, expected 1") ||
			!strings.Contains(lines[len(lines)-1], "every expectation met") {
			t.Errorf("ScenarioRun printed:\n%s", out)
		}
	}
}
