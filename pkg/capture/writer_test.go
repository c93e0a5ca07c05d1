package capture

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestWriterAppendsReadableLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "capture.jsonl")
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	bodies := [][]byte{[]byte(`{"a":"<José & co>"}`), {0xff, 0x00}, {}}
	for i, b := range bodies {
		r := Record{ReceivedAt: time.Date(2026, 11, 28, 9, 35, 24, 123456789, time.UTC), Method: "POST", ID: fmt.Sprint(i), Status: 200}
		r.SetBody(b)
		if err := w.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(Record{}); err != ErrClosed {
		t.Errorf("Append after Close = %v, want ErrClosed", err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("capture file mode = %v, want 0600", info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if !bytes.Contains(data, []byte(`<José & co>`)) || !bytes.Contains(data, []byte(`"received_at":"2026-11-28T09:35:24.123456789Z"`)) {
		t.Errorf("capture line is not as expected:\n%s", data)
	}
	var got [][]byte
	err = Read(bytes.NewReader(data), func(e Entry) error {
		b, _ := e.Record.BodyBytes()
		got = append(got, b)
		return nil
	}, func(le *LineError) { t.Errorf("bad line: %v", le) })
	if err != nil || len(got) != 3 {
		t.Fatalf("Read = %d records, %v", len(got), err)
	}
	for i := range bodies {
		if !bytes.Equal(got[i], bodies[i]) {
			t.Errorf("body %d = %q, want %q", i, got[i], bodies[i])
		}
	}
}

func TestWriterEndsATornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "capture.jsonl")
	torn := line(t, "one", []byte(`{}`))
	if err := os.WriteFile(path, []byte(torn[:20]), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(Record{ID: "two", Method: "POST", Headers: map[string][]string{}}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	data, _ := os.ReadFile(path)
	var ids []string
	var bad []int
	_ = Read(bytes.NewReader(data), func(e Entry) error { ids = append(ids, e.Record.ID); return nil },
		func(le *LineError) { bad = append(bad, le.Line) })
	if len(ids) != 1 || ids[0] != "two" || len(bad) != 1 || bad[0] != 1 {
		t.Errorf("after a torn line: ids %v, bad lines %v; want [two] and [1]", ids, bad)
	}
}

func TestWriterConcurrentAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "capture.jsonl")
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("x"), 100_000)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			r := Record{ID: fmt.Sprint(i), Method: "POST"}
			r.SetBody(big)
			if err := w.Append(r); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	w.Close()
	data, _ := os.ReadFile(path)
	n := 0
	_ = Read(bytes.NewReader(data), func(e Entry) error { n++; return nil }, func(le *LineError) { t.Errorf("interleaved: %v", le) })
	if n != 50 {
		t.Errorf("read %d records, want 50", n)
	}
}

func FuzzMarshalLine(f *testing.F) {
	f.Add([]byte(`{"a":1}`))
	f.Add([]byte{0xff, '\n', '"'})
	f.Fuzz(func(t *testing.T, body []byte) {
		r := Record{Method: "POST", Headers: map[string][]string{"Signature": {"x"}}}
		r.SetBody(body)
		line, err := Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
			t.Fatalf("Marshal gave %q, not one line", line)
		}
		err = Read(bytes.NewReader(line), func(e Entry) error {
			got, _ := e.Record.BodyBytes()
			if !bytes.Equal(got, body) {
				t.Errorf("round trip %q -> %q", body, got)
			}
			return nil
		}, func(le *LineError) { t.Errorf("line error %v", le) })
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestCaptureFileIs0600WhateverTheUmask creates the file under umask 0,
// which would expose a 0644 or 0666 mode that a usual umask hides.
// Captures hold guests' personal data and every signature.
func TestCaptureFileIs0600WhateverTheUmask(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "capture.jsonl")
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(Record{Method: "POST"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("capture file mode under umask 0 = %v, want 0600", info.Mode().Perm())
	}
}
func TestAppendRecordMatchesMarshal(t *testing.T) {
	body := "{\"a\":\"<José & co> \u2028\u2029 \x00\x1f\b\f\n\r\t\\\"/ 😀\"}"
	recs := []Record{
		{},
		{ReceivedAt: time.Date(2026, 11, 28, 9, 35, 24, 123456789, time.FixedZone("x", 3600)), Method: "POST", Path: "/h?x=<1>",
			RemoteAddr: "127.0.0.1:1", Headers: map[string][]string{"B": {"1", "\xff"}, "A": nil, "C": {}}, Verified: true,
			Reason: "r", Action: "a.b", ID: "01KB", Status: 401},
		{ReceivedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Headers: map[string][]string{}, BodyBase64: "/w=="},
		{ReceivedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), BodyTruncated: true, BodySize: 1 << 40},
	}
	recs[1].SetBody([]byte(body))
	for i, rec := range recs {
		want, err := Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendRecord(nil, &rec)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("record %d: appendRecord =\n%s\nMarshal =\n%s", i, got, want)
		}
	}
	if _, ok := appendRecord(nil, &Record{ReceivedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}); ok {
		t.Error("appendRecord accepted year 10000, which encoding/json refuses")
	}
}

func FuzzAppendRecord(f *testing.F) {
	f.Add("POST", "/p", "k", "v", []byte("{\"a\":\"\u2028<>&\x01\"}"), int64(0), 200)
	f.Add("", "", "", "", []byte{0xff, 0xfe}, int64(-1), 0)
	f.Fuzz(func(t *testing.T, method, path, hk, hv string, body []byte, nanos int64, status int) {
		rec := Record{ReceivedAt: time.Unix(0, nanos).UTC(), Method: method, Path: path, RemoteAddr: hv,
			Headers: map[string][]string{hk: {hv, method}, "X": {path}}, Reason: hk, Action: hv, ID: path, Status: status,
			BodyTruncated: status%2 == 0, BodySize: nanos}
		rec.SetBody(body)
		want, err := Marshal(rec)
		got, ok := appendRecord(nil, &rec)
		if err != nil {
			if ok {
				t.Fatalf("Marshal failed (%v) but appendRecord did not", err)
			}
			return
		}
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("appendRecord =\n%q\nMarshal =\n%q", got, want)
		}
	})
}

// TestWriteErrorNamesTheFileOnce fails a write (the file was closed under
// the writer) and checks the message does not repeat "write PATH:".
func TestWriteErrorNamesTheFileOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_ = w.f.Close() // the next write fails as a full disk's would, with a *fs.PathError
	err = w.Append(Record{Method: "POST"})
	if err == nil || strings.Count(err.Error(), path) != 1 || !strings.HasPrefix(err.Error(), "write "+path+": ") {
		t.Errorf("Append error = %v, want the path named once", err)
	}
}
