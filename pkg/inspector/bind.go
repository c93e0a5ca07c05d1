package inspector

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"
)

// DefaultAddr is where the inspector listens unless told otherwise.
const DefaultAddr = "127.0.0.1:4040"

// nextPorts is how many ports after a taken default port Bind tries before
// it takes any free one.
const nextPorts = 20

// Bind listens on addr. With next set (the default address, not one the
// user typed), a taken port moves on to the following ones, then to any
// free port, so that a second `listen`, or a test, never fails for it.
func Bind(addr string, next bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil || !next || !errors.Is(err, syscall.EADDRINUSE) {
		return ln, err
	}
	host, p, perr := net.SplitHostPort(addr)
	port, aerr := strconv.Atoi(p)
	if perr != nil || aerr != nil {
		return nil, err
	}
	for i := 1; i <= nextPorts && port+i <= 65535; i++ {
		if ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port+i))); err == nil {
			return ln, nil
		}
	}
	return net.Listen("tcp", net.JoinHostPort(host, "0"))
}

// IsLoopback reports whether host (an IP or a name) stays on this machine.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// ValidateAddr refuses a --ui address that is not host:port with a port in
// range.
func ValidateAddr(addr string) error {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("bad address %q: give host:port, like 127.0.0.1:4040", addr)
	}
	if host == "" {
		return fmt.Errorf("bad address %q: give the host too, like 127.0.0.1%s (all interfaces only when asked: 0.0.0.0%s)", addr, addr, addr)
	}
	if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("bad port in %q: use 1-65535, or 0 for any free port", addr)
	}
	return nil
}

// NewHTTPServer returns the http.Server the inspector is served with:
// headers are bounded in time and size; answers are not, since an event
// stream stays open.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}
