package capture

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func line(t *testing.T, id string, body []byte) string {
	t.Helper()
	r := Record{Method: "POST", Path: "/", ID: id, Status: 200, Headers: map[string][]string{"Signature": {"ab"}}}
	r.SetBody(body)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func TestReadSkipsBadLinesAndKeepsTheRest(t *testing.T) {
	good1 := line(t, "one", []byte(`{"a":"José"}`))
	good2 := line(t, "two", []byte{0xff, 0x00, '{'})
	torn := line(t, "three", []byte(`{}`))
	data := good1 + "not json\n" + "\n" + good2 + torn[:len(torn)/2]

	var ids []string
	var lines []int
	var bad []*LineError
	err := Read(strings.NewReader(data), func(e Entry) error {
		ids = append(ids, e.Record.ID)
		lines = append(lines, e.Line)
		return nil
	}, func(le *LineError) { bad = append(bad, le) })
	if err != nil {
		t.Fatalf("Read() error = %v", err)
	}
	if strings.Join(ids, ",") != "one,two" || lines[0] != 1 || lines[1] != 4 {
		t.Errorf("Read() ids = %v at lines %v, want one,two at 1,4", ids, lines)
	}
	if len(bad) != 2 || bad[0].Line != 2 || bad[1].Line != 5 {
		t.Fatalf("bad lines = %v, want lines 2 and 5", bad)
	}
	if !errors.Is(bad[1], ErrTorn) || errors.Is(bad[0], ErrTorn) {
		t.Errorf("only the last, unterminated line is torn: %v", bad)
	}
}

func TestBodyRoundTrip(t *testing.T) {
	for _, body := range [][]byte{{}, []byte(`{"x":"\u00e9 é"}`), {0xff, 0xfe, 0}} {
		var r Record
		r.SetBody(body)
		b, _ := json.Marshal(r)
		var back Record
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		got, err := back.BodyBytes()
		if err != nil || string(got) != string(body) {
			t.Errorf("body %q came back as %q (%v)", body, got, err)
		}
	}
}

func TestLooksLikeCapture(t *testing.T) {
	if !LooksLikeCapture([]byte(line(t, "x", []byte("{}")))) {
		t.Errorf("a record line is not recognised")
	}
	for _, s := range []string{`{"foo":"bar"}`, `{"headers":{}}`, "", "[]"} {
		if LooksLikeCapture([]byte(s)) {
			t.Errorf("LooksLikeCapture(%q) = true", s)
		}
	}
}

// FuzzCaptureLine reads any bytes as a capture file. Read must not fail on
// them, must number lines in order within the file, must name a torn line
// only at the very end, and whatever came before must not cost a good
// record written after it: the property a killed listener relies on.
func FuzzCaptureLine(f *testing.F) {
	f.Add([]byte(`{"method":"POST","headers":{"Signature":["x"]},"body":"{}","status":200}` + "\n"))
	f.Add([]byte(`{"body_base64":"!!"}`))
	f.Add([]byte("{\"id\":\"a\"}\n\n{\"id\":"))
	f.Add([]byte("\r\n \n{}\n[1]\n\"x\"\nnull\n{\"body\":null,\"body_base64\":\"AA==\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		check := func(data []byte, lines int) (ids []string) {
			last := 0
			next := func(n int, what string) {
				if n <= last || n > lines {
					t.Fatalf("%s at line %d, after line %d, in a file of %d lines: %q", what, n, last, lines, data)
				}
				last = n
			}
			err := Read(bytes.NewReader(data), func(e Entry) error {
				next(e.Line, "record")
				if _, err := e.Record.BodyBytes(); err != nil {
					t.Fatalf("Read passed a record whose body does not decode: %v", err)
				}
				ids = append(ids, e.Record.ID)
				return nil
			}, func(le *LineError) {
				next(le.Line, "bad line")
				if errors.Is(le, ErrTorn) && (le.Line != lines || bytes.HasSuffix(data, []byte("\n"))) {
					t.Fatalf("line %d reported torn, but only an unterminated last line can be: %q", le.Line, data)
				}
			})
			if err != nil {
				t.Fatalf("Read(%q) = %v", data, err)
			}
			return ids
		}
		check(data, lines)
		// A record appended after whatever is there, as Open does after a
		// crash, is read back.
		more := append(append(append([]byte{}, data...), '\n'), line(t, "after-the-damage", []byte(`{}`))...)
		if ids := check(more, lines+2); len(ids) == 0 || ids[len(ids)-1] != "after-the-damage" {
			t.Fatalf("the record after %q was lost: read %q", data, ids)
		}
	})
}

func TestSetBodyUpTo(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		limit int
		want  string
		b64   bool
		trunc bool
	}{
		{"fits", "hello", 5, "hello", false, false},
		{"cut", "hello world", 5, "hello", false, true},
		{"cut before a split character", "ab\u00e9cd", 3, "ab", false, true},
		{"binary", "\xff\xfe\xfd\xfc", 2, "\xff\xfe", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Record
			r.SetBodyUpTo([]byte(tt.body), tt.limit)
			got, err := r.BodyBytes()
			if err != nil || string(got) != tt.want || r.BodyTruncated != tt.trunc || (r.BodyBase64 != "") != tt.b64 {
				t.Fatalf("SetBodyUpTo(%q, %d) kept %q (%v), truncated %v, base64 %q", tt.body, tt.limit, got, err, r.BodyTruncated, r.BodyBase64)
			}
			if tt.trunc && r.BodySize != int64(len(tt.body)) || !tt.trunc && r.BodySize != 0 {
				t.Errorf("body_size %d, want %d", r.BodySize, len(tt.body))
			}
		})
	}
}
