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
	br := bufio.NewReaderSize(cr, 64*1024)
	var buf []byte
	records := 0
	hopeless := func() bool { return records == 0 && cr.n > 2*int64(maxLine) }
	for n := 1; ; n++ {
		line, long, err := readLine(br, buf[:0], maxLine, hopeless)
		buf = line
		if hopeless() {
			return ErrNoRecord
		}
		if long {
			if bad != nil {
				bad(&LineError{Line: n, Err: ErrLineTooLong})
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			continue
		}
		if len(line) == 0 && err == io.EOF {
			return nil
		}
		if err != nil && err != io.EOF {
			return err
		}
		complete := err == nil
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) == 0 {
			if !complete {
				return nil
			}
			continue
		}
		var rec Record
		if perr := json.Unmarshal(trimmed, &rec); perr != nil {
			if !complete {
				perr = fmt.Errorf("%w: %v", ErrTorn, perr)
			}
			if bad != nil {
				bad(&LineError{Line: n, Err: perr})
			}
		} else if _, berr := rec.BodyBytes(); berr != nil {
			if bad != nil {
				bad(&LineError{Line: n, Err: berr})
			}
		} else {
			records++
			if ferr := fn(Entry{Line: n, Record: rec}); ferr != nil {
				return ferr
			}
		}
		if !complete {
			return nil
		}
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
