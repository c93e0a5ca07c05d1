package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// stopWithin is how long Ctrl-C may take to end an idle listen. It is well
// under the grace in-flight deliveries get (shutdownGrace), so a listener
// that waits for a connection that is not a delivery being answered fails.
const stopWithin = 5 * time.Second

// TestCtrlCStopsListenAfterAnyRequest starts the real binary, leaves it
// one request of each kind with the connection still open (a body that
// never finishes, or an idle keep-alive), and checks that SIGINT ends it
// at once with exit 0.
func TestCtrlCStopsListenAfterAnyRequest(t *testing.T) {
	bin := buildBinary(t)
	body := string(deliveryBody("01KB6DGNF0E0G2JW0F2RHT0C6B"))
	sig := signature.Sign([]byte(body), devSecret)
	// partial declares a body that never arrives in full, as a client that
	// sent Expect: 100-continue or died mid-request leaves it.
	partial := func(method, path string, extra ...string) string {
		return method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
			strings.Join(extra, "") + "Content-Length: 1000\r\n\r\n{\"id\":"
	}
	whole := func(method, path, sig string) string {
		return method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nSignature: " + sig +
			fmt.Sprintf("\r\nContent-Length: %d\r\n\r\n", len(body)) + body
	}
	tests := []struct {
		name    string
		args    []string
		request string
		status  string // the status line's code, "" when no answer is expected yet
	}{
		{"wrong path, body unsent", nil, partial("POST", "/elsewhere"), "404"},
		{"wrong path, expect 100-continue", nil, "POST /elsewhere HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n", "404"},
		{"wrong path, kept alive", nil, whole("POST", "/elsewhere", sig), "404"},
		{"wrong method, body unsent", nil, partial("PUT", "/webhooks/hospitable"), "405"},
		{"status page, body unsent", nil, partial("GET", "/"), "200"},
		{"status page, kept alive", nil, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "200"},
		{"outside --allow-ip, body unsent", []string{"--allow-ip", "10.0.0.0/8"}, partial("POST", "/webhooks/hospitable"), "403"},
		{"too large", []string{"--max-body", "100"}, partial("POST", "/webhooks/hospitable"), "413"},
		{"forged, kept alive", nil, whole("POST", "/webhooks/hospitable", strings.Repeat("0", 64)), "401"},
		{"forged, body still arriving", nil, partial("POST", "/webhooks/hospitable", "Signature: "+sig+"\r\n"), ""},
		{"valid, kept alive", nil, whole("POST", "/webhooks/hospitable", sig), "200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startListenBinary(t, bin, append([]string{"--path", "/webhooks/hospitable"}, tt.args...)...)
			u, err := url.Parse(p.url)
			if err != nil {
				t.Fatal(err)
			}
			conn, err := net.Dial("tcp", u.Host)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Write([]byte(tt.request)); err != nil {
				t.Fatal(err)
			}
			if tt.status != "" {
				_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				line, err := bufio.NewReader(conn).ReadString('\n')
				if err != nil || !strings.HasPrefix(line, "HTTP/1.1 "+tt.status) {
					t.Fatalf("answer %q (%v), want %s", line, err, tt.status)
				}
			}

			start := time.Now()
			err = p.interruptAndWait(t, "SIGINT")
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				t.Errorf("listen exited %v after SIGINT, want 0; stderr:\n%s", err, p.stderr)
			}
			t.Logf("stopped %s after SIGINT", time.Since(start).Round(time.Millisecond))
		})
	}
}

// TestSecondCtrlCStopsAtOnce holds a delivery in flight (--delay), so the
// first SIGINT waits for it, and checks that it says so and that a second
// SIGINT ends the process at once.
func TestSecondCtrlCStopsAtOnce(t *testing.T) {
	p := startListenProcess(t, "--delay", "1m")
	go func() { _, _ = postDelivery(&http.Client{}, p.url, "held-by-delay") }()
	statusPage := strings.TrimSuffix(p.url, "/webhooks/hospitable") + "/"
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get(statusPage)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(b), "received 1") {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the delivery never arrived; stderr:\n%s", p.stderr)
		}
		time.Sleep(10 * time.Millisecond) // polling the status page, not synchronising
	}
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(stopWithin); !strings.Contains(p.stderr.String(), "Ctrl-C again"); {
		if time.Now().After(deadline) {
			t.Fatalf("after one SIGINT with a delivery in flight, no word of waiting; stderr:\n%s", p.stderr)
		}
		time.Sleep(10 * time.Millisecond) // polling output, not synchronising
	}
	err := p.interruptAndWait(t, "a second SIGINT")
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGINT {
		t.Errorf("after a second SIGINT listen ended with %v, want killed by SIGINT", err)
	}
}

// interruptAndWait sends SIGINT and returns how the process exited. If it
// is still running stopWithin later it is killed and the test fails,
// naming the interrupt as after.
func (p *process) interruptAndWait(t *testing.T, after string) error {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { <-p.done; exited <- p.cmd.Wait() }()
	select {
	case err := <-exited:
		return err
	case <-time.After(stopWithin):
		_ = p.cmd.Process.Kill()
		<-exited
		t.Fatalf("listen still running %s after %s; stderr:\n%s", stopWithin, after, p.stderr)
		return nil
	}
}
