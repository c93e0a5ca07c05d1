package deliver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"syscall"
	"time"
)

// Kind classifies a failure to get an answer from an endpoint.
type Kind string

// The kinds of TransportError, as `--json` output names them.
const (
	// KindRefused: nothing listens on the address.
	KindRefused Kind = "connection_refused"
	// KindDNS: the host name does not resolve.
	KindDNS Kind = "dns"
	// KindTLS: the TLS handshake failed (an untrusted certificate, or an
	// endpoint that does not speak TLS).
	KindTLS Kind = "tls"
	// KindTimeout: no answer within the timeout.
	KindTimeout Kind = "timeout"
	// KindReset: the endpoint closed the connection without answering.
	KindReset Kind = "connection_reset"
	// KindCanceled: the run was interrupted (Ctrl-C).
	KindCanceled Kind = "canceled"
	// KindOther: any other network failure.
	KindOther Kind = "other"
)

// TransportError is a delivery that got no HTTP answer. Callers tell the
// kinds apart with Kind; Hint says what to do next.
type TransportError struct {
	// Kind is what went wrong.
	Kind Kind
	// Addr is the host:port the delivery went to.
	Addr string
	// Limit is the timeout that ran out, for KindTimeout.
	Limit time.Duration
	// Reused is set when the delivery went out on a kept-alive connection
	// that an earlier delivery had used; Idle is how long it had been
	// unused. A reset on such a connection is the connection's doing (the
	// endpoint's keep-alive timeout closed it as the request went out),
	// not a sign that the app failed.
	Reused bool
	Idle   time.Duration
	// Err is the underlying error.
	Err error
}

// Error says what failed, where, and the cause.
func (e *TransportError) Error() string {
	if e.Kind == KindReset && e.Reused {
		idle := ""
		if e.Idle > 0 {
			idle = " after " + FormatDuration(e.Idle.Round(time.Millisecond)) + " idle"
		}
		return fmt.Sprintf("the kept-alive connection to %s was closed%s as the delivery went out on it, before any answer", e.Addr, idle)
	}
	switch e.Kind {
	case KindRefused:
		return "connection refused on " + e.Addr
	case KindDNS:
		var dns *net.DNSError
		if errors.As(e.Err, &dns) {
			return fmt.Sprintf("cannot resolve host %q: %s", dns.Name, dns.Err)
		}
		return fmt.Sprintf("cannot resolve the host of %s: %v", e.Addr, e.Err)
	case KindTLS:
		return fmt.Sprintf("TLS handshake with %s failed: %v", e.Addr, tlsCause(e.Err))
	case KindTimeout:
		return fmt.Sprintf("no answer from %s within %s", e.Addr, FormatDuration(e.Limit))
	case KindReset:
		return e.Addr + " closed the connection without answering"
	case KindCanceled:
		return "interrupted before " + e.Addr + " answered"
	default:
		return fmt.Sprintf("POST to %s failed: %v", e.Addr, e.Err)
	}
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// Timeout reports whether the delivery timed out, so that code asking any
// error `Timeout() bool` (as Attempt.Verdict does) gets the right answer.
func (e *TransportError) Timeout() bool { return e.Kind == KindTimeout }

// Hint says what to do next, in terms of the sending commands' flags.
func (e *TransportError) Hint() string {
	if e.Kind == KindReset && e.Reused {
		return "this was the connection, not your app (its keep-alive timeout ran out); the delivery may not have reached the app: send it again"
	}
	switch e.Kind {
	case KindRefused:
		if isLoopback(e.Addr) {
			return "start `hospitable-hook listen` or pass --to"
		}
		return "check that the endpoint is running and that --to has the right port"
	case KindDNS:
		return "check the host name in --to (or HOSPITABLE_HOOK_URL)"
	case KindTLS:
		var rec tls.RecordHeaderError
		if errors.As(e.Err, &rec) || errors.Is(e.Err, http.ErrSchemeMismatch) {
			return "the endpoint does not speak TLS: use an http:// URL"
		}
		return "for a self-signed certificate pass --insecure; for plain HTTP use an http:// URL"
	case KindTimeout:
		return "make the endpoint answer faster (reply 200 first, work later), or raise --timeout"
	case KindReset:
		return "look in the endpoint's logs (and any proxy's) to see whether the delivery reached the app before the connection closed"
	case KindCanceled:
		return ""
	default:
		return "check --to and that the endpoint is reachable"
	}
}

// Message is the error and its hint as one line.
func (e *TransportError) Message() string {
	if h := e.Hint(); h != "" {
		return e.Error() + ": " + h
	}
	return e.Error()
}

// classify turns an error from net/http into a *TransportError, by the
// error's type, never its text.
func classify(ctx context.Context, err error, addr string, timeout time.Duration) error {
	kind := KindOther
	var (
		dns        *net.DNSError
		unknownCA  x509.UnknownAuthorityError
		hostname   x509.HostnameError
		invalid    x509.CertificateInvalidError
		verify     *tls.CertificateVerificationError
		record     tls.RecordHeaderError
		alert      tls.AlertError
		netTimeout interface{ Timeout() bool }
	)
	switch {
	case errors.Is(err, context.Canceled) || ctx.Err() == context.Canceled:
		kind = KindCanceled
	case errors.As(err, &dns):
		kind = KindDNS
	case errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.As(err, &verify), errors.As(err, &record), errors.As(err, &alert), errors.Is(err, http.ErrSchemeMismatch):
		kind = KindTLS
	case errors.Is(err, syscall.ECONNREFUSED):
		kind = KindRefused
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netTimeout) && netTimeout.Timeout():
		kind = KindTimeout
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.EPIPE):
		kind = KindReset
	}
	return &TransportError{Kind: kind, Addr: addr, Limit: timeout, Err: err}
}

// onConn records on a *TransportError which connection carried the
// delivery, so a reset on a reused one is worded as the connection's.
func onConn(err error, info httptrace.GotConnInfo) error {
	var te *TransportError
	if errors.As(err, &te) && info.Reused {
		te.Reused = true
		if info.WasIdle {
			te.Idle = info.IdleTime
		}
	}
	return err
}

// tlsCause is the most specific TLS error in err's chain, without the
// "Post "https://…": " wrapping net/http adds.
func tlsCause(err error) error {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		record    tls.RecordHeaderError
		alert     tls.AlertError
	)
	switch {
	case errors.As(err, &unknownCA):
		return unknownCA
	case errors.As(err, &hostname):
		return hostname
	case errors.As(err, &invalid):
		return invalid
	case errors.As(err, &record), errors.Is(err, http.ErrSchemeMismatch):
		return errors.New("the server answered in plain HTTP, not TLS")
	case errors.As(err, &alert):
		return alert
	}
	return err
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
