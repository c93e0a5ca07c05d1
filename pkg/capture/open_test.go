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
	p := plantPaths(t)
	tests := []struct {
		name string
		path string
		o    Options
		want error
	}{
		{"a symbolic link", p.link, Options{}, ErrSymlink},
		{"a symbolic link to a capture", p.captureLink, Options{}, ErrSymlink},
		{"a followed link to a file that is not a capture", p.link, Options{FollowSymlink: true}, ErrNotCapture},
		{"a file that is not a capture", p.profile, Options{}, ErrNotCapture},
		{"a FIFO", p.fifo, Options{}, ErrNotRegular},
		{"a directory", p.dir, Options{}, syscall.EISDIR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := openWithin(t, tt.path, tt.o, 10*time.Second); !errors.Is(err, tt.want) {
				t.Errorf("OpenWith(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
	if data, _ := os.ReadFile(p.profile); string(data) != profileText {
		t.Errorf("the file that is not a capture changed: %q", data)
	}
	w, err := OpenWith(p.captureLink, Options{FollowSymlink: true})
	if err != nil {
		t.Fatalf("OpenWith(link to a capture, FollowSymlink) = %v", err)
	}
	if err := w.Append(record("two", `{}`)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if ids, bad := readAll(t, p.capture); strings.Join(ids, ",") != "one,two" || len(bad) > 0 {
		t.Errorf("capture through a followed link holds %v %v", ids, bad)
	}
}

const profileText = "export PATH=$HOME/bin:$PATH\n"

// plantedPaths are what an attacker or a typo may hand Open instead of a
// capture, beside a real capture holding one record ("one").
type plantedPaths struct {
	dir, capture, profile, link, captureLink, fifo string
}

func plantPaths(t *testing.T) plantedPaths {
	t.Helper()
	dir := t.TempDir()
	p := plantedPaths{
		dir:         dir,
		capture:     filepath.Join(dir, "capture.jsonl"),
		profile:     filepath.Join(dir, ".profile"),
		link:        filepath.Join(dir, "planted.jsonl"),
		captureLink: filepath.Join(dir, "link.jsonl"),
		fifo:        filepath.Join(dir, "fifo.jsonl"),
	}
	w, err := Open(p.capture)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(record("one", `{}`)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	for _, err := range []error{
		os.WriteFile(p.profile, []byte(profileText), 0o644),
		os.Symlink(p.profile, p.link),
		os.Symlink(p.capture, p.captureLink),
		syscall.Mkfifo(p.fifo, 0o600),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// openWithin calls OpenWith and fails the test if it blocks (a FIFO with
// no writer would) for longer than limit.
func openWithin(t *testing.T, path string, o Options, limit time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		w, err := OpenWith(path, o)
		if err == nil {
			w.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		t.Fatalf("OpenWith(%s) blocked", path)
		return nil
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
