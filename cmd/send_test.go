package cmd

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/oklog/ulid/v2"
	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener/listenertest"
)

// devSecret is the built-in development secret, computed here independently.
var devSecret = base64.StdEncoding.EncodeToString([]byte("dev@hospitable-hook.invalid"))

// hmacHex is the signature, computed independently of pkg/signature.
func hmacHex(body []byte, key string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// hit is one request a test endpoint received.
type hit struct {
	method, path string
	header       http.Header
	body         []byte
}

// endpoint starts a test server that records every request on a channel
// (never asserting in the handler's goroutine) and answers with answer.
// hits returns what arrived so far; send has returned by then, so every
// request it made is there.
func endpoint(t *testing.T, answer http.HandlerFunc) (srv *httptest.Server, hits func() []hit) {
	t.Helper()
	ch := make(chan hit, 64)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ch <- hit{r.Method, r.URL.Path, r.Header.Clone(), b}
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []hit {
		var out []hit
		for {
			select {
			case h := <-ch:
				out = append(out, h)
			default:
				return out
			}
		}
	}
}

func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func fixtureData(t *testing.T, action string) []byte {
	t.Helper()
	b, err := fixture.New(fixtures.FS).Data(action)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func keys(r gjson.Result) []string {
	var ks []string
	r.ForEach(func(k, _ gjson.Result) bool {
		ks = append(ks, k.String())
		return true
	})
	return ks
}

func TestSendExactBytes(t *testing.T) {
	srv, hits := endpoint(t, answer(200, "ok"))
	r := runCLI(t, nil, "", "send", "reservation.created", "--to", srv.URL+"/webhooks/hospitable")
	if r.code != 0 {
		t.Fatalf("send = %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	got := hits()
	if len(got) != 1 {
		t.Fatalf("endpoint got %d requests, want 1", len(got))
	}
	h := got[0]
	if h.method != "POST" || h.path != "/webhooks/hospitable" || h.header.Get("Content-Type") != "application/json" {
		t.Errorf("request = %s %s Content-Type %q", h.method, h.path, h.header.Get("Content-Type"))
	}
	if sig := h.header.Get("Signature"); sig != hmacHex(h.body, devSecret) {
		t.Errorf("Signature = %q, want HMAC of the body with the development secret %q", sig, hmacHex(h.body, devSecret))
	}
	checkReservationCreatedEnvelope(t, h.body)
	line := regexp.MustCompile(`^09:35:24 reservation\.created [0-9A-Z]{26} → 200 OK 0ms\n  ← ok \(2 bytes\)\n$`)
	if !line.MatchString(r.stdout) {
		t.Errorf("stdout = %q, want one line like `09:35:24 reservation.created <id> → 200 OK 0ms` and the body", r.stdout)
	}
	if !strings.Contains(r.stderr, "development secret") {
		t.Errorf("stderr %q does not announce the development secret", r.stderr)
	}
}

// checkReservationCreatedEnvelope: body is Hospitable's envelope, keys in
// its order, with a ULID, the test clock's time, and the reservation.created
// fixture PHP-encoded byte for byte as data; no trailing newline.
func checkReservationCreatedEnvelope(t *testing.T, body []byte) {
	t.Helper()
	env := gjson.ParseBytes(body)
	if got, want := keys(env), []string{"id", "action", "data", "created", "version", "triggers"}; !slices.Equal(got, want) {
		t.Errorf("envelope keys = %v, want %v", got, want)
	}
	if _, err := ulid.ParseStrict(env.Get("id").String()); err != nil {
		t.Errorf("id %q is not a ULID: %v", env.Get("id"), err)
	}
	if env.Get("created").String() != "2026-11-28T09:35:24Z" || env.Get("version").String() != "1.0" || env.Get("triggers").Raw != `["status_changed"]` {
		t.Errorf("created %s version %s triggers %s", env.Get("created"), env.Get("version"), env.Get("triggers").Raw)
	}
	want, _ := jsonstyle.Encode(fixtureData(t, "reservation.created"), jsonstyle.PHP)
	if !bytes.Contains(body, append(append([]byte(`"data":`), want...), `,"created"`...)) {
		t.Errorf("data is not the fixture, PHP-encoded, byte for byte:\n%s", body)
	}
	if bytes.HasSuffix(body, []byte("\n")) {
		t.Errorf("body ends with a newline")
	}
}

func TestSendAll(t *testing.T) {
	srv, hits := endpoint(t, answer(200, ""))
	r := runCLI(t, map[string]string{"HOSPITABLE_HOOK_URL": srv.URL + "/h", "HOSPITABLE_WEBHOOK_SECRET": "s3cret"}, "", "send", "--all")
	if r.code != 0 {
		t.Fatalf("send --all = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	got := hits()
	var actions []string
	ids := map[string]bool{}
	for _, h := range got {
		env := gjson.ParseBytes(h.body)
		actions = append(actions, env.Get("action").String())
		ids[env.Get("id").String()] = true
		if h.header.Get("Signature") != hmacHex(h.body, "s3cret") || h.path != "/h" {
			t.Errorf("%s: bad signature or path %s", env.Get("action"), h.path)
		}
		if _, err := ulid.ParseStrict(env.Get("id").String()); err != nil {
			t.Errorf("id %q: %v", env.Get("id"), err)
		}
	}
	if !slices.Equal(actions, fixture.Actions()) || len(ids) != len(actions) {
		t.Errorf("sent %v with %d distinct ids, want every action once with fresh ids", actions, len(ids))
	}
	// stderr says only which secret signed, never the secret itself.
	if !strings.Contains(r.stdout, "11 of 11 delivered (200 OK)") || r.stderr != "signing with s3cr… (6 chars) from HOSPITABLE_WEBHOOK_SECRET\n" {
		t.Errorf("stdout %q\nstderr %q", r.stdout, r.stderr)
	}
}

func TestSendEncodings(t *testing.T) {
	srv, hits := endpoint(t, answer(200, ""))
	for _, tt := range []struct {
		encoding string
		has      []string
		hasNot   []string
	}{
		{"php", []string{`Jos\u00e9`, `\ud83d\ude42`, `\u2708\ufe0f`, `https:\/\/a0.muscache.com\/`}, []string{"José", "🙂", "https://"}},
		{"compact", []string{"José", "🙂", "✈️", "https://a0.muscache.com/"}, []string{`\u`, `\/`}},
	} {
		t.Run(tt.encoding, func(t *testing.T) {
			r := runCLI(t, nil, "", "send", "message.created", "--to", srv.URL, "--encoding", tt.encoding)
			got := hits()
			if r.code != 0 || len(got) != 1 {
				t.Fatalf("send = %d, %d requests: %s", r.code, len(got), r.stderr)
			}
			body := string(got[0].body)
			for _, s := range tt.has {
				if !strings.Contains(body, s) {
					t.Errorf("--encoding %s body lacks %q", tt.encoding, s)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(body, s) {
					t.Errorf("--encoding %s body has %q", tt.encoding, s)
				}
			}
			style := map[string]jsonstyle.Style{"php": jsonstyle.PHP, "compact": jsonstyle.Compact}[tt.encoding]
			if again, err := jsonstyle.Encode(got[0].body, style); err != nil || string(again) != body {
				t.Errorf("body is not in the %s style exactly: %s", tt.encoding, body)
			}
			if got[0].header.Get("Signature") != hmacHex(got[0].body, devSecret) {
				t.Errorf("bad signature")
			}
		})
	}
}

func TestSendOverrides(t *testing.T) {
	srv, hits := endpoint(t, answer(200, ""))
	dataFile := writeFile(t, "data.json", "[{\"id\": 1, \"z\": \"a/b\"}, {\"id\": 2}]\n")
	tests := []struct {
		name  string
		args  []string
		path  string
		raw   string // the value's raw JSON at path; "" means absent
		check func(t *testing.T, env gjson.Result)
	}{
		{"number", []string{"--set", "data.guests.total=4"}, "data.guests.total", "4", nil},
		{"string", []string{"--set", "data.guest.first_name=Ana"}, "data.guest.first_name", `"Ana"`, nil},
		{"null", []string{"--set", "data.status=null"}, "data.status", "null", nil},
		{"quoted number is a string", []string{"--set", `data.nights="4"`}, "data.nights", `"4"`, nil},
		{"nested object", []string{"--set", `data.guests={"total":9,"note":"x/y"}`}, "data.guests", `{"total":9,"note":"x\/y"}`, nil},
		{"array index", []string{"--set", "data.properties.0.name=Casa"}, "data.properties.0.name", `"Casa"`, nil},
		{"unset", []string{"--unset", "data.review"}, "data.review", "", nil},
		{"unset array element", []string{"--unset", "data.financials.guest.fees.0"}, "data.financials.guest.fees.#", "1", nil},
		{"set then unset in order", []string{"--set", "data.extra=1", "--unset", "data.extra"}, "data.extra", "", nil},
		{"data file", []string{"--data", dataFile}, "data", `[{"id":1,"z":"a\/b"},{"id":2}]`, nil},
		{"id", []string{"--id", "01GTKD6ZYFVQMR0RWP4HBBHNZC"}, "id", `"01GTKD6ZYFVQMR0RWP4HBBHNZC"`, nil},
		{"created", []string{"--created", "2023-10-01T09:35:24Z"}, "created", `"2023-10-01T09:35:24Z"`, nil},
		{"action", []string{"--action", "reservation.cancelled"}, "action", `"reservation.cancelled"`, nil},
		{"version", []string{"--version", "v2"}, "version", `"v2"`, nil},
		{"top-level set", []string{"--set", `triggers=["test"]`}, "triggers", `["test"]`, nil},
		{"key order kept", []string{"--set", "data.guests.total=4", "--set", "data.new=1"}, "data.new", "1", func(t *testing.T, env gjson.Result) {
			want := append(keys(gjson.ParseBytes(fixtureData(t, "reservation.created"))), "new")
			if got := keys(env.Get("data")); !slices.Equal(got, want) {
				t.Errorf("data keys = %v, want %v", got, want)
			}
			if got := keys(env.Get("data.guests")); !slices.Equal(got, []string{"total", "adult_count", "child_count", "infant_count", "pet_count"}) {
				t.Errorf("data.guests keys = %v", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"send", "reservation.created", "--to", srv.URL}, tt.args...)
			r := runCLI(t, nil, "", args...)
			got := hits()
			if r.code != 0 || len(got) != 1 {
				t.Fatalf("%v = %d, %d requests\n%s", tt.args, r.code, len(got), r.stderr)
			}
			env := gjson.ParseBytes(got[0].body)
			if v := env.Get(tt.path); v.Raw != tt.raw {
				t.Errorf("%v: %s = %s, want %s", tt.args, tt.path, v.Raw, tt.raw)
			}
			if got[0].header.Get("Signature") != hmacHex(got[0].body, devSecret) {
				t.Errorf("bad signature")
			}
			if tt.check != nil {
				tt.check(t, env)
			}
		})
	}
}

func TestSendCreatedVerbatim(t *testing.T) {
	srv, hits := endpoint(t, answer(200, ""))
	r := runCLI(t, nil, "", "send", "review.created", "--to", srv.URL, "--created", "2023-10-01 09:35")
	got := hits()
	if r.code != 0 || len(got) != 1 || gjson.GetBytes(got[0].body, "created").String() != "2023-10-01 09:35" {
		t.Fatalf("send --created = %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning: --created \"2023-10-01 09:35\" is not in Hospitable's form") {
		t.Errorf("no warning for an odd --created: %q", r.stderr)
	}
}

func TestSendActionWithoutFixture(t *testing.T) {
	srv, hits := endpoint(t, answer(200, ""))
	data := writeFile(t, "d.json", `{"a":1}`)
	r := runCLI(t, nil, "", "send", "--action", "task.created", "--data", data, "--to", srv.URL)
	got := hits()
	if r.code != 0 || len(got) != 1 {
		t.Fatalf("send = %d: %s", r.code, r.stderr)
	}
	if env := gjson.ParseBytes(got[0].body); env.Get("action").String() != "task.created" || env.Get("data").Raw != `{"a":1}` || env.Get("triggers").Exists() {
		t.Errorf("body = %s", got[0].body)
	}
}

func TestSendBody(t *testing.T) {
	srv, hits := endpoint(t, answer(200, ""))
	raw := "{\"foo\": \"bar/é\"}\r\n"
	file := writeFile(t, "body.json", raw)
	for _, args := range [][]string{{"--body", file}, {"--body", "-"}} {
		r := runCLI(t, nil, raw, append([]string{"send", "--to", srv.URL, "--secret", "123456"}, args...)...)
		got := hits()
		if r.code != 0 || len(got) != 1 {
			t.Fatalf("send %v = %d: %s", args, r.code, r.stderr)
		}
		if string(got[0].body) != raw || got[0].header.Get("Signature") != hmacHex([]byte(raw), "123456") {
			t.Errorf("send %v posted %q signed %s, want the exact bytes", args, got[0].body, got[0].header.Get("Signature"))
		}
	}
	r := runCLI(t, nil, `{"foo":"bar"}`, "send", "--to", srv.URL, "--secret", "123456", "--body", "-", "--json")
	if rec := gjson.Parse(r.stdout); rec.Get("signature").String() != docSig {
		t.Errorf("the doc vector: %s", r.stdout)
	}
	hits()
}

func TestSendHeaders(t *testing.T) {
	srv, hits := endpoint(t, answer(200, ""))
	r := runCLI(t, nil, "", "send", "property.deleted", "--to", srv.URL, "-H", "X-Test: 1", "-H", "Authorization: Bearer a:b", "-H", "Signature: forged")
	got := hits()
	if r.code != 0 || len(got) != 1 {
		t.Fatalf("send = %d: %s", r.code, r.stderr)
	}
	if h := got[0].header; h.Get("X-Test") != "1" || h.Get("Authorization") != "Bearer a:b" || strings.Join(h.Values("Signature"), ",") != "forged" {
		t.Errorf("headers = %v", h)
	}
}

func TestSendNon200(t *testing.T) {
	tests := []struct {
		name   string
		answer http.HandlerFunc
		args   []string
		sent   int
		stdout []string
		stderr string
	}{
		{"204", answer(204, ""), []string{"review.created"}, 1,
			[]string{"→ 204 No Content", "Hospitable treats only 200 as success and will retry"},
			"review.created not delivered: 204 No Content, not 200: Hospitable treats only 200"},
		{"201 with body", answer(201, `{"id":1}`), []string{"review.created"}, 1,
			[]string{"→ 201 Created", `← {"id":1} (8 bytes)`, "only 200"}, "201 Created, not 200"},
		{"500 on every action, all attempted", answer(500, "boom"), []string{"--all"}, 11,
			[]string{"→ 500 Internal Server Error", "← boom (4 bytes)", "11 of 11 not delivered"},
			"11 of 11 deliveries not delivered; first: integration.disconnected got 500 Internal Server Error, not 200"},
		{"long body previewed, never cut silently", answer(400, strings.Repeat("x", 500)), []string{"review.created"}, 1,
			[]string{strings.Repeat("x", 200) + "… (first 200 of 500 bytes; -v shows all)"}, "400 Bad Request, not 200"},
		{"401: the signature refused, every likely cause named", answer(401, "invalid signature"), []string{"review.created"}, 1,
			[]string{"→ 401 Unauthorized", "refused the signature", "raw body bytes", "decoded email", "`Signature`", "secret differs", "`hospitable-hook check http://127.0.0.1:"},
			"401 Unauthorized, not 200: the endpoint refused the signature"},
		{"redirect not followed", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusMovedPermanently)
		},
			[]string{"review.created"}, 1,
			[]string{"→ 301 Moved Permanently", "redirect to /elsewhere not followed"}, "301 Moved Permanently, not 200: redirect to /elsewhere not followed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := endpoint(t, tt.answer)
			r := runCLI(t, nil, "", append([]string{"send", "--to", srv.URL}, tt.args...)...)
			if r.code != 1 {
				t.Errorf("exit %d, want 1", r.code)
			}
			if got := hits(); len(got) != tt.sent {
				t.Errorf("endpoint got %d requests, want %d", len(got), tt.sent)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			if !strings.Contains(r.stderr, "error: "+tt.stderr) && !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, r.stderr)
			}
		})
	}
}

func TestSendTransportErrors(t *testing.T) {
	closed := listenertest.ClosedAddr(t)

	slow, _ := endpoint(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })

	tlsSrv := httptest.NewUnstartedServer(answer(200, "secure"))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	defer tlsSrv.Close()

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"refused", []string{"--to", "http://" + closed + "/webhooks/hospitable"}, 1,
			"connection refused on " + closed + ": start `hospitable-hook listen` or pass --to"},
		{"timeout", []string{"--to", slow.URL, "--timeout", "100ms"}, 1,
			"no answer from " + strings.TrimPrefix(slow.URL, "http://") + " within 100ms: make the endpoint answer faster"},
		{"tls", []string{"--to", tlsSrv.URL}, 1, "x509: certificate signed by unknown authority: for a self-signed certificate pass --insecure"},
		{"tls insecure", []string{"--to", tlsSrv.URL, "--insecure"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"send", "review.created"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.want) || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, want %d and %q on both streams\nstdout %s\nstderr %s", r.code, tt.code, tt.want, r.stdout, r.stderr)
			}
		})
	}
	r := runCLI(t, nil, "", "send", "review.created", "--to", tlsSrv.URL, "--insecure")
	if !strings.Contains(r.stdout, "200 OK") || !strings.Contains(r.stdout, "← secure") {
		t.Errorf("--insecure: %s", r.stdout)
	}
}

