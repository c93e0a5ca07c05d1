package listener

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// serveReal serves h with NewServer on 127.0.0.1:0, as listen does.
func serveReal(t *testing.T, h *Handler) (addr string, stop func(context.Context)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(h, ServerOptions{})
	served := make(chan struct{})
	go func() { defer close(served); _ = srv.Serve(ln) }()
	var stopped bool
	stop = func(ctx context.Context) {
		if !stopped {
			stopped = true
			Stop(ctx, srv, h)
			<-served
		}
	}
	t.Cleanup(func() { stop(context.Background()) })
	return ln.Addr().String(), stop
}

// TestUnreadBodiesDoNotHoldAnswersOrShutdown sends requests whose body the
// listener does not read, declaring a body that never comes: each must be
// answered at once, and Stop must not wait for their connections.
func TestUnreadBodiesDoNotHoldAnswersOrShutdown(t *testing.T) {
	tests := []struct {
		name, head, status string
	}{
		{"wrong path", "POST /elsewhere HTTP/1.1", "404"},
		{"wrong method", "PUT /webhooks HTTP/1.1", "405"},
		{"status page", "GET / HTTP/1.1", "200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(Config{Secret: secret, Path: "/webhooks"})
			addr, stop := serveReal(t, h)
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_, _ = conn.Write([]byte(tt.head + "\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"id\":"))
			_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			line, err := bufio.NewReader(conn).ReadString('\n')
			if err != nil || !strings.HasPrefix(line, "HTTP/1.1 "+tt.status) {
				t.Fatalf("answer %q (%v), want %s at once", line, err, tt.status)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			stop(ctx)
			if ctx.Err() != nil {
				t.Errorf("Stop waited out its deadline for a connection with no delivery")
			}
		})
	}
}

// TestPathIsComparedAsSent checks that an escaped slash does not reach the
// served path: net/http decodes /webhooks%2Fhospitable to the same Path.
func TestPathIsComparedAsSent(t *testing.T) {
	h := New(Config{Secret: secret, Path: "/webhooks/hospitable"})
	addr, _ := serveReal(t, h)
	for _, tt := range []struct{ target, status string }{
		{"/webhooks%2Fhospitable", "404"},
		{"/webhooks/hospitable%2F", "404"},
		{"/webhooks/hospitable?x=1", "401"},
		{"/webhooks/hospitable", "401"},
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = conn.Write([]byte("POST " + tt.target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"))
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, _ := bufio.NewReader(conn).ReadString('\n')
		conn.Close()
		if !strings.HasPrefix(line, "HTTP/1.1 "+tt.status) {
			t.Errorf("POST %s = %q, want %s", tt.target, line, tt.status)
		}
	}
}
