package capture

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestOpenRefusesWhatIsNotACapture(t *testing.T) {
	dir := t.TempDir()
	capture := filepath.Join(dir, "capture.jsonl")
	w, err := Open(capture)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(record("one", `{}`)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	profile := filepath.Join(dir, ".profile")
	if err := os.WriteFile(profile, []byte("export PATH=$HOME/bin:$PATH\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "planted.jsonl")
	if err := os.Symlink(profile, link); err != nil {
		t.Fatal(err)
	}
	captureLink := filepath.Join(dir, "link.jsonl")
	if err := os.Symlink(capture, captureLink); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.jsonl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		o    Options
		want error
	}{
		{"a symbolic link", link, Options{}, ErrSymlink},
		{"a symbolic link to a capture", captureLink, Options{}, ErrSymlink},
		{"a followed link to a file that is not a capture", link, Options{FollowSymlink: true}, ErrNotCapture},
		{"a file that is not a capture", profile, Options{}, ErrNotCapture},
		{"a FIFO", fifo, Options{}, ErrNotRegular},
		{"a directory", dir, Options{}, syscall.EISDIR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				w, err := OpenWith(tt.path, tt.o)
				if err == nil {
					w.Close()
				}
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, tt.want) {
					t.Errorf("OpenWith(%s) = %v, want %v", tt.name, err, tt.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("OpenWith(%s) blocked", tt.name)
			}
		})
	}
	if data, _ := os.ReadFile(profile); string(data) != "export PATH=$HOME/bin:$PATH\n" {
		t.Errorf("the file that is not a capture changed: %q", data)
	}
	w, err = OpenWith(captureLink, Options{FollowSymlink: true})
	if err != nil {
		t.Fatalf("OpenWith(link to a capture, FollowSymlink) = %v", err)
	}
	if err := w.Append(record("two", `{}`)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if ids, bad := readAll(t, capture); strings.Join(ids, ",") != "one,two" || len(bad) > 0 {
		t.Errorf("capture through a followed link holds %v %v", ids, bad)
	}
}

func TestOpenMakesAnExposedCapturePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "capture.jsonl")
	line, _ := Marshal(record("one", `{}`))
	if err := os.WriteFile(path, line, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode after Open = %04o, want 0600", info.Mode().Perm())
	}
	if n := w.Notes(); len(n) != 1 || !strings.Contains(n[0], "was readable by others (mode 0644); made it 0600") {
		t.Errorf("Notes() = %q", n)
	}
}
