package deliver

import (
	"context"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// TestClientHasTimeoutsEverywhere checks the client send uses: an overall
// timeout, and one on each phase (connect, TLS handshake, response
// headers), no proxy from the environment, and redirects not followed.
func TestClientHasTimeoutsEverywhere(t *testing.T) {
	for _, o := range []ClientOptions{{}, {Timeout: 3 * time.Second}} {
		want := o.Timeout
		if want == 0 {
			want = DefaultTimeout
		}
		c := NewClient(o).HTTP()
		tr, ok := c.Transport.(*http.Transport)
		if !ok {
			t.Fatalf("transport is %T, want *http.Transport", c.Transport)
		}
		if c.Timeout != want || tr.TLSHandshakeTimeout != want || tr.ResponseHeaderTimeout != want {
			t.Errorf("timeout %s: client %s, TLS handshake %s, response headers %s; want all %s",
				o.Timeout, c.Timeout, tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout, want)
		}
		if tr.DialContext == nil || tr.IdleConnTimeout <= 0 {
			t.Errorf("no dialer with a timeout (%v) or no idle timeout (%s)", tr.DialContext != nil, tr.IdleConnTimeout)
		}
		if tr.Proxy != nil {
			t.Errorf("the transport takes a proxy from the environment")
		}
		if c.CheckRedirect == nil || c.CheckRedirect(nil, nil) != http.ErrUseLastResponse {
			t.Errorf("redirects are followed")
		}
	}
}

// TestClientDialTimesOut connects to a port whose accept queue is full, so
// the kernel drops the SYN and the connect hangs, and checks that the
// client's dialer gives up after its timeout.
func TestClientDialTimesOut(t *testing.T) {
	addr := fullListener(t)
	tr := NewClient(ClientOptions{Timeout: 300 * time.Millisecond}).HTTP().Transport.(*http.Transport)
	start := time.Now()
	conn, err := tr.DialContext(context.Background(), "tcp", addr)
	took := time.Since(start)
	if err == nil {
		conn.Close()
		t.Fatalf("dial to a full accept queue succeeded")
	}
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() || took > 5*time.Second {
		t.Errorf("dial = %v after %s, want a timeout after about 300ms", err, took)
	}
}

// fullListener returns the address of a socket listening with a backlog of
// 0 whose queue is filled, so further connects hang. It skips the test
// where the kernel does not behave so (not Linux).
func fullListener(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Skipf("socket: %v", err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Skipf("bind: %v", err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Skipf("listen: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Skipf("getsockname: %v", err)
	}
	addr := (&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: sa.(*syscall.SockaddrInet4).Port}).String()
	for i := 0; i < 8; i++ {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			return addr // the queue is full: connects now hang
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skip("connects to a full accept queue do not hang here")
	return ""
}
