package deliver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener/listenertest"
)

// received is what a test server saw.
type received struct {
	method, path, host string
	header             http.Header
	body               []byte
}

// recorder serves answer and reports each request on a channel, so no test
// assertion runs in the handler's goroutine.
func recorder(t *testing.T, answer func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, <-chan received) {
	t.Helper()
	ch := make(chan received, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ch <- received{r.Method, r.URL.Path, r.Host, r.Header.Clone(), b}
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, ch
}

func testClient(o ClientOptions) *Client {
	if o.Now == nil {
		o.Now = func() time.Time { return time.Unix(0, 0) }
	}
	return NewClient(o)
}

func TestPost(t *testing.T) {
	srv, got := recorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Answer", "yes")
		fmt.Fprint(w, `{"ok":true}`)
	})
	d := event.Wrap([]byte(`{"id":"I","action":"a.b"}`), "k")
	extra := http.Header{"X-Extra": {"1", "2"}, "Signature": {"forged"}, "Host": {"example.test"}}
	resp, err := testClient(ClientOptions{}).Post(context.Background(), srv.URL+"/hook", d, extra)
	if err != nil {
		t.Fatal(err)
	}
	checkPostRequest(t, <-got, d)
	checkPostResponse(t, resp, d)
}

// checkPostRequest: the server got the body as built, JSON headers, and the
// extra headers of TestPost, which replace the real Signature and Host.
func checkPostRequest(t *testing.T, r received, d event.Delivery) {
	t.Helper()
	if r.method != "POST" || r.path != "/hook" || !bytes.Equal(r.body, d.Body) {
		t.Errorf("server got %s %s %q, want POST /hook %q", r.method, r.path, r.body, d.Body)
	}
	if r.header.Get("Content-Type") != "application/json" || r.header.Get("User-Agent") != UserAgent {
		t.Errorf("server got headers %v", r.header)
	}
	if got := r.header.Values("Signature"); len(got) != 1 || got[0] != "forged" {
		t.Errorf("Signature = %q, want the -H value to replace the real one", got)
	}
	if got := r.header.Values("X-Extra"); strings.Join(got, ",") != "1,2" || r.host != "example.test" {
		t.Errorf("X-Extra = %q, Host = %q", got, r.host)
	}
}

// checkPostResponse: the answer to TestPost is kept whole, with the headers
// that were sent, and ResultOf counts it as delivered.
func checkPostResponse(t *testing.T, resp Response, d event.Delivery) {
	t.Helper()
	if !resp.Success() || string(resp.Body) != `{"ok":true}` || resp.BodyLength != 11 || resp.Header.Get("X-Answer") != "yes" || resp.Proto != "HTTP/1.1" {
		t.Errorf("Post = %+v", resp)
	}
	if resp.RequestHeader.Get("Content-Length") != fmt.Sprint(len(d.Body)) || resp.RequestHeader.Get("Host") != "example.test" {
		t.Errorf("RequestHeader = %v", resp.RequestHeader)
	}
	if res := ResultOf(resp, nil); !res.Success() || res.Detail.(Response).BodyLength != 11 {
		t.Errorf("ResultOf = %+v", res)
	}
}

func TestPostLongBody(t *testing.T) {
	size := MaxResponseBody + 1000
	srv, _ := recorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write(bytes.Repeat([]byte("x"), size))
	})
	resp, err := testClient(ClientOptions{}).Post(context.Background(), srv.URL, event.Wrap([]byte("{}"), "k"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Body) != MaxResponseBody || resp.BodyLength != int64(size) || !resp.Truncated() || resp.Success() {
		t.Errorf("kept %d of %d bytes, truncated %v; want %d of %d", len(resp.Body), resp.BodyLength, resp.Truncated(), MaxResponseBody, size)
	}
	if !strings.Contains(resp.Note(), "retry") {
		t.Errorf("Note() = %q", resp.Note())
	}
}