func TestSendUsageErrors(t *testing.T) {
	srv, hits := endpoint(t, answer(200, ""))
	bad := writeFile(t, "bad.json", `{"a":`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown action", []string{"reservation.create"}, `unknown action "reservation.create": did you mean "reservation.created"? Valid actions: integration.disconnected,`},
		{"no action", nil, "missing action"},
		{"actions and --all", []string{"review.created", "--all"}, "not both"},
		{"--body and --set", []string{"--body", bad, "--set", "id=1"}, "`--body` posts the file's bytes untouched, so `--set` cannot apply"},
		{"--body and an action", []string{"review.created", "--body", bad}, "`--body` posts one file"},
		{"empty path segment", []string{"review.created", "--set", "data..x=1"}, `bad path "data..x": segment 2 is empty`},
		{"no = in --set", []string{"review.created", "--set", "data.x"}, "write path=value"},
		{"index into a string", []string{"review.created", "--set", "data.id.0=1"}, `--set data.id.0=1: bad path "data.id.0": data.id is a string, not an object or array`},
		{"word index into an array", []string{"reservation.created", "--set", "data.properties.first.name=x"}, "data.properties is an array: index it with a number from 0 to 0"},
		{"missing intermediate", []string{"reservation.created", "--set", "data.gusts.total=1"}, `data has no key "gusts" (did you mean "guests"?)`},
		{"unset nothing, several actions", []string{"review.created", "property.deleted", "--unset", "data.reservation"}, `--unset data.reservation (in property.deleted)`},
		{"bad --data file", []string{"review.created", "--data", bad}, "`--data " + bad + "`: data is not JSON"},
		{"missing --data file", []string{"review.created", "--data", "/nonexistent.json"}, "read /nonexistent.json"},
		{"bad encoding", []string{"review.created", "--encoding", "pretty"}, `unknown encoding "pretty": use php`},
		{"bad URL", []string{"review.created", "--to", "localhost:5000"}, `--to: bad URL "localhost:5000"`},
		{"bad header", []string{"review.created", "-H", "NoColon"}, `-H: bad header "NoColon": write it as 'Name: value'`},
		{"bad timeout", []string{"review.created", "--timeout", "0s"}, "bad `--timeout`"},
		{"dry-run and print-curl", []string{"review.created", "--dry-run", "--print-curl"}, "cannot be used together"},
		{"unknown flag", []string{"review.created", "--nope"}, "unknown flag: --nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"send", "--to", srv.URL}, tt.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Errorf("%v = %d, want 2 with %q\nstdout %q\nstderr %q", tt.args, r.code, tt.want, r.stdout, r.stderr)
			}
			if got := hits(); len(got) != 0 {
				t.Errorf("%v sent %d requests, want none", tt.args, len(got))
			}
			if strings.Contains(r.stderr, "development secret") {
				t.Errorf("%v announces the development secret before failing on input", tt.args)
			}
		})
	}
	r := runCLI(t, map[string]string{"HOSPITABLE_HOOK_URL": "ftp://x"}, "", "send", "review.created")
	if r.code != 2 || !strings.Contains(r.stderr, `HOSPITABLE_HOOK_URL: bad URL "ftp://x": scheme "ftp" is not http or https`) {
		t.Errorf("bad HOSPITABLE_HOOK_URL = %d %q", r.code, r.stderr)
	}
}

