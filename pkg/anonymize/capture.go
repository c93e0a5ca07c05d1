package anonymize

import (
	"bytes"
	"fmt"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/replay"
)

// Picked is the delivery chosen from a capture for import.
type Picked struct {
	// Line is the capture line it came from, 0 for a file that is one body.
	Line int
	// Action and ID are the envelope's.
	Action, ID string
	// Body is the exact body as captured.
	Body []byte
}

// Pick chooses the delivery to import from data: a capture file (the record
// on line `line`, or the last delivery when line is 0), or a file that is
// one delivery body. The body must be a Hospitable envelope: a JSON object
// with an "action" string and a "data" object or array. bad is called for
// capture lines that cannot be read.
func Pick(data []byte, line int, bad func(*capture.LineError)) (Picked, error) {
	if !capture.LooksLikeCapture(data) {
		if line != 0 {
			return Picked{}, fmt.Errorf("--record %d: the file is not a capture (listen --save writes one), so it has no records: drop --record to import it as one body", line)
		}
		return envelope(Picked{Body: data})
	}
	var found *Picked
	count := 0
	err := capture.Read(bytes.NewReader(data), func(e capture.Entry) error {
		if line != 0 && e.Line != line {
			return nil
		}
		if !replay.IsDelivery(e.Record) {
			if line != 0 {
				return fmt.Errorf("line %d is not a delivery (a %s with no body): pick another with --record", line, e.Record.Method)
			}
			return nil
		}
		body, _ := e.Record.BodyBytes()
		count++
		found = &Picked{Line: e.Line, Body: body}
		return nil
	}, bad)
	switch {
	case err != nil:
		return Picked{}, err
	case found == nil && line != 0:
		return Picked{}, fmt.Errorf("--record %d: no record on that line of the capture: give the line number of a delivery", line)
	case found == nil:
		return Picked{}, fmt.Errorf("the capture holds no delivery: record one with `hospitable-hook listen --save FILE`")
	}
	return envelope(*found)
}

// envelope checks that p's body is a Hospitable envelope and reads its
// action and id.
func envelope(p Picked) (Picked, error) {
	where := "the body"
	if p.Line > 0 {
		where = fmt.Sprintf("the body on line %d", p.Line)
	}
	if !gjson.ValidBytes(p.Body) {
		return p, fmt.Errorf("%s is not JSON, so it cannot become a fixture", where)
	}
	root := gjson.ParseBytes(p.Body)
	action, data := root.Get("action"), root.Get("data")
	if !root.IsObject() || action.Type != gjson.String || action.String() == "" || !(data.IsObject() || data.IsArray()) {
		return p, fmt.Errorf("%s is not a Hospitable delivery (an object with \"action\" and \"data\"): pick another with --record", where)
	}
	p.Action, p.ID = action.String(), root.Get("id").String()
	return p, nil
}
