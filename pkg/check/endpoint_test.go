package check

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
	"github.com/hospitable-hook/hospitable-hook/pkg/observe"
)

// The endpoint's secret: base64 of an email, as for personal use.
const secret = "ZGV2QGhvc3BpdGFibGUtaG9vay5pbnZhbGlk"

// endpoint is a webhook receiver written the way integrators write them,
// correct by default, with one classic bug switched on at a time.
type endpoint struct {
	key        string                      // HMAC key (default secret)
	header     string                      // where the signature is read (default Signature)
	prefix     string                      // expected before the hex, like "sha256="
	upper      bool                        // computes upper-case hex
	transform  func([]byte) ([]byte, bool) // changes the body before the HMAC
	noVerify   bool                        // accepts anything
	trustXFF   bool                        // a source in 38.80.170.0/24 skips the signature check
	tokenOnly  bool                        // ?token=… in the URL skips the signature check
	crash      bool                        // 500 on a signature that is not 64 hex characters
	status     int                         // answers this instead of 200
	unknown    int                         // answers this to actions it does not know
	v2Refused  bool                        // 400 naming the action for v2-only actions
	strict     bool                        // 400 on {} objects, nulls, floats, missing keys
	maxBody    int                         // 413 above this size
	rejectDup  bool                        // 409 on an id already seen
	racyDedupe bool                        // checks "seen?", works, then marks: loses a race
	noDedupe   bool                        // processes every delivery
	workFirst  bool                        // does the work, then checks the signature
	delay      time.Duration               // waits before answering

	mu    sync.Mutex
	runs  map[string]int // how many times the work ran per id
	gates map[string]chan struct{}
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := e.read(w, r)
	if !ok {
		return
	}
	if e.workFirst {
		var env struct{ ID string }
		_ = json.Unmarshal(body, &env)
		e.count(env.ID)
	}
	if !e.verified(r, body, w) {
		return
	}
	var env struct {
		ID, Action string
		Data       json.RawMessage
	}
	if json.Unmarshal(body, &env) != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	if status, msg := e.refuses(env.Action, env.Data); status != 0 {
		http.Error(w, msg, status)
		return
	}
	if e.work(env.ID, w) {
		e.answer(w)
	}
}

// read reads the body, refuses one over maxBody and waits delay; ok is
// false when the request was answered (or the client left).
func (e *endpoint) read(w http.ResponseWriter, r *http.Request) (body []byte, ok bool) {
	body, err := io.ReadAll(r.Body)
	switch {
	case err != nil:
		http.Error(w, "read", http.StatusBadRequest)
		return nil, false
	case e.maxBody > 0 && len(body) > e.maxBody:
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return nil, false
	case e.delay <= 0:
		return body, true
	}
	t := time.NewTimer(e.delay)
	defer t.Stop()
	select {
	case <-t.C:
		return body, true
	case <-r.Context().Done():
		return nil, false
	}
}

// count notes that the work ran once more for id.
func (e *endpoint) count(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.runs == nil {
		e.runs = map[string]int{}
	}
	e.runs[id]++
}

// refuses is the status and body with which a verified delivery of action
// is refused by the bugs switched on (unknown actions, v2 names, strict
// data); 0 when it is taken.
func (e *endpoint) refuses(action string, data []byte) (int, string) {
	known := slices.Contains(fixture.Actions(), action)
	switch {
	case !known && e.unknown != 0:
		return e.unknown, "unknown action " + action
	case e.v2Refused && known && !strings.HasSuffix(action, ".created") && !strings.HasSuffix(action, ".updated") && action != "property.merged":
		return http.StatusBadRequest, `{"error":"unsupported action ` + action + `"}`
	case e.strict && action == "reservation.created" && strictRefuses(data):
		return http.StatusBadRequest, `{"error":"invalid reservation"}`
	}
	return 0, ""
}

// answer answers a delivery that was taken: status (with a body for a
// 4xx or 5xx), else 200 with a small JSON body.
func (e *endpoint) answer(w http.ResponseWriter) {
	switch {
	case e.status >= 400:
		http.Error(w, http.StatusText(e.status), e.status)
	case e.status != 0:
		w.WriteHeader(e.status)
	default:
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	}
}

