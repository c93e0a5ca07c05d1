package store

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

// Read calls fn for every record in r, in order, and bad for every line that
// is not a record. It stops early when fn returns an error, and returns the
// first read error of r itself.
func Read(r io.Reader, fn func(Entry) error, bad func(*LineError)) error {
	br := bufio.NewReaderSize(r, 64*1024)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
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
		} else if ferr := fn(Entry{Line: n, Record: rec}); ferr != nil {
			return ferr
		}
		if !complete {
			return nil
		}
	}
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
