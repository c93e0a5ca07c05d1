package replay

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
)

func TestBadLinesKeepsTheFirstAndCountsTheRest(t *testing.T) {
	var b BadLines
	for i := 1; i <= MaxBadLines+3; i++ {
		b.Add(&capture.LineError{Line: i})
	}
	if len(b.Lines) != MaxBadLines || b.More != 3 || b.Lines[MaxBadLines-1].Line != MaxBadLines {
		t.Errorf("BadLines after %d lines = %d kept, %d more", MaxBadLines+3, len(b.Lines), b.More)
	}
}

func TestPlanIsCapture(t *testing.T) {
	oneBad := BadLines{Lines: []*capture.LineError{{Line: 1}}}
	tests := []struct {
		name string
		plan Plan
		bad  BadLines
		want bool
	}{
		{"capture records", Plan{Records: 2, Captures: 1}, BadLines{}, true},
		{"empty file", Plan{}, BadLines{}, true},
		{"JSON body, one record without a method", Plan{Records: 1}, BadLines{}, false},
		{"only bad lines", Plan{}, oneBad, false},
	}
	for _, tt := range tests {
		if got := tt.plan.IsCapture(tt.bad); got != tt.want {
			t.Errorf("%s: IsCapture = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPlanProblems(t *testing.T) {
	f := Filter{Actions: []string{"nope"}}
	tests := []struct {
		name      string
		plan      Plan
		empty     string
		unmatched string
		note      string
	}{
		{"selected", Plan{Records: 3, Deliveries: 2, Selected: 2}, "", "", ""},
		{"no record", Plan{}, "f.jsonl holds no readable capture record", "", ""},
		{"no delivery", Plan{Records: 2}, "f.jsonl holds 2 records but no delivery", "", ""},
		{"all forged", Plan{Records: 2, Deliveries: 2, SkippedForged: 2}, "", "the 2 matching deliveries in f.jsonl were all forged when captured; pass --all", "skipped 2 deliveries forged when captured (not verified); pass --all to replay them too and check that your endpoint refuses them"},
		{"one forged", Plan{Records: 1, Deliveries: 1, SkippedForged: 1, Selected: 1}, "", "", "skipped 1 delivery forged when captured (not verified); pass --all to replay it too and check that your endpoint refuses it"},
		{"forged and truncated", Plan{Records: 2, Deliveries: 2, SkippedForged: 1, Truncated: []int{2}}, "", "were forged when captured, and their bodies kept only in part", "skipped 1 delivery"},
		{"no match", Plan{Records: 2, Deliveries: 2, Actions: []string{"a", "b"}}, "", "no delivery in f.jsonl matches --action nope: it holds 2 deliveries of a, b", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(what string, got any, want string) {
				s := ""
				if got != nil {
					s = fmt.Sprint(got)
				}
				if want == "" && s != "" || !strings.Contains(s, want) {
					t.Errorf("%s = %q, want %q", what, s, want)
				}
			}
			var empty, unmatched any
			if err := tt.plan.Empty("f.jsonl"); err != nil {
				empty = err
			}
			if err := tt.plan.Unmatched("f.jsonl", f); err != nil {
				unmatched = err
			}
			check("Empty", empty, tt.empty)
			if tt.empty == "" {
				check("Unmatched", unmatched, tt.unmatched)
			}
			check("SkippedForgedNote", tt.plan.SkippedForgedNote(), tt.note)
		})
	}
}
