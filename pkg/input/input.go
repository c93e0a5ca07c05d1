// Package input reads the files a user names on the command line (a body
// to sign, verify or send, a capture to verify or replay) the way a
// command line tool must: with a size cap, so that /dev/zero or a 2 GB
// file cannot fill the memory, and giving up when the context ends
// (Ctrl-C), so that a FIFO nobody writes to cannot hang the command.
package input

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hospitable-hook/hospitable-hook/pkg/bytesize"
)

// TooLargeError reports an input over its size limit. Its message leaves
// naming the file to the caller ("read NAME: larger than …").
type TooLargeError struct {
	// Name is the file as the user named it.
	Name string
	// Limit is the most that is read, in bytes.
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("larger than %s, the most read", bytesize.Limit(e.Limit))
}

// Open opens name for reading; "-" is stdin. Opening a FIFO waits for a
// writer, and reading anything but a regular file waits for data, only
// until ctx ends: then the open or the pending Read returns ctx.Err().
// The caller closes what it gets.
func Open(ctx context.Context, name string, stdin io.Reader) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(&ctxReader{ctx: ctx, r: stdin}), nil
	}
	if info, err := os.Stat(name); err == nil && info.Mode().IsRegular() {
		// A regular file never blocks: read it directly, checking ctx
		// between reads.
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		return &checkedFile{ctx: ctx, File: f}, nil
	}
	f, err := openWaiting(ctx, name)
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{&ctxReader{ctx: ctx, r: f}, f}, nil
}

// ReadFile reads all of name ("-" for stdin), refusing with a
// *TooLargeError an input over limit bytes: a regular file by its size
// before reading anything, anything else (a pipe, a device) once limit
// bytes have been read. It gives up when ctx ends, like Open.
func ReadFile(ctx context.Context, name string, stdin io.Reader, limit int64) ([]byte, error) {
	if name != "-" {
		if info, err := os.Stat(name); err == nil && info.Mode().IsRegular() && info.Size() > limit {
			return nil, &TooLargeError{Name: name, Limit: limit}
		}
	}
	r, err := Open(ctx, name, stdin)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	return b, nil
}

// openWaiting opens what may block on open (a FIFO with no writer yet)
// in a goroutine, and stops waiting when ctx ends.
func openWaiting(ctx context.Context, name string) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(name)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
		// Let the pending open return (a FIFO opens once a writer
		// comes), and close what it opened.
		release(name)
		go func() {
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// ctxReader reads r in a goroutine per Read, so that a Read waiting for
// data returns when ctx ends. The read goes into a buffer of its own, so a
// read still pending after ctx ended never writes into the caller's slice.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
	buf []byte
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if len(c.buf) < len(p) {
		c.buf = make([]byte, len(p))
	}
	type result struct {
		n   int
		err error
	}
	ch := make(chan result, 1)
	buf := c.buf[:len(p)]
	go func() {
		n, err := c.r.Read(buf)
		ch <- result{n, err}
	}()
	select {
	case res := <-ch:
		copy(p, buf[:res.n])
		return res.n, res.err
	case <-c.ctx.Done():
		c.buf = nil // the pending read still owns it
		return 0, c.ctx.Err()
	}
}

// checkedFile is a regular file whose reads stop once ctx ends.
type checkedFile struct {
	ctx context.Context
	*os.File
}

func (f *checkedFile) Read(p []byte) (int, error) {
	if err := f.ctx.Err(); err != nil {
		return 0, err
	}
	return f.File.Read(p)
}

// IsTooLarge reports whether err is a *TooLargeError.
func IsTooLarge(err error) bool {
	var tl *TooLargeError
	return errors.As(err, &tl)
}
