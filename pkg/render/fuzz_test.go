package render

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// FuzzListenEvent feeds any bytes through the real receiver and then through
// every way `listen` prints a delivery: the row and digest, -v (masked and
// with --show-pii), colour, and --json. Nothing may panic, every delivery
// gets its row, and no control character from the body reaches a terminal
// (an ESC in a guest's name must not repaint the developer's screen).
func FuzzListenEvent(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `"x"`, `{"data":[[]]}`,
		`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"reservation.created","data":{"code":"HMZ4TQ8KXN","guest":{"first_name":"José","email":"a@b.c"}},"created":"2026-11-28T09:35:24Z","version":"1.0"}`,
		`{"id":"x","action":"message.created","data":{"body":"Ol\u00e1 https:\/\/x","sender":{"first_name":"Ana"}},"created":"2026-11-28T09:35:24Z","version":"1.0"}`,
		`{"action":"review.created","data":{"public":{"review":"nice"},"rating":5}}`,
		`{"action":"property.changed","data":[{"name":"Villa","address":{"city":"Miami"}}],"triggers":"name"}`,
		`{"body":{"action":"a","data":{}}}`,
		"{\"id\":\"01KB\u202e\u200b\",\"action\":\"review.created\u2028e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u009b\",\"data\":{\"guest\":{\"first_name\":\"\u2066x\ufeff\"}}}",
		`{"action":"x","data":` + strings.Repeat("[", 1200) + strings.Repeat("]", 1200) + `}`,
		"\xff\xfe{\"a\":1}",
	} {
		f.Add([]byte(s), true, "", false, false)
	}
	f.Add([]byte(`{"a":1}`), false, "sha256=00", true, true)
	f.Fuzz(func(t *testing.T, body []byte, signed bool, sig string, verbose, tty bool) {
		h := listener.New(listener.Config{Secret: "fuzz-secret", Buffer: 2})
		if signed {
			sig = signature.Sign(body, "fuzz-secret")
		}
		req := httptest.NewRequest(http.MethodPost, "/webhooks/hospitable", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if strings.IndexFunc(sig, unicode.IsControl) < 0 {
			req.Header.Set(signature.Header, sig)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var ev listener.Event
		select {
		case ev = <-h.Events():
		default:
			t.Fatalf("no event for a %d-byte POST (answered %d)", len(body), rec.Code)
		}
		if ev.Status != rec.Code {
			t.Fatalf("event says %d, answered %d", ev.Status, rec.Code)
		}
		for _, opts := range []ListenOptions{{Verbose: verbose}, {Verbose: verbose, ShowPII: true}} {
			var out bytes.Buffer
			st := newStyles(tty)
			ListenEvent(&out, st, ev, opts)
			first, _, _ := strings.Cut(out.String(), "\n")
			if !strings.Contains(first, "←") {
				t.Fatalf("no row for the delivery: %q", out.String())
			}
			if !tty {
				if !utf8.Valid(out.Bytes()) {
					t.Fatalf("output is not UTF-8:\n%q", out.String())
				}
				if i := strings.IndexFunc(out.String(), func(r rune) bool { return unicode.IsControl(r) && r != '\n' }); i >= 0 {
					t.Fatalf("output carries control character %q from the body at %d:\n%q", []rune(out.String()[i:])[0], i, out.String())
				}
				if r := rawUnsafe(out.String(), true); r >= 0 {
					t.Fatalf("output carries %U (a control, bidi, zero-width or separator character, or a mark storm) from the body:\n%q", r, out.String())
				}
			}
		}
		if _, err := json.Marshal(ListenJSON(ev, nil)); err != nil {
			t.Fatalf("--json object does not encode: %v", err)
		}
	})
}

func TestListenEscapesControlCharacters(t *testing.T) {
	body := []byte(`{"id":"01KB\u001b[2J","action":"reservation.created\u001b]0;pwned\u0007","data":{"code":"\u009b31m","guest":{"first_name":"Jos\u001b[31m\u00e9"},"properties":[{"name":"\u007f\u001b[5mVilla"}]},"created":"2026-11-28T09:35:24Z","version":"1.0"}`)
	for _, tty := range []bool{false, true} {
		var out bytes.Buffer
		ListenEvent(&out, newStyles(tty), listenEvent(body, nil), ListenOptions{Verbose: true})
		got := out.String()
		for _, bad := range []string{"\x1b[2J", "\x1b]0;", "\a", "\u009b", "\x1b[31m\u00e9", "\x7f"} {
			if strings.Contains(got, bad) {
				t.Errorf("tty=%v: output carries %q from the body:\n%q", tty, bad, got)
			}
		}
		for _, want := range []string{`reservation.created\x1b]0;pwned\x07`, `01KB\x1b[2J`, `Jos\x1b[31mé`, ` \x9b31m`} {
			if !strings.Contains(got, want) {
				t.Errorf("tty=%v: output lacks the escaped %q:\n%q", tty, want, got)
			}
		}
	}
}
