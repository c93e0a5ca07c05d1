package listenertest

import (
	"net"
	"testing"
)

// ClosedAddr returns a loopback host:port nothing listens on: a listener
// is opened on a free port and closed again, so a connection is refused.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
