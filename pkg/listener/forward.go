package listener

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
)

// Forwarding limits. Hospitable does not document its own delivery
// timeout; the default matches `send --timeout`.
const (
	// DefaultForwardTimeout bounds a forwarded delivery as a whole, the
	// app's body included, when ForwardOptions leaves it zero.
	DefaultForwardTimeout = deliver.DefaultTimeout
	// forwardDialTimeout caps connecting to the app.
	forwardDialTimeout = 5 * time.Second
	// probeTimeout bounds the start-up probe of the app.
	probeTimeout = time.Second
	// forwardBodyStart is how much of the app's answer is kept to show.
	forwardBodyStart = 512
	// forwardDrain is how much more of the app's answer is read, so that
	// its connection can be reused.
	forwardDrain = 1 << 20
	// maxRedirects is how many same-host redirects are followed.
	maxRedirects = 3
)

// ForwardOptions configures a Forwarder.
type ForwardOptions struct {
	// Timeout bounds each forwarded delivery as a whole: connecting,
	// waiting for the answer and reading its body. 0 means
	// DefaultForwardTimeout.
	Timeout time.Duration
	// Budget is the longest a valid delivery's 200 may take before the
	// answer is judged slow; 0 judges no speed.
	Budget time.Duration
}

// Forwarder passes deliveries on to the user's app, byte for byte.
type Forwarder struct {
	target  *url.URL
	client  *http.Client
	timeout time.Duration
	budget  time.Duration
}

// NewForwarder returns a Forwarder to target, an absolute http(s) URL. Its
// client has timeouts and follows a redirect only to the same host: a
// webhook body must not leak to wherever a redirect points.
func NewForwarder(target string, o ForwardOptions) (*Forwarder, error) {
	u, err := deliver.ParseURL(target)
	if err != nil {
		return nil, fmt.Errorf("bad forward URL %q: use an absolute http:// or https:// URL like http://127.0.0.1:3000/webhooks", target)
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultForwardTimeout
	}
	client := deliver.NewClient(deliver.ClientOptions{
		Timeout: timeout, DialTimeout: forwardDialTimeout, SameHostRedirects: maxRedirects,
	}).HTTP()
	return &Forwarder{target: u, client: client, timeout: timeout, budget: o.Budget}, nil
}

// URL returns the target for display, its password (if any) masked: only
// the request itself carries it.
func (f *Forwarder) URL() string { return f.target.Redacted() }

// Timeout returns the limit on each forwarded delivery.
func (f *Forwarder) Timeout() time.Duration { return f.timeout }

// Probe checks that something accepts connections at the target, so that
// `listen` can warn at start-up rather than at the first delivery. It
// returns nil when a connection opened, else why not, worded as `send`
// words it.
func (f *Forwarder) Probe(ctx context.Context) *deliver.TransportError {
	addr := deliver.HostPort(f.target)
	d := net.Dialer{Timeout: probeTimeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return deliver.Classify(ctx, err, addr, probeTimeout)
	}
	_ = conn.Close()
	return nil
}

// Forward is what the app answered.
type Forward struct {
	// URL is where the delivery went.
	URL string `json:"url"`
	// Status is the app's status, 0 when it gave none; the listener then
	// answered 502 itself.
	Status int `json:"status"`
	// Latency is how long the app took.
	Latency time.Duration `json:"-"`
	// BodyStart is the first bytes of the app's answer.
	BodyStart string `json:"body_start,omitempty"`
	// Redirect is the Location of a redirect that was not followed.
	Redirect string `json:"redirect,omitempty"`
	// RedirectNote says why it was not followed: "another host", or
	// that the redirects went on too long (a loop).
	RedirectNote string `json:"redirect_note,omitempty"`
	// Err says why there was no answer, or why the answer's body did not
	// finish.
	Err string `json:"error,omitempty"`
	// ErrKind classifies Err as `send --json` does: "connection_refused",
	// "timeout", "connection_reset", …; "sender_gone" when the sender
	// closed the connection before the app answered.
	ErrKind string `json:"error_kind,omitempty"`
	// Hint says what to do about Err.
	Hint string `json:"hint,omitempty"`
	// Verdict judges the app's answer given the delivery's signature.
	Verdict Verdict `json:"verdict"`
}

