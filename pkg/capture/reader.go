package capture

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Entry is a record read from a capture file, with its line number.
type Entry struct {
	// Line is the 1-based line number in the file.
	Line int
	// Record is the parsed record.
	Record Record
}

// LineError reports a line that could not be read as a record. Readers skip
// such lines: a torn last line, left by a process killed mid-write, must not
// cost the records before it.
type LineError struct {
	// Line is the 1-based line number.
	Line int
	// Err is the cause.
	Err error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// ErrTorn marks a last line with no newline that does not parse: the
// signature of a write cut short.
var ErrTorn = errors.New("torn last line (the writer stopped mid-record)")

// MaxLine is the longest line Read parses: a record of a 5 MiB body at
// the worst escaping (every byte a \u00XX) with room for its headers. A
// longer line is skipped, unread, as an ErrLineTooLong, so memory stays
// bounded whatever the file holds.
const MaxLine = 40 << 20

// ErrLineTooLong marks a line over MaxLine.
var ErrLineTooLong = fmt.Errorf("line longer than %d MiB, skipped unread", MaxLine>>20)

// Read calls fn for every record in r, in order, and bad for every line that
// is not a record. It reads one line at a time, so a capture of any size
// costs the memory of its longest line (at most MaxLine). It stops early
// when fn returns an error, and returns the first read error of r itself.
func Read(r io.Reader, fn func(Entry) error, bad func(*LineError)) error {
	return ReadLimit(r, MaxLine, fn, bad)
}

// ErrNoRecord is returned when the first 2×MaxLine bytes of a stream
// hold no record: it is not a capture (/dev/zero, a binary file), and
// reading on would never end or never find one.
var ErrNoRecord = errors.New("no capture record found in its first bytes: not a capture file")

// ReadLimit is Read with another cap on a line's length.
func ReadLimit(r io.Reader, maxLine int, fn func(Entry) error, bad func(*LineError)) error {
	cr := &countingReader{r: r}
	rd := &recordReader{cr: cr, br: bufio.NewReaderSize(cr, 64*1024), maxLine: maxLine, fn: fn, bad: bad}
	for n := 1; ; n++ {
		more, err := rd.line(n)
		if err != nil || !more {
			return err
		}
	}
}

// recordReader is ReadLimit's state: the stream, the line buffer it
// reuses, and how many records it has found.
type recordReader struct {
	cr      *countingReader
	br      *bufio.Reader
	buf     []byte
	maxLine int
	records int
	fn      func(Entry) error
	bad     func(*LineError)
}

// hopeless reports that twice maxLine bytes were read without a record.
func (rd *recordReader) hopeless() bool {
	return rd.records == 0 && rd.cr.n > 2*int64(rd.maxLine)
}

// line reads and handles line n; more is false at the end of the stream
// (a last line with no newline ends it too).
func (rd *recordReader) line(n int) (more bool, err error) {
	line, long, err := readLine(rd.br, rd.buf[:0], rd.maxLine, rd.hopeless)
	rd.buf = line
	switch {
	case rd.hopeless():
		return false, ErrNoRecord
	case long:
		rd.report(n, ErrLineTooLong)
		if err == io.EOF {
			return false, nil
		}
		return err == nil, err
	case len(line) == 0 && err == io.EOF:
		return false, nil
	case err != nil && err != io.EOF:
		return false, err
	}
	complete := err == nil
	return complete, rd.record(n, line, complete)
}

// record parses one line and hands it to fn, or reports it as bad; only
// fn's error stops the read.
func (rd *recordReader) record(n int, line []byte, complete bool) error {
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 {
		return nil
	}
	var rec Record
	if err := json.Unmarshal(trimmed, &rec); err != nil {
		if !complete {
			err = fmt.Errorf("%w: %v", ErrTorn, err)
		}
		rd.report(n, err)
		return nil
	}
	if _, err := rec.BodyBytes(); err != nil {
		rd.report(n, err)
		return nil
	}
	rd.records++
	return rd.fn(Entry{Line: n, Record: rec})
}

// report hands a bad line to bad, when there is one.
func (rd *recordReader) report(n int, err error) {
	if rd.bad != nil {
		rd.bad(&LineError{Line: n, Err: err})
	}
}

// readLine appends the next line of br to buf, newline included. A line
// over maxLine is read to its end and dropped, and long is true; reading
// a dropped line stops early when stop says so.
func readLine(br *bufio.Reader, buf []byte, maxLine int, stop func() bool) (line []byte, long bool, err error) {
	for {
		if long && stop() {
			return buf, long, nil
		}
		chunk, err := br.ReadSlice('\n')
		if !long {
			if len(buf)+len(chunk) > maxLine {
				long, buf = true, buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err != bufio.ErrBufferFull {
			return buf, long, err
		}
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// LooksLikeCapture reports whether data starts like a capture file: a JSON
// object with the keys a record has.
func LooksLikeCapture(data []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimSpace(data), []byte("\n"))
	var probe map[string]json.RawMessage
	if json.Unmarshal(first, &probe) != nil {
		return false
	}
	_, hasHeaders := probe["headers"]
	_, hasBody := probe["body"]
	_, hasBody64 := probe["body_base64"]
	return hasHeaders && (hasBody || hasBody64)
}
