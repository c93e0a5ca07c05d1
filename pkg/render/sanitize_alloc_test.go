package render

import (
	"strings"
	"testing"
)

// TestSafeAllocatesNothingForCleanText: the common case (clean text, clean
// --json lines) costs a scan, not a copy.
func TestSafeAllocatesNothingForCleanText(t *testing.T) {
	s := strings.Repeat(`{"action":"reservation.created","name":"José 🙂"}`, 100)
	b := []byte(s)
	if n := testing.AllocsPerRun(20, func() { _ = Safe(s); _ = SafeJSON(b) }); n != 0 {
		t.Errorf("Safe and SafeJSON of clean text allocate %v times a run, want 0", n)
	}
}
