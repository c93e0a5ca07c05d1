package inspector

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

func TestListInArrivalOrderWithFilters(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.sendAll()

	var all List
	r.get("/api/deliveries", &all)
	checkWholeList(t, all)

	review, message := seqOf("review.created"), seqOf("message.created")
	tests := []struct {
		name, query string
		want        []uint64
	}{
		{"verdict", "?verdict=forged", []uint64{12}},
		{"action", "?action=review.created", []uint64{review}},
		{"two actions", "?action=review.created,message.created", sorted(review, message)},
		{"id", "?id=01KB2Y5X0Q3W7F8G9H0J1K2M03", []uint64{4}},
		{"text in the body, any case", "?q=SEDONA%20CASITA&action=message.created", []uint64{message}},
		{"text in the reason", "?q=does+not+match", []uint64{12}},
		{"page: the newest", "?limit=2", []uint64{11, 12}},
		{"page: before", "?limit=2&before=11", []uint64{9, 10}},
		{"page: after", "?limit=3&after=2", []uint64{3, 4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l List
			r.get("/api/deliveries"+tt.query, &l)
			var got []uint64
			for _, s := range l.Deliveries {
				got = append(got, s.Seq)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("GET /api/deliveries%s = %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

// checkWholeList checks the unfiltered list of sendAll's deliveries: in
// arrival order, the forged one last.
func checkWholeList(t *testing.T, all List) {
	t.Helper()
	want := []string{}
	for _, a := range fixture.Actions() {
		want = append(want, a+"/verified")
	}
	want = append(want, "reservation.created/forged")
	if got := actionsOf(all.Deliveries); !slices.Equal(got, want) {
		t.Fatalf("list = %v\nwant %v", got, want)
	}
	for i, s := range all.Deliveries {
		if s.Seq != uint64(i+1) || s.Kind != "delivery" || s.Size == 0 {
			t.Errorf("row %d: seq %d kind %q size %d", i, s.Seq, s.Kind, s.Size)
		}
	}
	forged := all.Deliveries[11]
	if forged.Status != http.StatusUnauthorized || forged.Verified || forged.Reason == "" || forged.Attempt != 0 {
		t.Errorf("forged row = %+v", forged)
	}
	if all.More || all.Ring.Kept != 12 {
		t.Errorf("more %v, ring %+v; want no more, 12 kept", all.More, all.Ring)
	}
}

func TestListRefusesBadQueries(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.sendAll()
	for _, bad := range []string{"?limit=0", "?limit=x", "?after=-1", "?before=x"} {
		if st, b := r.call(http.MethodGet, "/api/deliveries"+bad, nil); st != http.StatusBadRequest || !contains(b, `"error"`) {
			t.Errorf("GET /api/deliveries%s = %d %s, want 400 with an error", bad, st, b)
		}
	}
}

func TestDetailHasRawBodyMaskingAndForensics(t *testing.T) {
	r := newRig(t, rigOptions{})
	bodies := r.sendAll()
	verifiedDetail(t, r, bodies)
	forgedDetail(t, r)
}

// verifiedDetail checks a verified delivery's detail: the exact body, as
// text and base64, a masked copy, the headers and a digest.
func verifiedDetail(t *testing.T, r *rig, bodies [][]byte) {
	t.Helper()
	var d Detail
	n := seqOf("reservation.created")
	r.get(fmt.Sprintf("/api/deliveries/%d", n), &d)
	sent := bodies[n-1]
	if d.Body.Text == nil || *d.Body.Text != string(sent) {
		t.Fatalf("body text differs from what was sent")
	}
	if raw, _ := base64.StdEncoding.DecodeString(d.Body.Base64); !bytes.Equal(raw, sent) {
		t.Errorf("body base64 differs from what was sent")
	}
	if !bytes.Contains(sent, []byte(`"email":"`)) {
		t.Fatalf("the fixture has no email to mask; the test proves nothing")
	}
	if d.Body.Masked == nil || !strings.Contains(*d.Body.Masked, `"email":"[masked]"`) || strings.Contains(*d.Body.Masked, "@") {
		t.Errorf("masked body = %v, want personal data replaced", d.Body.Masked)
	}
	if d.Headers.Get(signature.Header) != signature.Sign(sent, testSecret) {
		t.Errorf("headers lack the Signature sent: %v", d.Headers)
	}
	if len(d.Digest) == 0 || d.Explanation != nil {
		t.Errorf("verified delivery: digest %v, explanation %v", d.Digest, d.Explanation)
	}
}

// forgedDetail checks that a forged delivery's detail explains why.
func forgedDetail(t *testing.T, r *rig) {
	t.Helper()
	var f Detail
	r.get("/api/deliveries/12", &f)
	if f.Verdict != VerdictForged || f.Explanation == nil || !f.Explanation.Explained {
		t.Fatalf("forged delivery: verdict %q explanation %+v, want a forensic explanation", f.Verdict, f.Explanation)
	}
	if !strings.Contains(f.Explanation.Sentence, "newline") || f.Explanation.Fix == "" {
		t.Errorf("explanation = %q / %q, want the trailing newline named and a fix", f.Explanation.Sentence, f.Explanation.Fix)
	}
}

func TestDetailOfNoSuchRequest(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.sendAll()
	for _, path := range []string{"/api/deliveries/99", "/api/deliveries/x"} {
		if st, b := r.call(http.MethodGet, path, nil); st == http.StatusOK || !contains(b, `"error"`) {
			t.Errorf("GET %s = %d %s, want an error", path, st, b)
		}
	}
}

func TestNotUTF8BodyComesAsBase64(t *testing.T) {
	r := newRig(t, rigOptions{})
	body := []byte{0xff, 0xfe, 'h', 'i', 0}
	r.post(body, signature.Sign(body, testSecret))
	var d Detail
	r.get("/api/deliveries/1", &d)
	if d.Body.UTF8 || d.Body.Text != nil || d.Verdict != VerdictNotJSON {
		t.Errorf("body %+v verdict %q, want not UTF-8, no text, not_json", d.Body, d.Verdict)
	}
	if raw, _ := base64.StdEncoding.DecodeString(d.Body.Base64); !bytes.Equal(raw, body) {
		t.Errorf("base64 = %q, want the exact bytes", d.Body.Base64)
	}
	st, b := r.call(http.MethodGet, "/api/deliveries/1/body", nil)
	if st != http.StatusOK || !bytes.Equal(b, body) {
		t.Errorf("download = %d %q, want the exact bytes", st, b)
	}
	_, curl := r.call(http.MethodGet, "/api/deliveries/1/curl", nil)
	if !contains(curl, "@delivery-1.bin") {
		t.Errorf("curl for a binary body = %s, want it to post the downloaded file", curl)
	}
}

// TestScriptBodyIsNeverHTML sends a delivery full of markup: the API
// carries it as JSON text (never HTML), and the page's script only ever
// puts outside text on the page with textContent or text nodes.
func TestScriptBodyIsNeverHTML(t *testing.T) {
	r := newRig(t, rigOptions{})
	body := []byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"<script>alert(1)</script>","data":{"note":"<img src=x onerror=alert(2)>"}}`)
	r.post(body, signature.Sign(body, testSecret))

	req, _ := http.NewRequest(http.MethodGet, "http://"+r.addr+"/api/deliveries/1", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw bytes.Buffer
	_, _ = raw.ReadFrom(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("Content-Type %q, nosniff %q: a browser could sniff it as HTML", ct, resp.Header.Get("X-Content-Type-Options"))
	}
	if strings.Contains(raw.String(), "<script>") || strings.Contains(raw.String(), "<img") {
		t.Errorf("the API answer carries raw markup: %s", raw.String())
	}
	var d Detail
	if err := json.Unmarshal(raw.Bytes(), &d); err != nil || d.Action != "<script>alert(1)</script>" {
		t.Errorf("decoded action = %q (%v), want the exact text", d.Action, err)
	}

	// The page: a strict CSP without inline script, and no HTML sinks.
	st, page := r.call(http.MethodGet, "/", nil)
	if st != http.StatusOK || !contains(page, `<script src="/assets/app.js"`) {
		t.Fatalf("GET / = %d", st)
	}
	if regexp.MustCompile(`<script>|\son[a-z]+=`).Match(page) {
		t.Errorf("the page has inline script")
	}
	scripts, err := filepath.Glob("web/*.js")
	if err != nil || len(scripts) < 4 {
		t.Fatalf("web/*.js = %v, %v", scripts, err)
	}
	for _, name := range scripts {
		js, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !contains(page, `<script src="/assets/`+filepath.Base(name)+`" defer>`) {
			t.Errorf("the page does not load %s", name)
		}
		for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
			if bytes.Contains(js, []byte(sink)) {
				t.Errorf("%s uses %s: outside text must go in as text", name, sink)
			}
		}
	}
}

func TestSecretNeverLeavesWhole(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.sendAll()
	for _, path := range []string{"/", "/api/session", "/api/deliveries", "/api/deliveries/12", "/api/deliveries/1", "/assets/base.js", "/assets/list.js", "/assets/detail.js", "/assets/app.js"} {
		_, b := r.call(http.MethodGet, path, nil)
		if contains(b, testSecret) || contains(b, testSecret[:10]) {
			t.Errorf("GET %s carries the secret", path)
		}
	}
	var s Session
	r.get("/api/session", &s)
	if s.Secret != signature.Mask(testSecret) || s.Token != r.server.Token() {
		t.Errorf("session = %+v", s)
	}
}

func TestHostOriginAndToken(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.sendAll()
	_, port, _ := net.SplitHostPort(r.addr)
	token := r.server.Token()
	tests := []struct {
		name, method, path, host, origin, site, token string
		want                                          int
	}{
		{"own page reads", "GET", "/api/deliveries", "", "", "", "", 200},
		{"localhost name", "GET", "/api/deliveries", "localhost:" + port, "", "", "", 200},
		{"the page", "GET", "/", "", "", "none", "", 200},
		{"rebinding: another name", "GET", "/api/deliveries", "evil.example:" + port, "", "", "", 403},
		{"rebinding: the page", "GET", "/", "evil.example:" + port, "", "", "", 403},
		{"another port", "GET", "/api/deliveries", "127.0.0.1:1", "", "", "", 403},
		{"cross-site read", "GET", "/api/deliveries", "", "", "cross-site", "", 403},
		{"clear with token", "POST", "/api/clear", "", "own", "same-origin", token, 200},
		{"clear without token", "POST", "/api/clear", "", "own", "same-origin", "", 403},
		{"clear with a wrong token", "POST", "/api/clear", "", "own", "", "x" + token, 403},
		{"cross-origin clear, token and all", "POST", "/api/clear", "", "http://evil.example", "cross-site", token, 403},
		{"opaque origin", "DELETE", "/api/deliveries", "", "null", "", token, 403},
		{"another local port", "POST", "/api/deliveries/1/replay", "", "http://127.0.0.1:3000", "same-site", token, 403},
		{"script without origin, with token", "DELETE", "/api/deliveries", "", "", "", token, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, "http://"+r.addr+tt.path, strings.NewReader("{}"))
			if tt.host != "" {
				req.Host = tt.host
			}
			switch tt.origin {
			case "":
			case "own":
				req.Header.Set("Origin", "http://"+r.addr)
			default:
				req.Header.Set("Origin", tt.origin)
			}
			if tt.site != "" {
				req.Header.Set("Sec-Fetch-Site", tt.site)
			}
			if tt.token != "" {
				req.Header.Set(TokenHeader, tt.token)
			}
			st, b := r.do(req)
			if st != tt.want {
				t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.path, st, b, tt.want)
			}
			if st == 403 && !contains(b, `"error":"`) {
				t.Errorf("refusal without a reason: %s", b)
			}
		})
	}
	if _, page := r.call(http.MethodGet, "/", nil); !contains(page, `content="`+token+`"`) {
		t.Errorf("the page does not hold the token")
	}
	if st, _ := r.call(http.MethodGet, "/api/deliveries/1", nil); st != http.StatusNotFound {
		t.Errorf("after the clears, #1 = %d, want 404", st)
	}
}

func TestReplayAndEditAndSend(t *testing.T) {
	target := newRig(t, rigOptions{})
	r := newRig(t, rigOptions{})
	bodies := r.sendAll()
	// The steps share the two rigs, in this order: each reads the target's
	// next request.
	replaysByteForByte(t, r, target, bodies[2])
	replayedForgeryStaysForged(t, r, target)
	sendsAnEditedBody(t, r, target, bodies[0])
	replaysToItselfWithoutURL(t, r)
	refusesBadSends(t, r)
}

// replaysByteForByte replays delivery #3 to the target's /hook.
func replaysByteForByte(t *testing.T, r, target *rig, sent []byte) {
	t.Helper()
	st, b := r.call(http.MethodPost, "/api/deliveries/3/replay", SendRequest{URL: target.delivery.URL + "/hook"})
	var res SendResult
	if err := json.Unmarshal(b, &res); st != http.StatusOK || err != nil {
		t.Fatalf("replay = %d %s", st, b)
	}
	if !res.Success || res.Status != 200 || res.Resigned || res.Signature != signature.Sign(sent, testSecret) {
		t.Errorf("replay result = %+v", res)
	}
	var got Detail
	target.get("/api/deliveries/1", &got)
	if *got.Body.Text != string(sent) || !got.Verified || got.Path != "/hook" || got.Headers.Get("User-Agent") != "Hospitable-test" {
		t.Errorf("the target got path %q verified %v UA %q, body equal %v", got.Path, got.Verified, got.Headers.Get("User-Agent"), *got.Body.Text == string(sent))
	}
}

// replayedForgeryStaysForged: a forged delivery replayed stays forged,
// byte for byte, signature and all.
func replayedForgeryStaysForged(t *testing.T, r, target *rig) {
	t.Helper()
	r.call(http.MethodPost, "/api/deliveries/12/replay", SendRequest{URL: target.delivery.URL})
	var got Detail
	target.get("/api/deliveries/2", &got)
	if got.Verified || got.Status != http.StatusUnauthorized {
		t.Errorf("replayed forgery: verified %v status %d", got.Verified, got.Status)
	}
}

// sendsAnEditedBody edits delivery #1's body and sends it, signed afresh.
func sendsAnEditedBody(t *testing.T, r, target *rig, first []byte) {
	t.Helper()
	edited := strings.Replace(string(first), `"1.0"`, `"v2"`, 1)
	st, b := r.call(http.MethodPost, "/api/send", SendRequest{URL: target.delivery.URL, Body: &edited, From: 1})
	var res SendResult
	if err := json.Unmarshal(b, &res); st != http.StatusOK || err != nil || !res.Success || !res.Resigned {
		t.Fatalf("send = %d %s", st, b)
	}
	if res.Signature != signature.Sign([]byte(edited), testSecret) {
		t.Errorf("send signed %s, want the HMAC of the edited body", res.Signature)
	}
	var got Detail
	target.get("/api/deliveries/3", &got)
	if *got.Body.Text != edited || !got.Verified {
		t.Errorf("the target got %q verified %v, want the edited body verified", *got.Body.Text, got.Verified)
	}
}

// replaysToItselfWithoutURL: without a URL, a replay goes back to the
// listener itself.
func replaysToItselfWithoutURL(t *testing.T, r *rig) {
	t.Helper()
	r.call(http.MethodPost, "/api/deliveries/1/replay", nil)
	var l List
	r.get("/api/deliveries?limit=1", &l)
	if l.Deliveries[0].Seq != 13 || l.Deliveries[0].Attempt != 2 || l.Deliveries[0].ID != "01KB2Y5X0Q3W7F8G9H0J1K2M00" {
		t.Errorf("replay to the listener itself: newest = %+v, want #13, attempt 2 of the first id", l.Deliveries[0])
	}
}

// refusesBadSends: bad requests are API errors; a target that does not
// answer is a result with an error.
func refusesBadSends(t *testing.T, r *rig) {
	t.Helper()
	for _, tt := range []struct {
		path string
		body any
		want int
	}{
		{"/api/deliveries/1/replay", SendRequest{URL: "ftp://x"}, 400},
		{"/api/deliveries/99/replay", nil, 404},
		{"/api/send", SendRequest{}, 400},
		{"/api/send", "not an object", 400},
	} {
		if st, b := r.call(http.MethodPost, tt.path, tt.body); st != tt.want || !contains(b, `"error"`) {
			t.Errorf("POST %s %v = %d %s, want %d", tt.path, tt.body, st, b, tt.want)
		}
	}
	// A target that does not answer is reported, not an API failure.
	dead := "http://127.0.0.1:1/"
	var res SendResult
	st, b := r.call(http.MethodPost, "/api/deliveries/1/replay", SendRequest{URL: dead})
	if err := json.Unmarshal(b, &res); st != 200 || err != nil || res.Success || res.Error == "" {
		t.Errorf("replay to a closed port = %d %s, want a result with an error", st, b)
	}
}

func TestCaptureAndCurl(t *testing.T) {
	r := newRig(t, rigOptions{})
	bodies := r.sendAll()
	st, b := r.call(http.MethodGet, "/api/capture?seq=2,12", nil)
	if st != 200 {
		t.Fatalf("capture = %d %s", st, b)
	}
	var recs []capture.Record
	err := capture.Read(bytes.NewReader(b), func(e capture.Entry) error { recs = append(recs, e.Record); return nil }, func(le *capture.LineError) { t.Error(le) })
	if err != nil || len(recs) != 2 {
		t.Fatalf("capture holds %d records (%v), want 2", len(recs), err)
	}
	for i, want := range [][]byte{bodies[1], bodies[11]} {
		if got, _ := recs[i].BodyBytes(); !bytes.Equal(got, want) {
			t.Errorf("record %d body differs", i)
		}
	}
	if recs[1].Verified || recs[1].Status != 401 {
		t.Errorf("forged record = %+v", recs[1])
	}

	_, curl := r.call(http.MethodGet, "/api/deliveries/2/curl", nil)
	for _, want := range []string{"curl -sS -X POST '" + r.delivery.URL + "/webhooks/hospitable'", "Signature: " + signature.Sign(bodies[1], testSecret), "--data-binary '"} {
		if !contains(curl, want) {
			t.Errorf("curl lacks %q:\n%s", want, curl)
		}
	}
}

func TestEventStreamBatchesAndClears(t *testing.T) {
	r := newRig(t, rigOptions{batch: 5 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+r.addr+"/api/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	next := func() (string, []byte) {
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				return name, []byte(strings.TrimPrefix(line, "data: "))
			}
		}
		t.Fatalf("stream ended: %v", sc.Err())
		return "", nil
	}
	if name, _ := next(); name != "hello" {
		t.Fatalf("first event %q, want hello", name)
	}
	r.sendAll()
	var seen []string
	for len(seen) < 12 {
		name, data := next()
		var b Batch
		if name != "deliveries" || json.Unmarshal(data, &b) != nil {
			t.Fatalf("event %q %s", name, data)
		}
		seen = append(seen, actionsOf(b.Deliveries)...)
	}
	if seen[0] != fixture.Actions()[0]+"/verified" || seen[11] != "reservation.created/forged" {
		t.Errorf("streamed %v", seen)
	}
	r.call(http.MethodPost, "/api/clear", nil)
	if name, _ := next(); name != "clear" {
		t.Errorf("after a clear, event %q", name)
	}
	body := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2MAA")
	r.post(body, signature.Sign(body, testSecret))
	_, data := next()
	var b Batch
	_ = json.Unmarshal(data, &b)
	if len(b.Deliveries) != 1 || b.Deliveries[0].Seq != 13 {
		t.Errorf("after the clear, batch %s, want #13 alone", data)
	}
}

