package verify

import (
	"fmt"
	"io"
	"net/http"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// Warnf reports something odd about a record that does not stop the check
// (render.IO.Warnf fits).
type Warnf func(format string, args ...any)

// FromRecord returns the target of a capture record: its body checked
// against received or, when that is empty, against the record's own
// Signature header (the first, with a warning when it has several).
func FromRecord(e capture.Entry, body []byte, received string, warn Warnf) Target {
	t := Target{Body: body, Received: received, Line: e.Line, ID: e.Record.ID, Action: e.Record.Action}
	if received == "" {
		t.Received, t.Header = firstSignature(e, warn), true
	}
	return t
}

func firstSignature(e capture.Entry, warn Warnf) string {
	sigs := http.Header(e.Record.Headers).Values(signature.Header)
	if len(sigs) > 1 {
		warn("line %d: %d Signature headers; checking the first", e.Line, len(sigs))
	}
	if len(sigs) == 0 {
		return ""
	}
	return sigs[0]
}

// NotFoundError says a capture file has no readable record on Line.
type NotFoundError struct {
	// Line is the line asked for.
	Line int
	// Last is the line of the file's last record (0 when it has none).
	Last int
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no readable capture record on line %d (the last record is on line %d)", e.Line, e.Last)
}

// Find reads the capture file r to its end and returns the target of the
// record on line n, as FromRecord makes it. bad hears about line n only,
// should it be unreadable; a record not found is a *NotFoundError, and
// any other error comes from reading r.
func Find(r io.Reader, n int, received string, warn Warnf, bad func(*capture.LineError)) (Target, error) {
	var t Target
	last, found := 0, false
	err := capture.Read(r, func(e capture.Entry) error {
		last = e.Line
		if e.Line != n || found {
			return nil
		}
		body, err := e.Record.BodyBytes()
		if err != nil {
			return fmt.Errorf("line %d: %w", e.Line, err)
		}
		found = true
		t = FromRecord(e, body, received, warn)
		return nil
	}, func(le *capture.LineError) {
		if le.Line == n {
			bad(le)
		}
	})
	switch {
	case err != nil:
		return t, err
	case !found:
		return t, &NotFoundError{Line: n, Last: last}
	}
	return t, nil
}

// Tally counts the records of a capture file checked by Capture.
type Tally struct {
	// Checked counts the readable records, each checked.
	Checked int
	// Failed counts those whose signature is not valid.
	Failed int
	// Unreadable counts the lines that are not records.
	Unreadable int
}

// String is the summary line: "3 checked, 2 valid, 1 invalid" and the
// unreadable lines, when there are some.
func (t Tally) String() string {
	line := fmt.Sprintf("%d checked, %d valid, %d invalid", t.Checked, t.Checked-t.Failed, t.Failed)
	if t.Unreadable > 0 {
		line += fmt.Sprintf(", %d unreadable", t.Unreadable)
	}
	return line
}

// UnreadableError says that the unreadable lines of file were not checked,
// when there are some: "all valid" would be a claim about records nobody
// saw. It is nil when every line was read.
func (t Tally) UnreadableError(file string) error {
	if t.Unreadable == 0 {
		return nil
	}
	plural, they := "s", "they were"
	if t.Unreadable == 1 {
		plural, they = "", "it was"
	}
	return fmt.Errorf("%d line%s of %s could not be read (see the warnings above), so %s not checked; the %d readable records are valid",
		t.Unreadable, plural, file, they, t.Checked)
}

// Capture checks every record of the capture file r against its own
// Signature header, a record at a time whatever the file's size, and hands
// each result to report. secrets is resolved at the first readable record,
// so a file with none is reported before any secret notice. bad hears
// about each line that is not a record, and the lines are skipped.
func Capture(r io.Reader, secrets Secrets, report func(Result), warn Warnf, bad func(*capture.LineError)) (Tally, error) {
	var t Tally
	secrets = secrets.once()
	err := capture.Read(r, func(e capture.Entry) error {
		t.Checked++
		body, _ := e.Record.BodyBytes()
		if e.Record.BodyTruncated {
			warn("line %d: the capture kept only the first %d of %d bytes of this refused delivery's body (body_truncated), so its signature cannot match", e.Line, len(body), e.Record.BodySize)
		}
		res := FromRecord(e, body, "", warn).Check(secrets)
		if !res.Valid {
			t.Failed++
		}
		report(res)
		return nil
	}, func(le *capture.LineError) {
		t.Unreadable++
		bad(le)
	})
	return t, err
}
