package listener

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestIdleConnectionsMakeRoomAtTheCap fills the connection cap with idle
// keep-alives and checks that a new sender is still answered: the oldest
// idle connection is closed for it.
func TestIdleConnectionsMakeRoomAtTheCap(t *testing.T) {
	const limit = 4
	h := New(Config{Secret: secret})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(h, ServerOptions{})
	lim := LimitConns(srv, ln, limit)
	go func() { _ = srv.Serve(lim) }()
	t.Cleanup(func() { _ = srv.Close() })

	get := func(conn net.Conn) string {
		t.Helper()
		_, _ = conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			return err.Error()
		}
		resp.Body.Close()
		return resp.Status
	}
	var idle []net.Conn
	for range limit {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if got := get(c); !strings.HasPrefix(got, "200") {
			t.Fatalf("status page = %s", got)
		}
		idle = append(idle, c)
	}
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := get(c); !strings.HasPrefix(got, "200") {
		t.Fatalf("with %d idle keep-alives at the cap, a new connection got %s, want an answer", limit, got)
	}
	// The first idle connection made room: the server closed it.
	_ = idle[0].SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := idle[0].Read(make([]byte, 1)); err == nil || n != 0 {
		t.Errorf("the oldest idle connection is still open (read %d, %v)", n, err)
	}
}
