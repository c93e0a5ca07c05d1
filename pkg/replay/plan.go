package replay

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
)

// Plan is what a capture file holds for replay.
type Plan struct {
	// Selected counts the deliveries handed over (the filter matched, and
	// they can be replayed).
	Selected int
	// Records counts the readable records.
	Records int
	// Captures counts the records that have what a capture record has (a
	// method): a JSON file of another kind reads as records without one.
	Captures int
	// Deliveries counts the records that are deliveries (IsDelivery).
	Deliveries int
	// SkippedForged counts the deliveries matching the filter that were
	// left out because they were forged when captured (no Filter.Forged).
	SkippedForged int
	// Truncated lists the lines of selected deliveries left out because
	// the capture kept only the start of their body.
	Truncated []int
	// Actions lists the actions of every delivery in the file, once each,
	// in order of first appearance, to say what a filter could select.
	Actions []string
}

// Each reads a capture file a record at a time and calls fn with each
// delivery f matches, so that a capture of any size costs the memory of
// one record. It returns the counts (Plan without Items), and stops early
// with fn's error.
func Each(r io.Reader, f Filter, resign string, bad func(*capture.LineError), fn func(Item) error) (Plan, error) {
	var p Plan
	err := capture.Read(r, func(e capture.Entry) error {
		p.Records++
		if e.Record.Method != "" {
			p.Captures++
		}
		if !IsDelivery(e.Record) {
			return nil
		}
		p.Deliveries++
		if a := e.Record.Action; a != "" && !slices.Contains(p.Actions, a) {
			p.Actions = append(p.Actions, a)
		}
		if !f.Match(e.Record) {
			return nil
		}
		if !e.Record.Verified && !f.Forged {
			p.SkippedForged++
			return nil
		}
		if e.Record.BodyTruncated {
			p.Truncated = append(p.Truncated, e.Line)
			return nil
		}
		it, err := NewItem(e.Line, e.Record, resign)
		if err != nil {
			if bad != nil {
				bad(&capture.LineError{Line: e.Line, Err: err})
			}
			return nil
		}
		p.Selected++
		return fn(it)
	}, bad)
	return p, err
}

// MaxBadLines is how many unreadable lines BadLines keeps to be named one
// by one; the others are only counted.
const MaxBadLines = 100

// BadLines collects the unreadable lines of a capture file, to be reported
// once the file is known to be a capture (a JSON body given by mistake
// would be all bad lines).
type BadLines struct {
	// Lines are the first MaxBadLines unreadable lines.
	Lines []*capture.LineError
	// More counts the unreadable lines after those.
	More int
}

// Add records one unreadable line; it fits Each's bad.
func (b *BadLines) Add(le *capture.LineError) {
	if len(b.Lines) < MaxBadLines {
		b.Lines = append(b.Lines, le)
	} else {
		b.More++
	}
}

// IsCapture reports whether the file read like a capture file: it did
// unless it had lines, readable or not, and none of them has what a
// capture record has (a JSON body given by mistake).
func (p Plan) IsCapture(bad BadLines) bool {
	return p.Captures > 0 || p.Records+len(bad.Lines) == 0
}

// SkippedForgedNote says how many deliveries were left out because they
// were forged when captured, and how to replay them; "" when none was.
func (p Plan) SkippedForgedNote() string {
	if p.SkippedForged == 0 {
		return ""
	}
	noun, them := "deliveries", "them"
	if p.SkippedForged == 1 {
		noun, them = "delivery", "it"
	}
	return fmt.Sprintf("skipped %d %s forged when captured (not verified); pass --all to replay %s too and check that your endpoint refuses %s",
		p.SkippedForged, noun, them, them)
}

// Empty says why file holds nothing a replay could send, whatever the
// filter: no readable record, or no delivery among them. It is nil when
// the file has deliveries.
func (p Plan) Empty(file string) error {
	switch {
	case p.Records == 0:
		return fmt.Errorf("%s holds no readable capture record: give a file written by `hospitable-hook listen --save FILE`", file)
	case p.Deliveries == 0:
		return fmt.Errorf("%s holds %d records but no delivery to replay (only GETs, or POSTs refused before their body was read)", file, p.Records)
	}
	return nil
}

// Unmatched says why f selected nothing to replay from file: the matching
// deliveries were forged when captured (and need --all), kept only in
// part, or there were none. It is nil when a delivery was selected.
func (p Plan) Unmatched(file string, f Filter) error {
	switch {
	case p.Selected > 0:
		return nil
	case p.SkippedForged > 0 && len(p.Truncated) == 0:
		return fmt.Errorf("nothing to replay: the %d matching deliveries in %s were all forged when captured; pass --all to replay them", p.SkippedForged, file)
	case p.SkippedForged+len(p.Truncated) > 0:
		return fmt.Errorf("nothing to replay: the matching deliveries in %s were forged when captured, and their bodies kept only in part", file)
	}
	return fmt.Errorf("no delivery in %s matches %s: it holds %d deliveries of %s", file, f.Describe(), p.Deliveries, orNone(p.Actions))
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "no named action"
	}
	return strings.Join(list, ", ")
}
