package listener

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Forwarding timeouts. Hospitable does not document its own delivery
// timeout, so these are generous: an app slower than this is broken anyway.
const (
	forwardDialTimeout   = 5 * time.Second
	forwardHeaderTimeout = 15 * time.Second
	forwardTimeout       = 20 * time.Second
	// forwardBodyStart is how much of the app's answer is kept to show.
	forwardBodyStart = 512
	// maxRedirects is how many same-host redirects are followed.
	maxRedirects = 3
)

// Forwarder passes deliveries on to the user's app, byte for byte.
type Forwarder struct {
	target *url.URL
	client *http.Client
}

// NewForwarder returns a Forwarder to target, an absolute http(s) URL. Its
// client has timeouts and follows a redirect only to the same host: a
// webhook body must not leak to wherever a redirect points.
func NewForwarder(target string) (*Forwarder, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bad forward URL %q: use an absolute http:// or https:// URL like http://127.0.0.1:3000/webhooks", target)
	}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: forwardDialTimeout}).DialContext,
		ResponseHeaderTimeout: forwardHeaderTimeout,
		TLSHandshakeTimeout:   forwardDialTimeout,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
	}
	client := &http.Client{
		Transport: transport,
		Timeout:   forwardTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Host != u.Host {
				return http.ErrUseLastResponse
			}
			if len(via) > maxRedirects {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
	return &Forwarder{target: u, client: client}, nil
}

// URL returns the target for display, its password (if any) masked: only
// the request itself carries it.
func (f *Forwarder) URL() string { return f.target.Redacted() }

// hopByHop are the headers that belong to one connection, not the request.
var hopByHop = []string{"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// Forward is what the app answered.
type Forward struct {
	// URL is where the delivery went.
	URL string `json:"url"`
	// Status is the app's status, 0 when it gave none.
	Status int `json:"status"`
	// Latency is how long the app took.
	Latency time.Duration `json:"-"`
	// BodyStart is the first bytes of the app's answer.
	BodyStart string `json:"body_start,omitempty"`
	// Redirect is the Location of a redirect that was not followed.
	Redirect string `json:"redirect,omitempty"`
	// Err says why there was no answer.
	Err string `json:"error,omitempty"`
	// Verdict judges the app's answer given the delivery's signature.
	Verdict Verdict `json:"verdict"`
}

// Verdict is the judgment of an app's answer to one delivery.
type Verdict struct {
	// OK is false when the app did something a webhook receiver must not.
	OK bool `json:"ok"`
	// Code is stable for machines: "ok", "rejects_valid", "accepts_forged",
	// "not_200", "app_error", "refused_forged", "no_answer".
	Code string `json:"code"`
	// Message says it in a sentence.
	Message string `json:"message"`
}

// Do posts body with the request's headers to the app and judges the
// answer against verified, the listener's own verdict on the signature.
func (f *Forwarder) Do(ctx context.Context, header http.Header, body []byte, verified bool, now func() time.Time) Forward {
	res := Forward{URL: f.target.Redacted()}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.target.String(), bytes.NewReader(body))
	if err != nil {
		res.Err = err.Error()
		res.Verdict = judge(res, verified)
		return res
	}
	for k, v := range header {
		req.Header[k] = append([]string(nil), v...)
	}
	for _, h := range hopByHop {
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
		res.Err = describeForwardError(err)
		res.Verdict = judge(res, verified)
		return res
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, forwardBodyStart))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // let the connection be reused
	res.Latency = now().Sub(start)
	res.Status = resp.StatusCode
	res.BodyStart = string(bytes.ToValidUTF8(head, []byte("�")))
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		res.Redirect = resp.Header.Get("Location")
	}
	res.Verdict = judge(res, verified)
	return res
}

func describeForwardError(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return "the app did not answer in time"
	}
	return err.Error()
}

// judge compares what the app did with what it should have done.
func judge(f Forward, verified bool) Verdict {
	code := f.Status
	switch {
	case f.Err != "" || code == 0:
		return Verdict{false, "no_answer", "your app did not answer: " + f.Err}
	case verified && code == http.StatusOK:
		return Verdict{true, "ok", "accepted a valid delivery with 200"}
	case verified && code >= 200 && code < 300:
		return Verdict{false, "not_200", fmt.Sprintf("your app answered %d, not 200: Hospitable counts only 200 as success and will retry", code)}
	case verified && code >= 400 && code < 500:
		return Verdict{false, "rejects_valid", fmt.Sprintf("your verifier rejects real deliveries: this one is correctly signed and your app answered %d", code)}
	case verified:
		return Verdict{false, "app_error", fmt.Sprintf("your app answered %d to a valid delivery: Hospitable will retry it", code)}
	case code == http.StatusOK:
		return Verdict{false, "accepts_forged", "your endpoint does not check signatures: it accepted a forged delivery with 200"}
	case code >= 200 && code < 300:
		return Verdict{false, "accepts_forged", fmt.Sprintf("your endpoint does not check signatures: it accepted a forged delivery with %d", code)}
	case code >= 400 && code < 500:
		return Verdict{true, "refused_forged", fmt.Sprintf("refused a forged delivery with %d", code)}
	default:
		return Verdict{false, "app_error", fmt.Sprintf("your app answered %d to a forged delivery; refuse it with 401 instead", code)}
	}
}
