package capture

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Writer appends records to a capture file. Each Append hands its whole
// line to the operating system before it returns, so a record survives the
// process being killed right after (though not a power cut: there is no
// fsync per record), and concurrent Appends never interleave. Appends that
// arrive while a write is under way are gathered and written together by
// the next of them (group commit): one write per burst instead of one per
// record, each still returning only once its own line is written. A write
// that fails part way (a full disk) is undone, or the next record starts
// on a fresh line, so a record acknowledged later is never glued to the
// fragment; every record of the failed write gets the error.
type Writer struct {
	mu sync.Mutex
	// wrote is signalled when a write ends or the Writer closes.
	wrote *sync.Cond
	// pending gathers the lines waiting for the next write; writing says
	// an Append is writing a batch now (outside mu).
	pending *batch
	writing bool
	f       file
	// lines recycles line buffers (*[]byte) across Appends.
	lines  sync.Pool
	path   string
	closed bool
	// torn says a write failed part way and its fragment may still end
	// the file: the next Append first makes sure it starts a line.
	torn bool
	// notes are what Open changed or found odd, for the caller to say.
	notes []string
}

// file is what a Writer needs of its *os.File; tests inject failures.
type file interface {
	io.Writer
	io.ReaderAt
	Stat() (os.FileInfo, error)
	Truncate(size int64) error
	Sync() error
	Close() error
}

// batch is lines written in one write, and the outcome they share.
type batch struct {
	buf  []byte
	done bool
	err  error
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("capture file is closed")

// Notes says what Open changed or found odd about an existing file (a mode
// readable by others, made 0600), one sentence each, for the caller to
// show as warnings.
func (w *Writer) Notes() []string { return w.notes }

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
	if w.closed {
		w.mu.Unlock()
		return ErrClosed
	}
	if w.wrote == nil {
		w.wrote = sync.NewCond(&w.mu)
	}
	b := w.pending
	if b == nil {
		b = &batch{}
		w.pending = b
	}
	b.buf = append(b.buf, line...)
	// Wait while another Append writes; then either that write (or a later
	// one) took this line, or this Append writes the batch itself.
	for w.writing && !b.done && !w.closed {
		w.wrote.Wait()
	}
	switch {
	case b.done:
		w.mu.Unlock()
		return b.err
	case w.closed:
		w.mu.Unlock()
		return ErrClosed
	}
	w.writing, w.pending = true, nil
	w.mu.Unlock()

	err := w.write(b.buf)

	w.mu.Lock()
	b.done, b.err, b.buf = true, err, nil
	w.writing = false
	w.wrote.Broadcast()
	w.mu.Unlock()
	return err
}

// write writes one batch of lines. Only the Append that set w.writing
// calls it, so it has the file (and w.torn) to itself.
func (w *Writer) write(lines []byte) error {
	if w.torn {
		if err := w.mend(); err != nil {
			return fmt.Errorf("write %s: %w", w.path, unwrapPath(err))
		}
	}
	if n, err := w.f.Write(lines); err != nil {
		w.undo(lines[:n])
		return fmt.Errorf("write %s: %w", w.path, unwrapPath(err))
	}
	return nil
}

// undo removes the fragment a failed write left at the end of the file,
// when the end still holds exactly those bytes (another process appending
// to the same file may have written after them). When it cannot, the
// Writer stays torn and the next Append starts a fresh line.
func (w *Writer) undo(written []byte) {
	if len(written) == 0 {
		return
	}
	w.torn = true
	info, err := w.f.Stat()
	if err != nil || info.Size() < int64(len(written)) {
		return
	}
	start := info.Size() - int64(len(written))
	tail := make([]byte, len(written))
	if _, err := w.f.ReadAt(tail, start); err != nil || !bytes.Equal(tail, written) {
		return
	}
	if w.f.Truncate(start) == nil {
		w.torn = false
	}
}

// mend ends the file's last line if a failed write left it open. It runs
// before the next record is written, so that record is never glued to a
// fragment and lost with it.
func (w *Writer) mend() error {
	info, err := w.f.Stat()
	if err != nil {
		return err
	}
	if info.Size() > 0 {
		last := make([]byte, 1)
		if _, err := w.f.ReadAt(last, info.Size()-1); err != nil && err != io.EOF {
			return err
		}
		if last[0] != '\n' {
			if _, err := w.f.Write([]byte{'\n'}); err != nil {
				return err
			}
		}
	}
	w.torn = false
	return nil
}

// unwrapPath drops the "write PATH:" an *os.PathError adds, since the
// caller's message names the file already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Close syncs the file to disk and closes it. Appends after Close fail
// with ErrClosed.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	for w.writing {
		w.wrote.Wait()
	}
	w.closed = true
	if w.wrote != nil {
		w.wrote.Broadcast() // lines still waiting get ErrClosed
	}
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
