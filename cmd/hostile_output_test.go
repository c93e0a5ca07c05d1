package cmd

// Issue 13, items 4 and 8: values from captured or forged bodies, and the
// password of a target URL, as every command prints them.

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

const (
	// hostileAction would retitle the window, clear the screen, return to
	// the start of the line to print a fake verdict, reverse the text after
	// it, hide a character, start a C1 CSI and smear a mark storm.
	hostileAction = "reservation.created\x1b]0;pwned\x07\x1b[2J\r✓ valid signature\u202egnp.exe\u200b\u009b31m" +
		"e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301"
	hostileID    = "01KB\x1b[8m\u2028hidden\u2066\ufeff"
	urlPassword  = "s3cretpw-in-the-url"
	maxMarksSeen = 6
)

// terminalUnsafe returns the first character of s that could drive or
// deceive a terminal (line feeds and tabs allowed), or -1.
func terminalUnsafe(s string) rune {
	marks := 0
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			marks = 0
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029':
			return r
		case unicode.In(r, unicode.Mn, unicode.Me):
			if marks++; marks > maxMarksSeen {
				return r
			}
		default:
			marks = 0
		}
	}
	return -1
}

// hostileFiles writes a forged body carrying hostileAction and hostileID,
// and a capture file holding it as `listen --save` would.
func hostileFiles(t *testing.T) (body []byte, bodyFile, captureFile string) {
	t.Helper()
	body, _ = json.Marshal(map[string]any{"id": hostileID, "action": hostileAction, "data": map[string]any{"guest": hostileAction}, "created": "2026-11-28T09:35:24Z", "version": "1.0"})
	bodyFile = writeFile(t, "forged.json", string(body))
	rec := capture.Record{
		ReceivedAt: time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC), Method: "POST", Path: "/webhooks/hospitable\u202e", RemoteAddr: "127.0.0.1:5555",
		Headers: http.Header{"Content-Type": {"application/json"}, "Signature": {signature.Sign(body, "not-the-secret")}, "X-Evil": {"\u202e\x1b[2J"}},
		Reason:  "signature mismatch", Action: hostileAction, ID: hostileID, Status: 401,
	}
	rec.SetBody(body)
	line, _ := json.Marshal(rec)
	captureFile = writeFile(t, "capture.jsonl", string(line)+"\n")
	return body, bodyFile, captureFile
}

// hostileServer answers every request 200 with a hostile header and body.
func hostileServer(t *testing.T) (plain, withPassword string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Reply", "ok\u202e\u200b")
		_, _ = w.Write([]byte("ok\x1b]0;pwned\x07\u202e\u009b2J\r\n" + hostileAction))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/webhooks/hospitable", "http://hh-user:" + urlPassword + "@" + strings.TrimPrefix(srv.URL, "http://") + "/webhooks/hospitable"
}

