package verify

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// docBody and docSig are the spec's example: {"foo":"bar"} signed with
// the secret 123456.
const (
	docBody = `{"foo":"bar"}`
	docSig  = "cc99bf5947391ddb0d0d9866f5b9d3a68e8b273c5ac8f699b4ae2399a7433118"
)

func secret(v string) signature.Secret {
	return signature.Secret{Value: v, Origin: signature.FromSecretFlag}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name      string
		received  string
		current   string
		older     []string
		valid     bool
		olderUsed bool
		reason    string
	}{
		{"current matches", docSig, "123456", nil, true, false, ""},
		{"only an older one matches", docSig, "new", []string{"other", "123456"}, true, true, ""},
		{"none matches", docSig, "new", []string{"other"}, false, false, ""},
		{"missing header is a finding", "", "123456", nil, false, false, "no Signature header"},
		{"malformed header is a finding", "nothex", "123456", nil, false, false, "not 64 hex characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var older []signature.Secret
			for _, o := range tt.older {
				older = append(older, secret(o))
			}
			r, olderUsed := Check([]byte(docBody), tt.received, secret(tt.current), older)
			if r.Valid != tt.valid || olderUsed != tt.olderUsed {
				t.Errorf("Check(%q) = valid %v, older %v; want %v, %v", tt.received, r.Valid, olderUsed, tt.valid, tt.olderUsed)
			}
			if !strings.Contains(r.Reason, tt.reason) {
				t.Errorf("Check(%q) reason = %q, want it to contain %q", tt.received, r.Reason, tt.reason)
			}
			if tt.olderUsed && r.Secret == "" {
				t.Errorf("Check(%q) names no secret for the older match", tt.received)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	line := captureLine(t, capture.Record{Method: "POST", Headers: http.Header{}}, docBody)
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"capture", line, true},
		{"body", docBody, false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, got, err := Sniff(strings.NewReader(tt.in))
			if err != nil || got != tt.want {
				t.Fatalf("Sniff(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if rest, err := io.ReadAll(r); err != nil || string(rest) != tt.in {
				t.Errorf("Sniff consumed input: read back %q (%v), want %q", rest, err, tt.in)
			}
		})
	}
}

func TestFind(t *testing.T) {
	signed := capture.Record{Method: "POST", ID: "01A", Action: "review.created", Headers: http.Header{signature.Header: {docSig, "second"}}}
	file := captureLine(t, signed, docBody) + "{torn\n" + captureLine(t, capture.Record{Method: "POST"}, "x")
	tests := []struct {
		name     string
		line     int
		received string
		want     Target
		warns    int
		bad      int
		notFound bool
	}{
		{"header of the record", 1, "", Target{Body: []byte(docBody), Received: docSig, Header: true, Line: 1, ID: "01A", Action: "review.created"}, 1, 0, false},
		{"given signature wins", 1, "given", Target{Body: []byte(docBody), Received: "given", Line: 1, ID: "01A", Action: "review.created"}, 0, 0, false},
		{"unreadable line", 2, "", Target{}, 0, 1, true},
		{"past the end", 9, "", Target{}, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			warns, bad := 0, 0
			got, err := Find(strings.NewReader(file), tt.line, tt.received,
				func(string, ...any) { warns++ }, func(*capture.LineError) { bad++ })
			var nf *NotFoundError
			if tt.notFound {
				if !errors.As(err, &nf) || nf.Line != tt.line || nf.Last != 3 {
					t.Fatalf("Find(%d) error = %v, want a NotFoundError with the last record on line 3", tt.line, err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Find(%d) = %+v, want %+v", tt.line, got, tt.want)
			}
			if warns != tt.warns || bad != tt.bad {
				t.Errorf("Find(%d) warned %d times and reported %d bad lines, want %d and %d", tt.line, warns, bad, tt.warns, tt.bad)
			}
		})
	}
}

func TestCapture(t *testing.T) {
	good := capture.Record{Method: "POST", ID: "01A", Action: "review.created", Headers: http.Header{signature.Header: {docSig}}}
	forged := capture.Record{Method: "POST", ID: "01B", Headers: http.Header{signature.Header: {strings.Repeat("0", 64)}}}
	unsigned := capture.Record{Method: "GET", Headers: http.Header{}}
	file := captureLine(t, good, docBody) + "not json\n" + captureLine(t, forged, docBody) + captureLine(t, unsigned, "")
	resolved := 0
	secrets := func() (signature.Secret, []signature.Secret) { resolved++; return secret("123456"), nil }
	var labels []string
	tally, err := Capture(strings.NewReader(file), secrets, func(r Result) { labels = append(labels, fmt.Sprintf("%s %v", r.Label(), r.Valid)) },
		func(string, ...any) {}, func(*capture.LineError) {})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Tally{Checked: 3, Failed: 2, Unreadable: 1}); tally != want {
		t.Errorf("Capture tally = %+v, want %+v", tally, want)
	}
	if resolved != 1 {
		t.Errorf("secrets resolved %d times, want once", resolved)
	}
	want := "line 1 review.created 01A true|line 3  01B false|line 4   false"
	if got := strings.Join(labels, "|"); got != want {
		t.Errorf("Capture results = %q, want %q", got, want)
	}
	if got := tally.String(); got != "3 checked, 1 valid, 2 invalid, 1 unreadable" {
		t.Errorf("Tally.String() = %q", got)
	}
}

func TestCaptureResolvesNoSecretWithoutRecords(t *testing.T) {
	secrets := func() (signature.Secret, []signature.Secret) {
		t.Error("secrets resolved for a file without records")
		return signature.Secret{}, nil
	}
	tally, err := Capture(strings.NewReader("junk\n"), secrets, func(Result) {}, func(string, ...any) {}, func(*capture.LineError) {})
	if err != nil || tally != (Tally{Unreadable: 1}) {
		t.Errorf("Capture(junk) = %+v, %v", tally, err)
	}
}

func TestTallyUnreadableError(t *testing.T) {
	tests := []struct {
		tally Tally
		want  string
	}{
		{Tally{Checked: 2}, ""},
		{Tally{Checked: 2, Unreadable: 1}, "1 line of f.jsonl could not be read (see the warnings above), so it was not checked; the 2 readable records are valid"},
		{Tally{Checked: 2, Unreadable: 3}, "3 lines of f.jsonl could not be read (see the warnings above), so they were not checked; the 2 readable records are valid"},
	}
	for _, tt := range tests {
		got := ""
		if err := tt.tally.UnreadableError("f.jsonl"); err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%+v.UnreadableError() = %q, want %q", tt.tally, got, tt.want)
		}
	}
}

func captureLine(t *testing.T, rec capture.Record, body string) string {
	t.Helper()
	if body != "" {
		rec.SetBody([]byte(body))
	}
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}
