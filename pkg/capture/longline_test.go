package capture

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// A capture with a line longer than the cap costs the cap, not the line:
// the line is reported, skipped, and the records after it are read.
func TestReadSkipsALineTooLong(t *testing.T) {
	one, _ := Marshal(record("one", `{}`))
	three, _ := Marshal(record("three", `{}`))
	huge := io.MultiReader(bytes.NewReader(one), strings.NewReader(`{"received_at":"`),
		io.LimitReader(repeatReader('x'), 64<<20), strings.NewReader("\n"), bytes.NewReader(three))
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.TotalAlloc
	var ids []string
	var bad []*LineError
	err := ReadLimit(huge, 1<<20, func(e Entry) error { ids = append(ids, e.Record.ID); return nil },
		func(le *LineError) { bad = append(bad, le) })
	runtime.ReadMemStats(&m)
	if alloc := m.TotalAlloc - before; alloc > 8<<20 {
		t.Errorf("reading a 64 MB line with a 1 MiB cap allocated %d MB", alloc>>20)
	}
	if err != nil || strings.Join(ids, ",") != "one,three" || len(bad) != 1 || bad[0].Line != 2 || !errors.Is(bad[0], ErrLineTooLong) {
		t.Errorf("ReadLimit = %v, ids %v, bad %v; want one,three and line 2 too long", err, ids, bad)
	}
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// An endless stream with no record (/dev/zero given to replay) is given
// up on after 2×maxLine bytes, not read forever.
func TestReadGivesUpOnAStreamWithNoRecord(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    io.Reader
	}{
		{"one endless line", repeatReader(0)},
		{"endless short lines", repeatReader('\n')},
		{"endless bad lines", repeatReader('x')},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadLimit(tt.r, 1<<20, func(Entry) error { return nil }, nil)
			if !errors.Is(err, ErrNoRecord) {
				t.Errorf("ReadLimit(%s) = %v, want ErrNoRecord", tt.name, err)
			}
		})
	}
	// A bad first line does not cost the records after it.
	one, _ := Marshal(record("one", `{}`))
	n := 0
	err := ReadLimit(io.MultiReader(strings.NewReader("garbage\n"), bytes.NewReader(one)), 1<<20, func(Entry) error { n++; return nil }, nil)
	if err != nil || n != 1 {
		t.Errorf("after a bad first line: %d records, %v", n, err)
	}
}