// TestOutsideValuesEscapedInEveryCommand runs every command that prints an
// action, id, header or response from outside, in every mode, on a forged
// delivery whose action and id carry terminal escapes, bidi overrides,
// zero-width characters, a line separator and a combining-mark storm, and
// checks that none reaches stdout or stderr raw (--json included), while
// the escaped form shows. The target URL carries a password, which must
// never be printed either (item 8).
func TestOutsideValuesEscapedInEveryCommand(t *testing.T) {
	body, bodyFile, captureFile := hostileFiles(t)
	_, to := hostileServer(t)
	sig := signature.Sign(body, "not-the-secret")
	runs := map[string][]string{
		"verify capture":               {"verify", "--file", captureFile, "--secret", "x"},
		"verify capture --json":        {"verify", "--file", captureFile, "--secret", "x", "--json"},
		"verify body":                  {"verify", "--file", bodyFile, "--signature", sig, "--secret", "x"},
		"replay":                       {"replay", captureFile, "--to", to},
		"replay -v":                    {"replay", captureFile, "--to", to, "-v"},
		"replay --json":                {"replay", captureFile, "--to", to, "--json"},
		"replay --dry-run":             {"replay", captureFile, "--to", to, "--dry-run"},
		"replay --dry-run -v":          {"replay", captureFile, "--to", to, "--dry-run", "-v"},
		"replay --dry-run --json":      {"replay", captureFile, "--to", to, "--dry-run", "--json"},
		"send --body":                  {"send", "--body", bodyFile, "--to", to},
		"send --body -v":               {"send", "--body", bodyFile, "--to", to, "-v"},
		"send --body --json":           {"send", "--body", bodyFile, "--to", to, "--json"},
		"send --body --dry-run":        {"send", "--body", bodyFile, "--to", to, "--dry-run"},
		"send --body --dry-run --json": {"send", "--body", bodyFile, "--to", to, "--dry-run", "--json"},
		"send --body - --print-curl":   {"send", "--body", "-", "--to", to, "--print-curl"},
		"send --body --print-curl":     {"send", "--body", bodyFile, "--to", to, "--print-curl"},
		"send --count":                 {"send", "--body", bodyFile, "--to", to, "--count", "3"},
		"send --count --json":          {"send", "--body", bodyFile, "--to", to, "--count", "3", "--json"},
		"send to a closed port":        {"send", "--body", bodyFile, "--to", "http://hh-user:" + urlPassword + "@127.0.0.1:1/x"},
		"send to a bad URL":            {"send", "--body", bodyFile, "--to", "http://hh-user:" + urlPassword + "@127.0.0.1:x/"},
		"simulate --body":              {"simulate", "--body", bodyFile, "--to", to, "--instant"},
		"simulate --body --json":       {"simulate", "--body", bodyFile, "--to", to, "--instant", "--json"},
		"check":                        {"check", to},
		"check --format json":          {"check", to, "--format", "json"},
		"check --format junit":         {"check", to, "--format", "junit"},
		"check --format tap":           {"check", to, "--format", "tap"},
		"check a closed port":          {"check", "http://hh-user:" + urlPassword + "@127.0.0.1:1/x"},
		"check a closed port, tap":     {"check", "http://hh-user:" + urlPassword + "@127.0.0.1:1/x", "--format", "tap"},
		"check a closed port, junit":   {"check", "http://hh-user:" + urlPassword + "@127.0.0.1:1/x", "--format", "junit"},
		"sign --curl":                  {"sign", "--file", bodyFile, "--curl", to},
	}
	for name, args := range runs {
		t.Run(name, func(t *testing.T) {
			res := runCLI(t, nil, string(body), args...)
			out := res.stdout + res.stderr
			if strings.Contains(out, urlPassword) {
				t.Errorf("%v prints the URL's password:\n%s", args, out)
			}
			if r := terminalUnsafe(out); r >= 0 {
				i := strings.IndexRune(out, r)
				t.Errorf("%v prints %U raw, at %q", args, r, out[max(0, i-40):min(len(out), i+20)])
			}
			if res.code == 2 && !strings.Contains(name, "bad URL") {
				t.Errorf("%v exited 2:\n%s", args, out)
			}
		})
	}
}

// TestURLPasswordMaskedByListenForwardTo: the ready line, every row and
// --json name the app behind --forward-to without its password.
func TestURLPasswordMaskedByListenForwardTo(t *testing.T) {
	_, app := hostileServer(t)
	for _, mode := range []string{"-v", "--json"} {
		l := startListen(t, true, "--forward-to", app, "--secret", "k", mode)
		res := runCLI(t, nil, "", "send", "review.created", "--to", l.url+"/webhooks/hospitable", "--secret", "k")
		l.cancel()
		l.wait(t)
		out := l.stdout.String() + l.stderr.String()
		if res.code != 0 {
			t.Errorf("send through listen %s --forward-to exited %d: %s%s", mode, res.code, res.stdout, res.stderr)
		}
		if strings.Contains(out, urlPassword) {
			t.Errorf("listen %s --forward-to prints the URL's password:\n%s", mode, out)
		}
		if strings.Count(out, "hh-user:xxxxx@") < 2 {
			t.Errorf("listen %s --forward-to does not name the app (masked) on the ready line and the row:\n%s", mode, out)
		}
		if r := terminalUnsafe(out); r >= 0 {
			t.Errorf("listen %s --forward-to prints %U raw from the app's answer:\n%q", mode, r, out)
		}
	}
}

