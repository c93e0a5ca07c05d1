package deliver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// DefaultTimeout is how long a delivery may take when the caller sets no
// timeout. Hospitable's own is undocumented.
const DefaultTimeout = 10 * time.Second

// MaxResponseBody is how much of a response body Post keeps; the rest is
// read and counted, so BodyLength is always the true length.
const MaxResponseBody = 1 << 20

// MaxIdle is the longest a connection stays open unused between two
// deliveries. Endpoints close idle keep-alive connections after a few
// seconds (Node: 5s, gunicorn: 2s), and one that closes a connection just
// as a delivery goes out on it loses that delivery; dropping our side
// first means no delivery ever rides a connection idle longer than this.
const MaxIdle = time.Second

// UserAgent is the User-Agent of every delivery, so an endpoint's logs can
// tell test traffic from Hospitable's. A -H header may replace it.
const UserAgent = "hospitable-hook"

// ClientOptions configures NewClient.
type ClientOptions struct {
	// Timeout bounds each delivery as a whole, and each of its phases
	// (connect, TLS handshake, waiting for the response headers); 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// Insecure skips TLS certificate verification, for self-signed HTTPS.
	Insecure bool
	// Now times each delivery; nil means time.Now. Tests pass a fixed
	// clock so latencies, and the output showing them, are stable.
	Now func() time.Time
	// Connections, when above 0, is how many connections to the endpoint
	// may be open at once (Load's concurrency): all of them are kept alive
	// between deliveries, and no more are opened.
	Connections int
	// FreshConnections opens a new connection for every delivery, as
	// Hospitable does for attempts hours apart: simulate sets it, so no
	// attempt meets a keep-alive connection the endpoint has closed.
	FreshConnections bool
	// DialTimeout, when above 0 and below Timeout, caps connecting and
	// the TLS handshake on their own (listen --forward-to: an app that is
	// down should be said so fast).
	DialTimeout time.Duration
	// SameHostRedirects is how many redirects to the same host as the
	// request are followed (listen --forward-to follows an app's own
	// trailing-slash redirect); 0 follows none, as Hospitable needs its
	// 200 from the URL itself. A redirect to another host is never
	// followed: a webhook body must not leak to wherever it points.
	SameHostRedirects int
}

// Client posts deliveries the way Hospitable does: one POST, redirects not
// followed, a timeout on every phase, no proxy.
type Client struct {
	http    *http.Client
	now     func() time.Time
	timeout time.Duration
}

// NewClient returns a Client configured by o.
func NewClient(o ClientOptions) *Client {
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	dial := timeout
	if o.DialTimeout > 0 {
		dial = min(o.DialTimeout, timeout)
	}
	transport := &http.Transport{
		// A webhook tester talks to the endpoint itself: an HTTP_PROXY
		// meant for other traffic must not change where deliveries go.
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: dial, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   dial,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       MaxIdle,
		DisableKeepAlives:     o.FreshConnections,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: o.Insecure}, //nolint:gosec // only with --insecure, which the user asks for
	}
	if o.Connections > 0 {
		transport.MaxConnsPerHost = o.Connections
		transport.MaxIdleConnsPerHost = max(o.Connections, transport.MaxIdleConnsPerHost)
	}
	return &Client{
		http: &http.Client{
			Transport:     transport,
			Timeout:       timeout,
			CheckRedirect: checkRedirect(o.SameHostRedirects),
		},
		now:     now,
		timeout: timeout,
	}
}

// checkRedirect follows at most n redirects, each to the first request's
// host. By default (n = 0) a 3xx is an answer to report, not a hop to take:
// Hospitable needs its 200 from the URL it was given.
func checkRedirect(n int) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if n <= 0 || len(via) == 0 || len(via) > n || req.URL.Host != via[0].URL.Host {
			return http.ErrUseLastResponse
		}
		return nil
	}
}

// HTTP returns the underlying *http.Client.
func (c *Client) HTTP() *http.Client { return c.http }

// Close releases idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Response is what an endpoint answered to one delivery.
type Response struct {
	// Status is the HTTP status code; 0 when no answer came.
	Status int
	// Proto is the protocol of the answer, like "HTTP/1.1".
	Proto string
	// Header holds the response headers.
	Header http.Header
	// RequestHeader holds the headers as sent, Host and Content-Length
	// included, for a verbose display.
	RequestHeader http.Header
	// Latency is the time from sending the request to the end of the
	// response body (or to the failure).
	Latency time.Duration
	// Body holds the response body, at most MaxResponseBody bytes of it.
	Body []byte
	// BodyLength is the full length of the response body, in bytes.
	BodyLength int64
	// BodyErr is set when reading the response body failed part way; the
	// status still stands.
	BodyErr error
}

// Success reports whether Hospitable would count the answer as delivered:
// exactly 200, and its body read to the end. A body that did not finish
// within the timeout (or was cut) leaves a sender that reads the whole
// answer, as most HTTP clients do, with an error, not a 200: an
// assumption, since Hospitable does not document its client.
func (r Response) Success() bool { return verdict.Delivered(r.Status) && r.BodyErr == nil }

// Truncated reports whether Body holds less than the whole response body.
func (r Response) Truncated() bool { return int64(len(r.Body)) < r.BodyLength }

// Location is the redirect target of a 3xx answer, "" when there is none.
func (r Response) Location() string { return r.Header.Get("Location") }

// Verdict judges the answer to a validly signed delivery to target, as
// Hospitable would (see verdict.Judge).
func (r Response) Verdict(target string) verdict.Verdict {
	return verdict.Judge(verdict.Answer{Status: r.Status, Location: r.Location(), Target: target})
}