func TestSendDryRunAndCurl(t *testing.T) {
	srv, hits := endpoint(t, answer(200, ""))
	r := runCLI(t, nil, "", "send", "property.deleted", "--to", srv.URL+"/x", "--dry-run", "-H", "X-A: 1", "--secret", "k")
	body := `{"id":"01M8GR4SV00W3GE1R70W3GE1R7","action":"property.deleted","data":{"id":"9559199f-0d38-4e3a-a3b2-e2719902ac03"},"created":"2026-11-28T09:35:24Z","version":"1.0"}`
	want := "POST " + srv.URL + "/x\nContent-Length: " + fmt.Sprint(len(body)) + "\nContent-Type: application/json\nHost: " + strings.TrimPrefix(srv.URL, "http://") +
		"\nSignature: " + hmacHex([]byte(body), "k") + "\nUser-Agent: hospitable-hook\nX-A: 1\n\n" + body + "\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("--dry-run = %d\n%s\nwant\n%s\nstderr %s", r.code, r.stdout, want, r.stderr)
	}

	r = runCLI(t, nil, "", "send", "property.deleted", "--to", srv.URL, "--print-curl", "--secret", "k")
	if strings.Contains(r.stdout, "Host:") {
		t.Errorf("--print-curl sets Host, which curl does itself:\n%s", r.stdout)
	}
	for _, s := range []string{"curl -sS -X POST '" + srv.URL + "'", "-H 'Signature: " + hmacHex([]byte(body), "k") + "'", "-H 'Content-Type: application/json'", "--data-binary '" + body + "'"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("--print-curl lacks %q:\n%s", s, r.stdout)
		}
	}
	file := writeFile(t, "b.json", `{"x":1}`)
	if r := runCLI(t, nil, "", "send", "--body", file, "--to", srv.URL, "--print-curl"); !strings.Contains(r.stdout, "--data-binary '@"+file+"'") {
		t.Errorf("--print-curl --body names the file: %s", r.stdout)
	}
	r = runCLI(t, nil, "", "send", "property.deleted", "review.created", "--to", srv.URL, "--dry-run", "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || gjson.Get(lines[0], "method").String() != "POST" || gjson.Get(lines[1], "headers.Signature.0").String() == "" {
		t.Errorf("--dry-run --json:\n%s", r.stdout)
	}
	if got := hits(); len(got) != 0 {
		t.Errorf("dry runs sent %d requests", len(got))
	}
}