// Answered reports whether the app gave a status.
func (f Forward) Answered() bool { return f.Status != 0 }

// Passed reports whether the listener passed the app's answer on to the
// sender: the app gave a status and its whole body. Otherwise the
// listener answered 502 itself.
func (f Forward) Passed() bool { return f.Status != 0 && f.Err == "" }

// SenderGone reports whether the sender hung up before the app answered.
func (f Forward) SenderGone() bool { return f.ErrKind == kindSenderGone }

const kindSenderGone = "sender_gone"

// Do posts body with the request's headers to the app and judges the
// answer against verified, the listener's own verdict on the signature.
// ctx is the sender's request: when the sender hangs up, the forward ends.
func (f *Forwarder) Do(ctx context.Context, header http.Header, body []byte, verified bool, now func() time.Time) Forward {
	res := Forward{URL: f.target.Redacted()}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.target.String(), bytes.NewReader(body))
	if err != nil {
		res.Err = err.Error()
		res.Verdict = f.judge(res, verified, err)
		return res
	}
	for k, v := range header {
		req.Header[k] = append([]string(nil), v...)
	}
	for _, h := range deliver.HopByHop() {
		req.Header.Del(h)
	}
	req.Header.Del("Content-Length")
	if _, ok := header["User-Agent"]; !ok {
		req.Header["User-Agent"] = nil // send none rather than Go's own
	}
	start := now()
	resp, err := f.client.Do(req)
	if err != nil {
		res.Latency = now().Sub(start)
		res.Verdict = f.judge(res, verified, f.describe(ctx, &res, err))
		return res
	}
	defer resp.Body.Close()
	// The client's timeout covers the body too: an app that trickles its
	// answer holds the sender no longer than the timeout.
	head, err := io.ReadAll(io.LimitReader(resp.Body, forwardBodyStart))
	if err == nil {
		_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, forwardDrain)) // let the connection be reused
	}
	res.Latency = now().Sub(start)
	res.Status = resp.StatusCode
	res.BodyStart = string(bytes.ToValidUTF8(head, []byte("�")))
	var cause error
	if err != nil {
		cause = f.describe(ctx, &res, err)
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if loc, err := resp.Location(); err == nil {
			res.Redirect = loc.String()
			res.RedirectNote = "another host"
			if loc.Host == f.target.Host {
				res.RedirectNote = fmt.Sprintf("still redirecting after %d redirects on the same host: a loop?", maxRedirects)
			}
		}
	}
	res.Verdict = f.judge(res, verified, cause)
	return res
}

// describe words a failure to get (all of) the app's answer as `send`
// words its own, with a next step in terms of listen's flags. It returns
// the failure as classified, for the verdict.
func (f *Forwarder) describe(ctx context.Context, res *Forward, err error) error {
	if ctx.Err() != nil {
		res.ErrKind = kindSenderGone
		res.Err = "the sender closed the connection before your app answered"
		res.Hint = "the sender gave up waiting: Hospitable would retry this delivery; make your app answer sooner"
		return ctx.Err()
	}
	te := deliver.Classify(ctx, err, deliver.HostPort(f.target), f.timeout)
	res.Err, res.ErrKind = te.Error(), string(te.Kind)
	switch te.Kind {
	case deliver.KindRefused:
		res.Hint = "start your app, or point --forward-to at where it listens"
	case deliver.KindDNS:
		res.Hint = "check the host name in --forward-to"
	case deliver.KindTLS:
		res.Hint = "check the scheme in --forward-to: http:// for an app without TLS"
	case deliver.KindTimeout:
		res.Hint = "answer 200 first and do the work afterwards, or raise --forward-timeout"
	case deliver.KindReset:
		res.Hint = "check your app's logs: it may have crashed on this delivery"
	default:
		res.Hint = "check --forward-to and that your app is running"
	}
	return te
}