func TestPostRedirectNotFollowed(t *testing.T) {
	srv, got := recorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusFound)
			return
		}
		fmt.Fprint(w, "new")
	})
	resp, err := testClient(ClientOptions{}).Post(context.Background(), srv.URL+"/old", event.Wrap([]byte("{}"), "k"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusFound || resp.Location() != "/new" || !strings.Contains(resp.Note(), "redirect to /new not followed") {
		t.Errorf("Post = status %d location %q note %q", resp.Status, resp.Location(), resp.Note())
	}
	<-got
	select {
	case r := <-got:
		t.Errorf("the redirect was followed to %s", r.path)
	default:
	}
}

func TestNotes(t *testing.T) {
	for status, want := range map[int]string{200: "", 204: "only 200", 201: "only 200", 401: "refused the signature", 403: "refused the signature", 500: "retry", 302: "redirect not followed"} {
		if got := (Response{Status: status}).Note(); !strings.Contains(got, want) || want == "" && got != "" {
			t.Errorf("Note(%d) = %q, want it to contain %q", status, got, want)
		}
	}
}

// TestRefusedNote: a 401 is not blamed on the secret alone; every likely
// cause is named, and `check` is where to go next.
func TestRefusedNote(t *testing.T) {
	note := (Response{Status: http.StatusUnauthorized}).Note()
	for _, want := range []string{"refused the signature", "raw body bytes", "decoded email", "`Signature`", "secret differs", "hospitable-hook check"} {
		if !strings.Contains(note, want) {
			t.Errorf("Note(401) = %q, want it to name %q", note, want)
		}
	}
}

func transportErr(t *testing.T, err error) *TransportError {
	t.Helper()
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T) is not a *TransportError", err, err)
	}
	return te
}

func TestPostRefused(t *testing.T) {
	addr := listenertest.ClosedAddr(t)
	_, err := testClient(ClientOptions{}).Post(context.Background(), "http://"+addr+"/x", event.Wrap([]byte("{}"), "k"), nil)
	te := transportErr(t, err)
	if te.Kind != KindRefused || te.Message() != "connection refused on "+addr+": start `hospitable-hook listen` or pass --to" {
		t.Errorf("refused: kind %q message %q", te.Kind, te.Message())
	}
	res := ResultOf(Response{}, err)
	if res.Success() || res.Err == nil {
		t.Errorf("ResultOf(refused) = %+v", res)
	}
}

func TestPostTimeout(t *testing.T) {
	srv, _ := recorder(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	_, err := testClient(ClientOptions{Timeout: 50 * time.Millisecond}).Post(context.Background(), srv.URL, event.Wrap([]byte("{}"), "k"), nil)
	te := transportErr(t, err)
	if te.Kind != KindTimeout || !te.Timeout() || !strings.Contains(te.Message(), "within 50ms") || !strings.Contains(te.Hint(), "--timeout") {
		t.Errorf("timeout: kind %q message %q", te.Kind, te.Message())
	}
	a := Attempt{Number: 1, Result: ResultOf(Response{}, err), NextDelay: time.Second}
	if !strings.HasPrefix(a.Verdict(), "timed out") {
		t.Errorf("Verdict() = %q, want it to start with \"timed out\"", a.Verdict())
	}
}

func TestPostTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshake is the point
	srv.StartTLS()
	defer srv.Close()
	d := event.Wrap([]byte("{}"), "k")
	_, err := testClient(ClientOptions{}).Post(context.Background(), srv.URL, d, nil)
	if te := transportErr(t, err); te.Kind != KindTLS || !strings.Contains(te.Message(), "--insecure") {
		t.Errorf("TLS: kind %q message %q", te.Kind, te.Message())
	}
	resp, err := testClient(ClientOptions{Insecure: true}).Post(context.Background(), srv.URL, d, nil)
	if err != nil || resp.Status != 200 {
		t.Errorf("--insecure: %d %v", resp.Status, err)
	}

	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	_, err = testClient(ClientOptions{}).Post(context.Background(), strings.Replace(plain.URL, "http:", "https:", 1), d, nil)
	if te := transportErr(t, err); te.Kind != KindTLS || !strings.Contains(te.Hint(), "does not speak TLS") {
		t.Errorf("https to plain http: kind %q message %q", te.Kind, te.Message())
	}
}