// TestVerifyCannotBeFooledByAForgedLabel: a forged record's action that
// returns to the start of the line to print "✓ valid signature" is shown
// escaped, on the line of the real verdict.
func TestVerifyCannotBeFooledByAForgedLabel(t *testing.T) {
	_, _, capturePath := hostileFiles(t)
	res := runCLI(t, nil, "", "verify", "--file", capturePath, "--secret", "x")
	first, _, _ := strings.Cut(res.stdout, "\n")
	if res.code != 1 || !strings.HasPrefix(first, "✗ invalid signature line 1 reservation.created\\x1b]0;pwned\\x07\\x1b[2J\\x0d✓ valid signature\\u202egnp.exe\\u200b\\x9b31m") {
		t.Errorf("verify of a forged record = %d, first line %q", res.code, first)
	}
	if filepath.Base(capturePath) == "" {
		t.Fatal("no capture")
	}
}

// TestVerifyDeepBodySaysForensicsSkipped: `verify` on a forged body nested
// 10,000 deep (12 s and 806 MB before the forensics were bounded) answers
// at once, invalid, and says why it explained less.
func TestVerifyDeepBodySaysForensicsSkipped(t *testing.T) {
	deep := writeFile(t, "deep.json", strings.Repeat("[", 10_000)+strings.Repeat("]", 10_000))
	res := runCLI(t, nil, "", "verify", "--file", deep, "--signature", strings.Repeat("0", 64), "--secret", "k")
	if res.code != 1 || !strings.Contains(res.stdout, "nested deeper than 100 levels, so its JSON layout forensics were skipped") {
		t.Errorf("verify of a body nested 10,000 deep = %d:\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = runCLI(t, nil, "", "verify", "--file", deep, "--signature", strings.Repeat("0", 64), "--secret", "k", "--json")
	if !strings.Contains(res.stdout, `"skipped":"trailing newlines`) {
		t.Errorf("verify --json of a deep body has no finding.skipped:\n%s", res.stdout)
	}
}

// TestListenSurvivesDeepForgedBodies posts the forged bodies that made
// `listen` die out of memory (20 KB nested 10,000 deep, 256 KB nested
// 128,000 deep, 64 KB of short values 999 deep) to a real `listen -v` on
// 127.0.0.1, and checks each gets its 401 and its row, a valid delivery
// after them is still shown, and the whole run allocates a bounded amount
// (before: gigabytes for the first body).
func TestListenSurvivesDeepForgedBodies(t *testing.T) {
	bodies := [][]byte{
		[]byte(strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000)),
		[]byte(strings.Repeat("[", 128_000) + strings.Repeat("]", 128_000)),
		[]byte(`{"action":"x","data":` + strings.Repeat("[", 998) + strings.Repeat("1,", 30_000) + "1" + strings.Repeat("]", 998) + `}`),
	}
	l := startListen(t, true, "--secret", "k", "-v")
	to := l.url + "/webhooks/hospitable"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, b := range bodies {
		if code := postSigned(t, to, b, strings.Repeat("0", 64)); code != http.StatusUnauthorized {
			t.Errorf("forged %d-byte deep body answered %d, want 401", len(b), code)
		}
	}
	valid := []byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"review.created","data":{}}`)
	if code := postSigned(t, to, valid, signature.Sign(valid, "k")); code != http.StatusOK {
		t.Errorf("valid delivery after the forged ones answered %d", code)
	}
	l.cancel()
	l.wait(t)
	runtime.ReadMemStats(&after)
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(64<<20); got > limit {
		t.Errorf("listen -v allocated %d MB for three forged deep bodies, want at most %d MB", got>>20, limit>>20)
	}
	out := l.stdout.String()
	if n := strings.Count(out, "✗ forged"); n != len(bodies) {
		t.Errorf("%d forged rows, want %d:\n%.2000s", n, len(bodies), out)
	}
	if !strings.Contains(out, "✓ review.created 01KB2Y5X0Q3W7F8G9H0J1K2M3N") {
		t.Errorf("the valid delivery after the forged ones is not shown:\n%.3000s", out)
	}
}