// Note says what a user should know about an answer that is not a plain
// 200: why Hospitable does not count it, and what to fix. It is "" for a
// 200 and when no answer came (the error says it then).
func (r Response) Note() string { return r.NoteFor("URL") }

// NoteFor is Note with the target written into the commands it suggests.
func (r Response) NoteFor(target string) string {
	if r.Status == 0 || r.Success() {
		return ""
	}
	return r.Verdict(target).Note()
}

// Result turns the answer into the Result a Retrier works with. Detail
// carries the Response; a body that did not finish is the Result's Err.
func (r Response) Result() Result {
	return Result{Status: r.Status, Latency: r.Latency, Err: r.BodyErr, Detail: r}
}

// ResultOf turns what Post returned into a Result, so a Retrier attempt is
// one line: `return deliver.ResultOf(client.Post(ctx, url, d, h))`.
func ResultOf(r Response, err error) Result {
	res := r.Result()
	if err != nil {
		res.Err = err
	}
	return res
}

// NewRequest builds the POST of d to target: the delivery's headers, the
// User-Agent, then extra, whose values replace any of the same name (so a
// test can send a forged Signature). A Host in extra sets the request's Host.
// It is the one request builder: Post, Load and the dry runs use it. The
// header values are shared with d and extra, not copied (load mode builds
// many requests): replace a value, never append to one.
func NewRequest(ctx context.Context, target string, d event.Delivery, extra http.Header) (*http.Request, error) {
	if _, err := ParseURL(target); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(d.Body))
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", RedactURL(target), errors.Unwrap(err))
	}
	req.Header = make(http.Header, len(d.Header)+len(extra)+1)
	maps.Copy(req.Header, d.Header)
	req.Header["User-Agent"] = []string{UserAgent}
	applyExtra(req, extra)
	return req, nil
}

// applyExtra puts the extra headers on req, replacing any of the same
// name; a Host sets the request's Host.
func applyExtra(req *http.Request, extra http.Header) {
	for name, values := range extra {
		if http.CanonicalHeaderKey(name) == "Host" {
			if len(values) > 0 {
				req.Host = values[len(values)-1]
			}
			continue
		}
		req.Header[http.CanonicalHeaderKey(name)] = append([]string(nil), values...)
	}
}

// SentHeader returns the headers req puts on the wire, with Host and
// Content-Length, which net/http adds itself.
func SentHeader(req *http.Request) http.Header {
	h := req.Header.Clone()
	h.Set("Host", req.Host)
	if req.Host == "" {
		h.Set("Host", req.URL.Host)
	}
	h.Set("Content-Length", fmt.Sprint(req.ContentLength))
	return h
}

// Post sends d to target once, with extra headers (see NewRequest), and
// reads the answer. A failure to get any answer is a *TransportError that
// says what happened and, in Hint, what to do; a bad target is a *URLError.
// A non-200 answer is not an error: check Response.Success.
func (c *Client) Post(ctx context.Context, target string, d event.Delivery, extra http.Header) (Response, error) {
	req, err := NewRequest(ctx, target, d, extra)
	if err != nil {
		return Response{}, err
	}
	out := Response{RequestHeader: SentHeader(req)}
	// Which connection carried the delivery: when a kept-alive one fails
	// under it, the error blames the connection, not the app.
	var conn httptrace.GotConnInfo
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) { conn = info },
	}))
	start := c.now()
	resp, err := c.http.Do(req)
	if err != nil {
		out.Latency = c.now().Sub(start)
		return out, onConn(classify(ctx, err, hostPort(req.URL), c.timeout), conn)
	}
	defer resp.Body.Close()
	out.Status, out.Proto, out.Header = resp.StatusCode, resp.Proto, resp.Header
	var kept bytes.Buffer
	n, err := io.Copy(&kept, io.LimitReader(resp.Body, MaxResponseBody))
	if err == nil {
		var rest int64
		rest, err = io.Copy(io.Discard, resp.Body)
		n += rest
	}
	out.Body, out.BodyLength = kept.Bytes(), n
	if err != nil {
		out.BodyErr = onConn(classify(ctx, err, hostPort(req.URL), c.timeout), conn)
	}
	out.Latency = c.now().Sub(start)
	return out, nil
}

// URLError reports a target URL that cannot be posted to.
type URLError struct {
	// URL is the target as given.
	URL string
	// Reason says what is wrong with it.
	Reason string
}

// Error says what is wrong and what a good URL looks like.
func (e *URLError) Error() string {
	return fmt.Sprintf("bad URL %q: %s; use an absolute http:// or https:// URL, like http://127.0.0.1:5000/webhooks/hospitable", RedactURL(e.URL), e.Reason)
}

// ParseURL checks that raw is an absolute http or https URL with a host.
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		var ue *url.Error
		reason := err.Error()
		if errors.As(err, &ue) {
			reason = ue.Err.Error()
		}
		if RedactURL(raw) != raw {
			reason = "it does not parse" // the parser's words may quote the password
		}
		return nil, &URLError{URL: raw, Reason: reason}
	case u.Scheme != "http" && u.Scheme != "https":
		if u.Scheme == "" {
			return nil, &URLError{URL: raw, Reason: "it has no scheme"}
		}
		return nil, &URLError{URL: raw, Reason: fmt.Sprintf("scheme %q is not http or https", u.Scheme)}
	case u.Host == "":
		return nil, &URLError{URL: raw, Reason: "it has no host"}
	}
	return u, nil
}

// hostPort is the address a URL connects to, with the scheme's default port.
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	port := "80"
	if u.Scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(strings.Trim(u.Hostname(), "[]"), port)
}
