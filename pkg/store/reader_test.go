package store

import (
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

func FuzzCaptureLine(f *testing.F) {
	f.Add([]byte(`{"method":"POST","headers":{"Signature":["x"]},"body":"{}","status":200}` + "\n"))
	f.Add([]byte(`{"body_base64":"!!"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = Read(strings.NewReader(string(data)), func(e Entry) error {
			if _, err := e.Record.BodyBytes(); err != nil {
				t.Fatalf("Read passed a record whose body does not decode: %v", err)
			}
			return nil
		}, func(*LineError) {})
	})
}
