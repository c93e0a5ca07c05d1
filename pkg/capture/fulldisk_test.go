package capture

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// shortFile writes only part of a line and fails, as a full disk does:
// write(2) takes what fits and then answers ENOSPC.
type shortFile struct {
	*os.File
	// full makes the next write keep only keep bytes and fail.
	full bool
	keep int
	// noTruncate makes Truncate fail, to test the fresh-line fallback.
	noTruncate bool
}

func (f *shortFile) Write(p []byte) (int, error) {
	if !f.full {
		return f.File.Write(p)
	}
	n, _ := f.File.Write(p[:min(f.keep, len(p))])
	return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

func (f *shortFile) Truncate(size int64) error {
	if f.noTruncate {
		return syscall.EIO
	}
	return f.File.Truncate(size)
}

func record(id string, body string) Record {
	r := Record{Method: "POST", ID: id, Status: 200, Headers: map[string][]string{}}
	r.SetBody([]byte(body))
	return r
}

// readAll reads a capture and returns the ids read and the bad lines.
func readAll(t *testing.T, path string) (ids []string, bad []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_ = Read(bytes.NewReader(data), func(e Entry) error { ids = append(ids, e.Record.ID); return nil },
		func(le *LineError) { bad = append(bad, le.Error()) })
	return ids, bad
}

// A write cut short by a full disk is answered 500, but the record of the
// next delivery, answered 200 once space is back, must be readable: it
// was once glued to the fragment and lost with it.
func TestFailedWriteDoesNotCostTheNextRecord(t *testing.T) {
	for _, tt := range []struct {
		name       string
		noTruncate bool
		wantBad    int
	}{
		{"fragment truncated", false, 0},
		{"truncate fails: next record on a fresh line", true, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "capture.jsonl")
			w, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			sf := &shortFile{File: w.f.(*os.File), keep: 37, noTruncate: tt.noTruncate}
			w.f = sf
			if err := w.Append(record("one", `{"a":1}`)); err != nil {
				t.Fatal(err)
			}
			sf.full = true
			err = w.Append(record("two", strings.Repeat("x", 500)))
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("Append on a full disk = %v, want ENOSPC", err)
			}
			if strings.Count(err.Error(), path) != 1 {
				t.Errorf("error %q names the file more than once", err)
			}
			sf.full = false
			if err := w.Append(record("three", `{"a":3}`)); err != nil {
				t.Fatal(err)
			}
			w.Close()
			ids, bad := readAll(t, path)
			if strings.Join(ids, ",") != "one,three" || len(bad) != tt.wantBad {
				t.Errorf("after a failed write: ids %v, bad lines %v; want [one three] and %d bad", ids, bad, tt.wantBad)
			}
		})
	}
}

// TestFullTmpfs fills a real 64 KiB tmpfs. It needs mount(2), so it runs
// as root (or with CAP_SYS_ADMIN) and is skipped elsewhere.
func TestFullTmpfs(t *testing.T) {
	if testing.Short() {
		t.Skip("mounts a tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s)", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	// A filler takes room that is freed later, as when a user deletes a file.
	filler := filepath.Join(dir, "filler")
	if err := os.WriteFile(filler, bytes.Repeat([]byte("f"), 24<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "capture.jsonl")
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var acked []string
	full := false
	for i := 0; i < 100 && !full; i++ {
		id := fmt.Sprintf("r%03d", i)
		if err := w.Append(record(id, strings.Repeat("b", 3000))); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("Append = %v, want ENOSPC", err)
			}
			full = true
			continue
		}
		acked = append(acked, id)
	}
	if !full {
		t.Fatal("the 64 KiB tmpfs never filled")
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(record("after", `{"a":1}`)); err != nil {
		t.Fatalf("Append once space is back = %v", err)
	}
	acked = append(acked, "after")
	ids, bad := readAll(t, path)
	if strings.Join(ids, ",") != strings.Join(acked, ",") || len(bad) > 0 {
		t.Errorf("read back %v (bad lines %v), want every acknowledged record %v", ids, bad, acked)
	}
}