func TestSendJSON(t *testing.T) {
	srv, _ := endpoint(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.RawQuery, "fail") {
			w.WriteHeader(204)
			return
		}
		w.Header().Set("X-Ok", "1")
		fmt.Fprint(w, `{"received":true}`)
	})
	t.Run("delivered", func(t *testing.T) {
		r := runCLI(t, nil, "", "send", "review.created", "message.created", "--to", srv.URL, "--json")
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if r.code != 0 || len(lines) != 2 {
			t.Fatalf("send --json = %d, %d lines:\n%s", r.code, len(lines), r.stdout)
		}
		checkSendJSONRecord(t, lines[0])
	})
	t.Run("204", func(t *testing.T) {
		r := runCLI(t, nil, "", "send", "review.created", "--to", srv.URL+"?fail", "--json")
		if r.code != 1 || gjson.Get(r.stdout, "ok").Bool() || !strings.Contains(gjson.Get(r.stdout, "note").String(), "only 200") {
			t.Errorf("204 --json = %d %s", r.code, r.stdout)
		}
	})
	t.Run("refused", func(t *testing.T) {
		r := runCLI(t, nil, "", "send", "review.created", "--to", "http://127.0.0.1:1", "--json")
		if r.code != 1 || gjson.Get(r.stdout, "error_kind").String() != "connection_refused" || gjson.Get(r.stdout, "hint").String() == "" {
			t.Errorf("refused --json = %d %s", r.code, r.stdout)
		}
	})
}

