package inspector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

const testSecret = "dGVzdEBob3NwaXRhYmxlLWhvb2suaW52YWxpZA=="

// rig is a listener feeding an inspector, both on 127.0.0.1:0.
type rig struct {
	t        *testing.T
	ring     *Ring
	listener *listener.Handler
	delivery *httptest.Server
	ui       *httptest.Server
	server   *Server
	addr     string // the inspector's host:port
}

type rigOptions struct {
	keep      int
	forwardTo string
	batch     time.Duration
}

func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	r := &rig{t: t, ring: NewRing(o.keep, 0)}
	cfg := listener.Config{Secret: testSecret, Tap: r.ring.Add}
	if o.forwardTo != "" {
		fwd, err := listener.NewForwarder(o.forwardTo, listener.ForwardOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Forward = fwd
	}
	r.listener = listener.New(cfg)
	r.delivery = httptest.NewServer(r.listener)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	r.server = New(Options{Ring: r.ring, Secret: testSecret, Addr: r.addr, DeliveryURL: r.delivery.URL, ForwardTo: o.forwardTo, Batch: o.batch})
	r.ui = httptest.NewUnstartedServer(r.server)
	r.ui.Listener.Close()
	r.ui.Listener = ln
	r.ui.Start()
	t.Cleanup(func() {
		r.server.Close()
		r.ui.Close()
		r.listener.Release()
		r.delivery.Close()
	})
	return r
}

// post sends body to the listener with sig as its Signature ("" for none).
func (r *rig) post(body []byte, sig string) int {
	r.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.delivery.URL+"/webhooks/hospitable", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Hospitable-test")
	if sig != "" {
		req.Header.Set(signature.Header, sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// sendAll posts one signed delivery of every built-in action, then a
// forged one (signed, then a trailing newline added, which the forensics
// name), and returns the bodies in order.
func (r *rig) sendAll() [][]byte {
	r.t.Helper()
	var bodies [][]byte
	for i, action := range fixture.Actions() {
		body := fixturetest.Envelope(r.t, action, fmt.Sprintf("01KB2Y5X0Q3W7F8G9H0J1K2M%02d", i))
		if st := r.post(body, signature.Sign(body, testSecret)); st != http.StatusOK {
			r.t.Fatalf("%s: status %d", action, st)
		}
		bodies = append(bodies, body)
	}
	forged := fixturetest.Envelope(r.t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2MZZ")
	sig := signature.Sign(forged, testSecret)
	forged = append(forged, '\n')
	if st := r.post(forged, sig); st != http.StatusUnauthorized {
		r.t.Fatalf("forged: status %d, want 401", st)
	}
	return append(bodies, forged)
}

// call makes an API request from the inspector's own page: right Host,
// same-origin, with the token on changes.
func (r *rig) call(method, path string, body any) (int, []byte) {
	r.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, "http://"+r.addr+path, rd)
	if method != http.MethodGet {
		req.Header.Set(TokenHeader, r.server.Token())
		req.Header.Set("Origin", "http://"+r.addr)
		req.Header.Set("Content-Type", "application/json")
	}
	return r.do(req)
}

func (r *rig) do(req *http.Request) (int, []byte) {
	r.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// get decodes a GET of path into v, failing on any status but 200.
func (r *rig) get(path string, v any) {
	r.t.Helper()
	st, b := r.call(http.MethodGet, path, nil)
	if st != http.StatusOK {
		r.t.Fatalf("GET %s: %d %s", path, st, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		r.t.Fatalf("GET %s: %v in %s", path, err, b)
	}
}

func actionsOf(list []Summary) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Action+"/"+s.Verdict)
	}
	return out
}

func contains(haystack []byte, needle string) bool { return strings.Contains(string(haystack), needle) }
