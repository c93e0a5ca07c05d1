package capture

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// gatedFile holds its first Write until release is closed, and counts
// writes and what each one held.
type gatedFile struct {
	*os.File
	entered chan struct{}
	release chan struct{}
	writes  atomic.Int32
	once    sync.Once
}

func (f *gatedFile) Write(p []byte) (int, error) {
	if f.writes.Add(1) == 1 {
		f.once.Do(func() { close(f.entered) })
		<-f.release
	}
	return f.File.Write(p)
}

// TestAppendsDuringAWriteGoOutTogether: while one write is under way,
// every Append that arrives waits, and they are written together by one
// more write; none returns before its line is in the file.
func TestAppendsDuringAWriteGoOutTogether(t *testing.T) {
	path := filepath.Join(t.TempDir(), "capture.jsonl")
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	gf := &gatedFile{File: w.f.(*os.File), entered: make(chan struct{}), release: make(chan struct{})}
	w.f = gf

	first := make(chan error, 1)
	go func() { first <- w.Append(record("first", `{"a":0}`)) }()
	<-gf.entered // the first write is under way and held

	const n = 50
	var returned atomic.Int32
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := w.Append(record(fmt.Sprintf("r%02d", i), `{"a":1}`))
			returned.Add(1)
			errs <- err
		}()
	}
	// Every one of them must be queued behind the held write before it
	// is released; none may have returned.
	for {
		w.mu.Lock()
		queued := 0
		if w.pending != nil {
			queued = len(w.pending.buf)
		}
		w.mu.Unlock()
		if queued > 0 && countLines(w, queued) == n {
			break
		}
		runtime.Gosched()
	}
	if r := returned.Load(); r != 0 {
		t.Fatalf("%d Appends returned while their lines were waiting for a write", r)
	}
	close(gf.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	if got := gf.writes.Load(); got != 2 {
		t.Errorf("%d writes for 1 + %d records that arrived during the first, want 2 (one batch)", got, n)
	}
	ids, bad := readAll(t, path)
	if len(ids) != n+1 || len(bad) != 0 {
		t.Errorf("the file holds %d records and %d bad lines, want %d and none", len(ids), len(bad), n+1)
	}
}

// countLines counts the lines waiting in the pending batch (its first
// size bytes).
func countLines(w *Writer, size int) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, c := range w.pending.buf[:size] {
		if c == '\n' {
			n++
		}
	}
	return n
}