func TestPostCanceled(t *testing.T) {
	srv, got := recorder(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-got; cancel() }()
	_, err := testClient(ClientOptions{}).Post(ctx, srv.URL, event.Wrap([]byte("{}"), "k"), nil)
	if te := transportErr(t, err); te.Kind != KindCanceled {
		t.Errorf("canceled: kind %q message %q", te.Kind, te.Message())
	}
}

func TestClassify(t *testing.T) {
	wrap := func(err error) error { return &url.Error{Op: "Post", URL: "http://x", Err: err} }
	tests := []struct {
		name string
		err  error
		kind Kind
		msg  string
	}{
		{"dns", wrap(&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "nope.invalid", IsNotFound: true}}), KindDNS,
			`cannot resolve host "nope.invalid": no such host: check the host name in --to`},
		{"reset", wrap(&net.OpError{Op: "read", Err: syscall.ECONNRESET}), KindReset, "closed the connection without answering"},
		{"eof", wrap(io.EOF), KindReset, "closed the connection"},
		{"refused remote", wrap(&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), KindRefused, "connection refused on example.com:443: check that the endpoint is running"},
		{"tls alert", wrap(tls.AlertError(40)), KindTLS, "--insecure"},
		{"other", wrap(errors.New("boom")), KindOther, "POST to example.com:443 failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := transportErr(t, classify(context.Background(), tt.err, "example.com:443", time.Second))
			if te.Kind != tt.kind || !strings.Contains(te.Message(), tt.msg) {
				t.Errorf("classify(%v) = %q %q, want %q containing %q", tt.err, te.Kind, te.Message(), tt.kind, tt.msg)
			}
		})
	}
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		in, name, value, err string
	}{
		{"X-Test: 1", "X-Test", "1", ""},
		{"x-test:1", "X-Test", "1", ""},
		{"X-Empty:", "X-Empty", "", ""},
		{"Authorization: Bearer a:b", "Authorization", "Bearer a:b", ""},
		{"no colon", "", "", "write it as 'Name: value'"},
		{": value", "", "", "write it as 'Name: value'"},
		{"Bad Name: v", "", "", "cannot hold"},
		{"X: a\r\nInjected: 1", "", "", "line break"},
		{"X: a\x01b", "", "", "control character"},
		{"X: \x1b[2Jx", "", "", "control character"},
		{"X: a\x7f", "", "", "control character"},
		{"X: a\tb", "X", "a\tb", ""},
	}
	for _, tt := range tests {
		name, value, err := ParseHeader(tt.in)
		if name != tt.name || value != tt.value || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseHeader(%q) = %q, %q, %v; want %q, %q, %q", tt.in, name, value, err, tt.name, tt.value, tt.err)
		}
	}
}

func TestParseURL(t *testing.T) {
	for raw, want := range map[string]string{
		"http://127.0.0.1:5000/x": "",
		"https://example.com":     "",
		"localhost:5000":          `scheme "localhost"`,
		"/webhooks":               "no scheme",
		"ftp://x":                 `scheme "ftp"`,
		"http://":                 "no host",
		"http://a b":              "invalid character",
	} {
		_, err := ParseURL(raw)
		var ue *URLError
		if want == "" && err != nil || want != "" && (!errors.As(err, &ue) || !strings.Contains(err.Error(), want)) {
			t.Errorf("ParseURL(%q) error = %v, want one containing %q", raw, err, want)
		}
	}
}