// seqOf is the seq sendAll gives the delivery of action.
func seqOf(action string) uint64 { return uint64(slices.Index(fixture.Actions(), action) + 1) }

func sorted(s ...uint64) []uint64 { slices.Sort(s); return s }

func TestBindMovesOnFromATakenDefault(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	addr := taken.Addr().String()
	ln, err := Bind(addr, true)
	if err != nil {
		t.Fatalf("Bind(%s, next) = %v", addr, err)
	}
	defer ln.Close()
	if ln.Addr().String() == addr {
		t.Errorf("Bind took the taken address")
	}
	if ln, err := Bind(addr, false); err == nil {
		ln.Close()
		t.Errorf("Bind(%s) of a port the user asked for, taken, succeeded", addr)
	}
	for _, bad := range []string{"4040", ":4040", "127.0.0.1:99999", "127.0.0.1:x"} {
		if ValidateAddr(bad) == nil {
			t.Errorf("ValidateAddr(%q) = nil, want an error", bad)
		}
	}
	if err := ValidateAddr("127.0.0.1:0"); err != nil {
		t.Errorf("ValidateAddr(127.0.0.1:0) = %v", err)
	}
}

func TestVerdicts(t *testing.T) {
	r := newRig(t, rigOptions{})
	good := []byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"x.y","data":{}}`)
	r.post(good, signature.Sign(good, testSecret))
	r.post([]byte("not json"), signature.Sign([]byte("not json"), testSecret))
	r.post(good, "")
	resp, err := http.Get(r.delivery.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var l List
	r.get("/api/deliveries", &l)
	var got []string
	for _, s := range l.Deliveries {
		got = append(got, fmt.Sprint(s.Verdict, " ", s.Status))
	}
	want := []string{"verified 200", "not_json 400", "forged 401", "other 200"}
	if !slices.Equal(got, want) {
		t.Errorf("verdicts = %v, want %v", got, want)
	}
}

// TestSendResultIsWordedAsSend checks that the page's result of a replay
// says what send says of the same answer: verdict's label and note.
func TestSendResultIsWordedAsSend(t *testing.T) {
	for _, status := range []int{200, 204, 401} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
			defer app.Close()
			r := newRig(t, rigOptions{})
			r.sendAll()
			var res SendResult
			st, b := r.call(http.MethodPost, "/api/deliveries/1/replay", SendRequest{URL: app.URL})
			if err := json.Unmarshal(b, &res); st != http.StatusOK || err != nil {
				t.Fatalf("replay = %d %s", st, b)
			}
			want := verdict.Judge(verdict.Answer{Status: status, Target: app.URL})
			if res.Success != want.OK || res.Label != want.Label || res.Note != want.Note() {
				t.Errorf("replay answered %d = success %v, label %q, note %q; want %v, %q, %q", status, res.Success, res.Label, res.Note, want.OK, want.Label, want.Note())
			}
		})
	}
}