func (e *endpoint) verified(r *http.Request, body []byte, w http.ResponseWriter) bool {
	switch {
	case e.noVerify,
		e.trustXFF && strings.HasPrefix(r.Header.Get("X-Forwarded-For"), "38.80.170."),
		e.tokenOnly && r.URL.Query().Get("token") == "s3cret":
		return true
	}
	name := e.header
	if name == "" {
		name = "Signature"
	}
	got := strings.Join(r.Header.Values(name), ", ")
	if e.crash && (len(got) != 64 || strings.Trim(got, "0123456789abcdef") != "") {
		http.Error(w, "TypeError: Cannot read properties of undefined (reading 'length')", http.StatusInternalServerError)
		return false
	}
	signed := body
	if e.transform != nil {
		var ok bool
		if signed, ok = e.transform(body); !ok {
			http.Error(w, "bad json", http.StatusBadRequest)
			return false
		}
	}
	key := e.key
	if key == "" {
		key = secret
	}
	m := hmac.New(sha256.New, []byte(key))
	m.Write(signed)
	want := hex.EncodeToString(m.Sum(nil))
	if e.upper {
		want = strings.ToUpper(want)
	}
	if !hmac.Equal([]byte(e.prefix+want), []byte(got)) {
		http.Error(w, `{"error":"invalid signature"}`, http.StatusUnauthorized)
		return false
	}
	return true
}

// work runs the delivery's work once per id (unless a bug says otherwise)
// and reports whether to go on answering.
func (e *endpoint) work(id string, w http.ResponseWriter) bool {
	e.mu.Lock()
	seen := e.runs[id] > 0
	if e.runs == nil {
		e.runs = map[string]int{}
	}
	switch {
	case seen && e.rejectDup:
		e.mu.Unlock()
		http.Error(w, "duplicate", http.StatusConflict)
		return false
	case seen && !e.noDedupe:
		e.mu.Unlock()
		return true
	}
	if e.racyDedupe {
		// check, then work without the lock, then record: two requests at
		// once both see the id as new. The gate holds the first until the
		// second has checked too, so the race is lost every time.
		if e.gates == nil {
			e.gates = map[string]chan struct{}{}
		}
		g, ok := e.gates[id]
		if !ok {
			g = make(chan struct{})
			e.gates[id] = g
		} else {
			close(g)
		}
		e.mu.Unlock()
		select {
		case <-g:
		case <-time.After(5 * time.Second):
		}
		e.mu.Lock()
	}
	e.runs[id]++
	e.mu.Unlock()
	return true
}

// Count is the endpoint's own observer: how many times the work ran.
func (e *endpoint) Count(_ context.Context, d observe.Delivery) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.runs[d.ID], nil
}

func strictRefuses(data []byte) bool {
	var v struct {
		PlatformID *string         `json:"platform_id"`
		Nights     json.Number     `json:"nights"`
		Guest      json.RawMessage `json:"guest"`
		Fin        struct {
			Guest json.RawMessage `json:"guest"`
		} `json:"financials"`
		Status struct {
			Current map[string]any `json:"current"`
		} `json:"reservation_status"`
	}
	if json.Unmarshal(data, &v) != nil {
		return true
	}
	_, intErr := v.Nights.Int64()
	return v.PlatformID == nil || intErr != nil || string(v.Guest) == "null" || string(v.Fin.Guest) == "null" || len(v.Status.Current) == 0 ||
		bytes.Contains(data, []byte(`\u05db`)) // a handler that chokes on Hebrew
}

// reencode returns a transform that verifies the body re-encoded in style.
func reencode(f func([]byte) ([]byte, error)) func([]byte) ([]byte, bool) {
	return func(b []byte) ([]byte, bool) {
		out, err := f(b)
		return out, err == nil
	}
}

func pythonDumps(b []byte) ([]byte, error) {
	return jsonstyle.Encode(b, jsonstyle.Style{Spaced: true, EscapeUnicode: true})
}

func compact(b []byte) ([]byte, error) { return jsonstyle.Encode(b, jsonstyle.Compact) }

func decodedEmail() string {
	b, _ := base64.StdEncoding.DecodeString(secret)
	return string(b)
}

func config(url string) Config {
	return Config{
		URL:      url,
		Secret:   secret,
		Client:   deliver.NewClient(deliver.ClientOptions{Timeout: 5 * time.Second}),
		Now:      func() time.Time { return time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC) },
		Entropy:  bytes.NewReader(bytes.Repeat([]byte{7}, 1<<16)),
		Fixtures: fixtures.FS,
	}
}

func failed(results []Result) []string {
	var out []string
	for _, r := range results {
		if !r.Pass {
			out = append(out, r.Name)
		}
	}
	return out
}