// checkSendJSONRecord: line is the --json record of review.created
// delivered with a 200, and has every field, even the empty ones.
func checkSendJSONRecord(t *testing.T, line string) {
	t.Helper()
	var rec map[string]any
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"time", "action", "id", "url", "signature", "request_bytes", "ok", "status", "status_text", "latency_ms",
		"response_headers", "response_body", "response_length", "response_truncated", "note", "error", "error_kind", "hint"} {
		if _, ok := rec[k]; !ok {
			t.Errorf("--json record lacks %q: %s", k, line)
		}
	}
	if rec["action"] != "review.created" || rec["ok"] != true || rec["status"] != 200.0 || rec["response_body"] != `{"received":true}` {
		t.Errorf("--json record = %s", line)
	}
}

func TestSendVerbose(t *testing.T) {
	long := strings.Repeat("y", 300)
	srv, _ := endpoint(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Answer", "yes")
		fmt.Fprint(w, long)
	})
	r := runCLI(t, nil, "", "send", "review.created", "--to", srv.URL, "-v")
	for _, s := range []string{"> POST " + srv.URL, "> Signature: ", "> Content-Type: application/json", "< HTTP/1.1 200 OK", "< X-Answer: yes", long + "\n", "(300 bytes)"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("-v lacks %q:\n%s", s, r.stdout)
		}
	}
}

func TestSendCompletion(t *testing.T) {
	r := runCLI(t, nil, "", "__complete", "send", "")
	for _, a := range fixture.Actions() {
		if !strings.Contains(r.stdout, a+"\n") {
			t.Errorf("send completion lacks %s:\n%s", a, r.stdout)
		}
	}
	r = runCLI(t, nil, "", "__complete", "send", "review.created", "--encoding", "")
	if !strings.Contains(r.stdout, "php\ncompact\n") {
		t.Errorf("--encoding completion:\n%s", r.stdout)
	}
	r = runCLI(t, nil, "", "__complete", "fixtures", "show", "rev")
	if !strings.Contains(r.stdout, "review.created") {
		t.Errorf("fixtures show completion:\n%s", r.stdout)
	}
}
