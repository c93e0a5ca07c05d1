package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// Writer appends records to a capture file. Each Append hands one whole
// line to the operating system in a single write before it returns, so a
// record survives the process being killed right after (though not a power
// cut: there is no fsync per record), and concurrent Appends never
// interleave.
type Writer struct {
	mu sync.Mutex
	f  *os.File
	// lines recycles line buffers (*[]byte) across Appends.
	lines  sync.Pool
	path   string
	closed bool
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("capture file is closed")

// Open opens path for appending, creating it with mode 0600 (captures hold
// personal data and signatures). If an earlier process was killed mid-line,
// the torn line is ended first, so the next record starts on its own line
// and readers lose only the torn one.
func Open(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := endTornLine(f, path); err != nil {
		f.Close()
		return nil, err
	}
	return &Writer{f: f, path: path}, nil
}

func endTornLine(f *os.File, path string) error {
	info, err := f.Stat()
	if err != nil || info.Size() == 0 || !info.Mode().IsRegular() {
		return err
	}
	r, err := os.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	last := make([]byte, 1)
	if _, err := r.ReadAt(last, info.Size()-1); err != nil && err != io.EOF {
		return err
	}
	if last[0] != '\n' {
		_, err = f.Write([]byte{'\n'})
	}
	return err
}

// Append writes rec as one JSON line. When it returns nil the line is with
// the operating system.
func (w *Writer) Append(rec Record) error {
	buf, _ := w.lines.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	defer func() {
		if cap(*buf) <= 1<<20 {
			w.lines.Put(buf)
		}
	}()
	line, ok := appendRecord((*buf)[:0], &rec)
	if !ok {
		var err error
		if line, err = Marshal(rec); err != nil {
			return err
		}
	} else {
		*buf = line
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	if _, err := w.f.Write(line); err != nil {
		return fmt.Errorf("write %s: %w", w.path, pathless(err))
	}
	return nil
}

// Close syncs the file to disk and closes it. Appends after Close fail
// with ErrClosed.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	serr := w.f.Sync()
	cerr := w.f.Close()
	return errors.Join(serr, cerr)
}

// Marshal encodes rec as one capture line, newline included. HTML
// characters stay as they are, so a body's text reads as it was sent.
func Marshal(rec Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		return nil, fmt.Errorf("encode capture record: %w", err)
	}
	return buf.Bytes(), nil
}

// pathless drops the "write PATH:" an *os.File error carries, for callers
// that name the file themselves ("write X: write X: …" otherwise).
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
