package render

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

func sampleResults() []SendResult {
	at := time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC)
	d := event.Delivery{Action: "reservation.created", ID: "01KB6DGNF0E0G2JW0F2RHT0C6B", Body: []byte(`{}`), Signature: "ab12"}
	resp := func(status int, body string) deliver.Response {
		return deliver.Response{Status: status, Proto: "HTTP/1.1", Latency: 12 * time.Millisecond, Body: []byte(body), BodyLength: int64(len(body)),
			Header:        http.Header{"Content-Type": {"text/plain"}},
			RequestHeader: http.Header{"Signature": {"ab12"}, "Content-Type": {"application/json"}}}
	}
	long := resp(500, strings.Repeat("error ", 50))
	long.Latency = 1250 * time.Millisecond
	redirect := resp(302, "")
	redirect.Header.Set("Location", "https://example.com/new")
	return []SendResult{
		{Time: at, URL: "http://127.0.0.1:5000/webhooks/hospitable", Delivery: d, Response: resp(200, `{"ok":true}`)},
		{Time: at, URL: "http://127.0.0.1:5000/webhooks/hospitable", Delivery: d, Response: resp(204, "")},
		{Time: at, URL: "http://127.0.0.1:5000/webhooks/hospitable", Delivery: d, Response: long},
		{Time: at, URL: "http://127.0.0.1:5000/webhooks/hospitable", Delivery: d, Response: redirect},
		{Time: at, URL: "http://127.0.0.1:5000/webhooks/hospitable", Delivery: d, Response: resp(200, "line one\nline two\x1b[31m")},
		{Time: at, URL: "http://127.0.0.1:5000/webhooks/hospitable", Delivery: d,
			Err: &deliver.TransportError{Kind: deliver.KindRefused, Addr: "127.0.0.1:5000", Err: syscall.ECONNREFUSED}},
	}
}

func TestSendLine(t *testing.T) {
	for _, tty := range []bool{false, true} {
		io, _, out, _ := Test()
		if tty {
			io.SetTerminal(true, true)
			io.SetColor(true)
		}
		for _, r := range sampleResults() {
			SendLine(out, io.Styles(), r, false)
		}
		SendSummary(out, io.Styles(), sampleResults())
		name := "TestSendLine.golden"
		if tty {
			name = "TestSendLine.tty.golden"
		}
		golden(t, name, out.Bytes())
	}
}

func TestSendLineVerbose(t *testing.T) {
	io, _, out, _ := Test()
	for _, r := range sampleResults()[:3] {
		SendLine(out, io.Styles(), r, true)
	}
	golden(t, "TestSendLineVerbose.golden", out.Bytes())
}

func TestSendFailure(t *testing.T) {
	rs := sampleResults()
	if got := SendFailure(rs[:1]); got != "" {
		t.Errorf("SendFailure(all 200) = %q", got)
	}
	if got, want := SendFailure(rs[1:2]), "reservation.created not delivered: 204 No Content, not 200: Hospitable treats only 200 as success and will retry this delivery; answer exactly 200"; got != want {
		t.Errorf("SendFailure(204) = %q, want %q", got, want)
	}
	if got, want := SendFailure(rs), "4 of 6 deliveries not delivered; first: reservation.created got 204 No Content"; !strings.HasPrefix(got, want) {
		t.Errorf("SendFailure(mixed) = %q, want it to start %q", got, want)
	}
}

func TestNewSendRecord(t *testing.T) {
	rs := sampleResults()
	rec := NewSendRecord(rs[0])
	if !rec.OK || rec.Status != 200 || rec.StatusText != "OK" || rec.LatencyMS != 12 || rec.ResponseBody != `{"ok":true}` || rec.Error != "" {
		t.Errorf("NewSendRecord(200) = %+v", rec)
	}
	rec = NewSendRecord(rs[5])
	if rec.OK || rec.ErrorKind != "connection_refused" || rec.Hint != "start `hospitable-hook listen` or pass --to" || rec.ResponseHeaders == nil {
		t.Errorf("NewSendRecord(refused) = %+v", rec)
	}
	rec = NewSendRecord(SendResult{Response: deliver.Response{Status: 200, Body: []byte{0xff}, BodyLength: 1}, Err: errors.New("x")})
	if rec.ResponseBodyBase64 != "/w==" || rec.ResponseBody != "" || rec.ErrorKind != "other" {
		t.Errorf("NewSendRecord(binary) = %+v", rec)
	}
}

func TestPreview(t *testing.T) {
	st := newStyles(false)
	tests := []struct {
		body   string
		length int64
		want   string
	}{
		{"ok", 2, "ok (2 bytes)"},
		{strings.Repeat("é", 150), 300, strings.Repeat("é", 100) + "… (first 200 of 300 bytes; -v shows all)"},
		{"a" + strings.Repeat("é", 150), 301, "a" + strings.Repeat("é", 99) + "… (first 199 of 301 bytes; -v shows all)"},
		{"kept", 5000, "kept… (first 4 of 5000 bytes; -v shows all)"},
		{"\xff\xfe", 2, "(2 bytes of binary data)"},
		{"a\r\nb\tc\x00", 7, `a b c\x00 (7 bytes)`},
	}
	for _, tt := range tests {
		if got := preview(st, deliver.Response{Body: []byte(tt.body), BodyLength: tt.length}); got != tt.want {
			t.Errorf("preview(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestDryRun(t *testing.T) {
	var out bytes.Buffer
	DryRun(&out, newStyles(false), "POST", "http://x/y", http.Header{"B": {"2"}, "A": {"1", "3"}}, []byte(`{"a":1}`))
	if want := "POST http://x/y\nA: 1\nA: 3\nB: 2\n\n{\"a\":1}\n"; out.String() != want {
		t.Errorf("DryRun =\n%q\nwant\n%q", out.String(), want)
	}
}

func TestFixtureList(t *testing.T) {
	io, _, out, _ := Test()
	FixtureList(out, io.Styles(), fixture.Catalog())
	golden(t, "TestFixtureList.golden", out.Bytes())
}
