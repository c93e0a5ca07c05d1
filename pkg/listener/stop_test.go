package listener_test

import (
	"bufio"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

// slowWriteListener hands out connections whose writes each take a while,
// as on a congested link: the answer is still on its way out after the
// handler has returned.
type slowWriteListener struct{ net.Listener }

func (l slowWriteListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return slowWriteConn{c}, nil
}

type slowWriteConn struct{ net.Conn }

func (c slowWriteConn) Write(p []byte) (int, error) {
	time.Sleep(200 * time.Millisecond) // the slowness under test, not a wait for an event
	return c.Conn.Write(p)
}

// TestStopLetsAnAnsweredDeliveryFinish: a delivery that was answered when
// the listener stops (listen --expect reached, or Ctrl-C) must reach its
// sender whole. Stop waited for the handler, then closed every
// connection while net/http was still writing the answer out, so the last
// delivery of `listen --expect N` got EOF, which Hospitable would retry.
func TestStopLetsAnAnsweredDeliveryFinish(t *testing.T) {
	h := listener.New(listener.Config{Secret: secret, Quiet: true})
	srv := listener.NewServer(h, listener.ServerOptions{ErrorLog: log.New(io.Discard, "", 0)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(slowWriteListener{ln})
	}()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-h.Changed() // the delivery is answered (as --expect sees it)
		listener.Stop(context.Background(), srv, h)
	}()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write(rawRequest("01KB2Y5X0Q3W7F8G9H0J1K2M3N")); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the delivery answered as the listener stopped never reached its sender: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d, want 200", resp.StatusCode)
	}
	<-stopped
	<-served
}

// TestServeLetsTheExpectedAnswerFinish: the delivery that meets --expect
// reaches its sender whole, though Serve starts stopping as it is
// answered.
func TestServeLetsTheExpectedAnswerFinish(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := listener.Serve(context.Background(), slowWriteListener{ln}, listener.Config{Secret: secret, Quiet: true},
		listener.ServeOptions{Expect: 1, ErrorLog: log.New(io.Discard, "", 0)})
	resp, _ := exchange(t, ln.Addr().String(), rawRequest("01KB2Y5X0Q3W7F8G9H0J1K2M3N"), false) // fails without an answer
	if end := s.Wait(); end.Why != listener.EndExpected || resp.StatusCode != http.StatusOK {
		t.Errorf("status %d, End %+v; want 200 and EndExpected", resp.StatusCode, end)
	}
}
