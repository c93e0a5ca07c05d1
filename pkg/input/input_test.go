package input

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "body.json")
	if err := os.WriteFile(small, []byte(`{"a":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	sparse := filepath.Join(dir, "sparse")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	tests := []struct {
		name    string
		file    string
		stdin   string
		want    string
		tooBig  bool
		missing bool
	}{
		{"a small file", small, "", `{"a":1}`, false, false},
		{"stdin", "-", "from stdin", "from stdin", false, false},
		{"stdin over the limit", "-", strings.Repeat("x", 1025), "", true, false},
		{"a 2 GB sparse file", sparse, "", "", true, false},
		{"/dev/zero", "/dev/zero", "", "", true, false},
		{"no such file", filepath.Join(dir, "nope"), "", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			before := m.TotalAlloc
			got, err := ReadFile(context.Background(), tt.file, strings.NewReader(tt.stdin), 1024)
			runtime.ReadMemStats(&m)
			if alloc := m.TotalAlloc - before; alloc > 1<<20 {
				t.Errorf("ReadFile(%s) allocated %d KB with a 1 KiB limit", tt.name, alloc>>10)
			}
			switch {
			case tt.tooBig:
				var tl *TooLargeError
				if !errors.As(err, &tl) || tl.Limit != 1024 || !strings.Contains(err.Error(), "larger than 1 KiB, the most read") {
					t.Errorf("ReadFile(%s) = %d bytes, %v; want a TooLargeError", tt.name, len(got), err)
				}
			case tt.missing:
				if !errors.Is(err, os.ErrNotExist) {
					t.Errorf("ReadFile(%s) = %v, want not exist", tt.name, err)
				}
			case err != nil || string(got) != tt.want:
				t.Errorf("ReadFile(%s) = %q, %v; want %q", tt.name, got, err, tt.want)
			}
		})
	}
}

// readAsync runs ReadFile in a goroutine and returns its result channel.
func readAsync(ctx context.Context, name string) chan error {
	done := make(chan error, 1)
	go func() {
		_, err := ReadFile(ctx, name, nil, 1<<20)
		done <- err
	}()
	return done
}

func waitFor(t *testing.T, done chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("ReadFile did not return within 10s of the context ending")
		return nil
	}
}

// A FIFO with no writer blocks open(2); one whose writer stalls blocks
// read(2). Either way the end of the context ends the read.
func TestReadFileFIFOStopsWithTheContext(t *testing.T) {
	dir := t.TempDir()
	t.Run("no writer", func(t *testing.T) {
		fifo := filepath.Join(dir, "nowriter")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := readAsync(ctx, fifo)
		cancel()
		if err := waitFor(t, done); !errors.Is(err, context.Canceled) {
			t.Errorf("ReadFile(FIFO with no writer) = %v, want context.Canceled", err)
		}
	})
	t.Run("stalled writer", func(t *testing.T) {
		fifo := filepath.Join(dir, "stalled")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := readAsync(ctx, fifo)
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if _, err := w.Write([]byte(`{"partial":`)); err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := waitFor(t, done); !errors.Is(err, context.Canceled) {
			t.Errorf("ReadFile(FIFO with a stalled writer) = %v, want context.Canceled", err)
		}
	})
	t.Run("writer", func(t *testing.T) {
		fifo := filepath.Join(dir, "writer")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		go func() {
			w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err != nil {
				return
			}
			w.Write([]byte(`{"a":1}`))
			w.Close()
		}()
		got, err := ReadFile(context.Background(), fifo, nil, 1024)
		if err != nil || !bytes.Equal(got, []byte(`{"a":1}`)) {
			t.Errorf("ReadFile(FIFO) = %q, %v", got, err)
		}
	})
}
