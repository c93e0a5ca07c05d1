package capture

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// Options say how OpenWith treats what is already at the path.
type Options struct {
	// FollowSymlink accepts a path that is a symbolic link and appends to
	// the file it points to (listen --save-follow-symlink). By default a
	// link is refused: one planted where a capture is expected would
	// otherwise aim the listener's writes at any file the user can write.
	FollowSymlink bool
}

// Errors OpenWith reports about an unsuitable path; match them with
// errors.Is.
var (
	// ErrSymlink: the path is a symbolic link and Options.FollowSymlink is off.
	ErrSymlink = errors.New("is a symbolic link")
	// ErrNotRegular: the path is a FIFO, a device, a socket or a directory.
	ErrNotRegular = errors.New("is not a regular file")
	// ErrNotCapture: the file holds something other than capture records.
	ErrNotCapture = errors.New("is not a capture file")
)

// captureProbe is how much of an existing file is read to tell a capture.
const captureProbe = 64 << 10

// Open opens path for appending with the default Options.
func Open(path string) (*Writer, error) { return OpenWith(path, Options{}) }

// OpenWith opens path for appending, creating it with mode 0600 (captures
// hold personal data and signatures). It refuses a symbolic link (unless
// o.FollowSymlink), anything but a regular file (a FIFO would block the
// listener), and a non-empty file whose first line is not a capture
// record, so that a body from an unsigned request is never appended to a
// file that something else reads (a shell profile, a config). An existing
// file readable by others is made 0600, said in Notes. If an earlier
// process was killed mid-line, the torn line is ended first, so the next
// record starts on its own line and readers lose only the torn one.
func OpenWith(path string, o Options) (*Writer, error) {
	flags := os.O_RDWR | os.O_APPEND | os.O_CREATE | oNonblock
	if !o.FollowSymlink {
		if info, err := os.Lstat(path); err == nil && info.Mode()&os.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s %w", path, ErrSymlink)
		}
		flags |= oNoFollow
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if err != nil {
		if isSymlinkLoop(err) && !o.FollowSymlink {
			return nil, fmt.Errorf("%s %w", path, ErrSymlink)
		}
		return nil, err
	}
	w := &Writer{f: f, path: path}
	if err := w.check(); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// check vets the opened file: a regular file, a capture if not empty,
// private, and ending with a whole line.
func (w *Writer) check() error {
	info, err := w.f.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s %w (%s)", w.path, ErrNotRegular, describeMode(info.Mode()))
	}
	if info.Size() > 0 {
		probe := make([]byte, min(info.Size(), captureProbe))
		if _, err := w.f.ReadAt(probe, 0); err != nil && err != io.EOF {
			return err
		}
		if !IsCaptureStart(probe) {
			return fmt.Errorf("%s %w: its first line is not a capture record", w.path, ErrNotCapture)
		}
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		if err := os.Chmod(w.path, 0o600); err != nil {
			w.notes = append(w.notes, fmt.Sprintf("%s is readable by others (mode %04o) and could not be made 0600: %v; it holds personal data and signatures", w.path, perm, unwrapPath(err)))
		} else {
			w.notes = append(w.notes, fmt.Sprintf("%s was readable by others (mode %04o); made it 0600, since it holds personal data and signatures", w.path, perm))
		}
	}
	if info.Size() > 0 {
		w.torn = true
		return w.mend()
	}
	return nil
}

// IsCaptureStart reports whether a file starting with probe is a capture
// file: its first line is a capture record, or, when that line is longer
// than probe or was torn by a killed writer, starts the way every record
// does. It lets a reader tell a capture from its first bytes, without
// reading a whole file.
func IsCaptureStart(probe []byte) bool {
	probe = bytes.TrimLeft(probe, " \t\r\n")
	first, _, complete := bytes.Cut(probe, []byte("\n"))
	if complete && LooksLikeCapture(first) {
		return true
	}
	return bytes.HasPrefix(first, []byte(`{"received_at":`))
}

func describeMode(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a FIFO; give a path to a file"
	case m&os.ModeDevice != 0 || m&os.ModeCharDevice != 0:
		return "a device; give a path to a file"
	case m&os.ModeSocket != 0:
		return "a socket; give a path to a file"
	case m.IsDir():
		return "a directory; give a path to a file in it"
	default:
		return "give a path to a regular file"
	}
}
