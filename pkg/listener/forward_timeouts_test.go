package listener

import (
	"net/http"
	"testing"
)

// TestForwarderHasTimeoutsEverywhere checks the client --forward-to uses:
// an overall timeout (which bounds the connect too), one on each phase, no
// proxy from the environment, and a redirect check.
func TestForwarderHasTimeoutsEverywhere(t *testing.T) {
	f, err := NewForwarder("http://127.0.0.1:3000/webhooks", ForwardOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := f.client.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport is %T, want *http.Transport", f.client.Transport)
	}
	if f.client.Timeout <= 0 || tr.TLSHandshakeTimeout <= 0 || tr.ResponseHeaderTimeout <= 0 || tr.IdleConnTimeout <= 0 {
		t.Errorf("client %s, TLS handshake %s, response headers %s, idle %s: want every one set",
			f.client.Timeout, tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout, tr.IdleConnTimeout)
	}
	if tr.ResponseHeaderTimeout > f.client.Timeout || tr.TLSHandshakeTimeout > f.client.Timeout {
		t.Errorf("a phase timeout exceeds the overall %s", f.client.Timeout)
	}
	if tr.DialContext == nil {
		t.Errorf("no dialer with a timeout")
	}
	if tr.Proxy != nil {
		t.Errorf("the transport takes a proxy from the environment")
	}
	if f.client.CheckRedirect == nil {
		t.Errorf("no redirect check: redirects to any host are followed")
	}
}
