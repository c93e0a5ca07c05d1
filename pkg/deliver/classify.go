package deliver

import (
	"context"
	"net/url"
	"time"
)

// Classify turns an error from an HTTP client (or a dial) into a
// *TransportError, by the error's type, so that other senders (`listen
// --forward-to`) word a failure as Post does. addr is the host:port the
// request went to (HostPort), timeout the limit that applied.
func Classify(ctx context.Context, err error, addr string, timeout time.Duration) *TransportError {
	te, _ := classify(ctx, err, addr, timeout).(*TransportError)
	return te
}

// HostPort is the address a URL connects to, with the scheme's default
// port when it names none.
func HostPort(u *url.URL) string { return hostPort(u) }
