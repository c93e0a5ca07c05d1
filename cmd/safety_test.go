package cmd

// Safe defaults, tested through the commands a user runs.

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"

	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func port(t *testing.T, url string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatalf("no port in %q: %v", url, err)
	}
	return p
}

// reachable reports whether a TCP connection to addr is accepted.
func reachable(addr string) (bool, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return false, err
	}
	c.Close()
	return true, nil
}

// TestListenBindsLoopbackByDefault checks that a plain `listen` cannot be
// reached on any address but 127.0.0.1, and that --host 0.0.0.0 can, with
// a warning. 127.0.0.2 stands for "another interface": on Linux the whole
// of 127/8 is local, but a socket bound to 127.0.0.1 does not answer it.
func TestListenBindsLoopbackByDefault(t *testing.T) {
	r := startListen(t, true)
	if !strings.HasPrefix(r.url, "http://127.0.0.1:") {
		t.Fatalf("listen bound %s, want 127.0.0.1", r.url)
	}
	p := port(t, r.url)
	if ok, err := reachable("127.0.0.1:" + p); !ok {
		t.Fatalf("127.0.0.1:%s not reachable: %v", p, err)
	}
	if ok, _ := reachable("127.0.0.2:" + p); ok {
		t.Errorf("a default listen answers on 127.0.0.2:%s: it is not bound to 127.0.0.1 only", p)
	}
	if strings.Contains(r.stderr.String(), "other machines") {
		t.Errorf("a loopback listen warns about other machines: %s", r.stderr.String())
	}

	all := startListen(t, true, "--host", "0.0.0.0")
	p = port(t, all.url)
	ok, err := reachable("127.0.0.2:" + p)
	if !ok {
		t.Skipf("127.0.0.2 is not a local address here (%v); cannot tell interfaces apart", err)
	}
	// The warning follows the ready line startListen waited for.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(all.stderr.String(), "other machines") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond) // polling output, not timing
	}
	if !strings.Contains(all.stderr.String(), "listening on 0.0.0.0: other machines can post to it") {
		t.Errorf("--host 0.0.0.0 does not warn: %s", all.stderr.String())
	}
}

// TestSecretsNeverPrintedWhole runs every command that takes a secret, in
// every mode that prints something, and looks for the whole secret in
// stdout, stderr and the capture file. `secret` and `secret --explain`
// print a secret because that is what they are for, so they are left out.
func TestSecretsNeverPrintedWhole(t *testing.T) {
	const secret = "s3cret-for-the-safety-test-Q7xv"
	email := "owner@example.com"
	fromEmail := signature.SecretFromEmail(email)
	dev := signature.SecretFromEmail(signature.DevelopmentEmail)
	dir := t.TempDir()
	capture := filepath.Join(dir, "capture.jsonl")
	body := writeFile(t, "body.json", `{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"review.created","data":{}}`)
	sig := signature.Sign([]byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"review.created","data":{}}`), secret)

	l := startListen(t, true, "--secret", secret, "-v", "--save", capture)
	lj := startListen(t, true, "--email", email, "--json")
	ld := startListen(t, true, "-v")
	to := l.url + "/webhooks/hospitable"

	type run struct {
		env  map[string]string
		args []string
		code int // -1: any
	}
	runs := []run{
		{nil, []string{"send", "reservation.created", "--to", to, "--secret", secret}, 0},
		{nil, []string{"send", "message.created", "--to", to, "--secret", secret, "-v"}, 0},
		{nil, []string{"send", "--all", "--to", to, "--secret", secret, "--json"}, 0},
		{map[string]string{signature.EnvSecret: secret}, []string{"send", "review.created", "--to", to}, 0},
		{nil, []string{"send", "review.created", "--to", to, "--secret", secret + "x"}, 1},
		{nil, []string{"send", "review.created", "--to", lj.url, "--email", email}, 0},
		{map[string]string{signature.EnvEmail: email}, []string{"send", "review.created", "--to", lj.url, "-v"}, 0},
		{nil, []string{"send", "review.created", "--to", ld.url}, 0},
		{nil, []string{"send", "review.created", "--secret", secret, "--dry-run"}, 0},
		{nil, []string{"send", "review.created", "--secret", secret, "--print-curl"}, 0},
		{nil, []string{"send", "review.created", "--to", "http://127.0.0.1:1/", "--secret", secret}, 1},
		{nil, []string{"sign", "--file", body, "--secret", secret}, 0},
		{nil, []string{"sign", "--file", body, "--secret", secret, "--curl", to}, 0},
		{nil, []string{"sign", "--file", body, "--email", email, "--curl", to}, 0},
		{nil, []string{"verify", "--file", body, "--signature", sig, "--secret", secret}, 0},
		{nil, []string{"verify", "--file", body, "--signature", sig, "--secret", secret + " "}, 1},
		{nil, []string{"verify", "--file", body, "--signature", sig, "--secret", secret, "--json"}, 0},
		{map[string]string{signature.EnvSecret: secret}, []string{"verify", "--file", body, "--signature", signature.Sign([]byte("x"), secret)}, 1},
		{map[string]string{signature.EnvSecret: secret}, []string{"verify", "--file", body, "--signature", signature.Sign([]byte("x"), secret), "--json"}, 1},
		{nil, []string{"verify", "--file", body, "--signature", sig, "--email", email}, 1},
		{nil, []string{"verify", "--file", body, "--signature", sig}, 1},
	}
	type output struct{ what, text string }
	var printed []output
	for _, r := range runs {
		res := runCLI(t, r.env, "", r.args...)
		if r.code >= 0 && res.code != r.code {
			t.Errorf("%v exited %d, want %d:\n%s%s", r.args, res.code, r.code, res.stdout, res.stderr)
		}
		printed = append(printed, output{strings.Join(r.args[:min(len(r.args), 2)], " "), res.stdout + res.stderr})
	}
	for _, p := range []*running{l, lj, ld} {
		p.cancel()
		p.wait(t)
		printed = append(printed, output{"listen", p.stdout.String() + p.stderr.String()})
	}
	data, err := os.ReadFile(capture)
	if err != nil || len(data) == 0 {
		t.Fatalf("no capture file: %v", err)
	}
	printed = append(printed, output{"the capture file", string(data)})
	if !strings.Contains(l.stdout.String(), "stopped: 15 received, 14 verified") {
		t.Errorf("the listener did not see the deliveries; the test proves nothing:\n%s", l.stdout.String())
	}
	masked := false
	for _, out := range printed {
		for name, s := range map[string]string{"--secret": secret, "--email's secret": fromEmail, "development secret": dev} {
			if strings.Contains(out.text, s) {
				t.Errorf("the whole %s appears in the output of %s:\n%s", name, out.what, out.text)
			}
		}
		masked = masked || strings.Contains(out.text, secret[:4]+"…")
	}
	if !masked {
		t.Errorf("no output shows the secret's first four characters; is it masked at all?")
	}
}

// TestForwardToNeverLeavesTheHost puts an app behind `listen --forward-to`
// that redirects to a server elsewhere, and checks that server receives
// nothing, directly or after a redirect on the app's own host, while the
// sender gets the app's 307 and listen says the redirect was not followed.
func TestForwardToNeverLeavesTheHost(t *testing.T) {
	var stolen atomic.Int64
	thief := func() http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { stolen.Add(1) }
	}
	otherPort := httptest.NewServer(thief())
	defer otherPort.Close()
	targets := map[string]string{"another port": otherPort.URL + "/steal"}
	if ln, err := net.Listen("tcp", "127.0.0.2:0"); err == nil {
		otherHost := httptest.NewUnstartedServer(thief())
		otherHost.Listener.Close()
		otherHost.Listener = ln
		otherHost.Start()
		defer otherHost.Close()
		targets["another host"] = otherHost.URL + "/steal"
	} else if !errors.Is(err, syscall.EADDRNOTAVAIL) {
		t.Fatal(err)
	}

	for name, elsewhere := range targets {
		t.Run(name, func(t *testing.T) {
			var hops atomic.Int64
			mux := http.NewServeMux()
			mux.HandleFunc("/hop", func(w http.ResponseWriter, r *http.Request) {
				hops.Add(1)
				http.Redirect(w, r, "/away", http.StatusTemporaryRedirect)
			})
			mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, elsewhere, http.StatusTemporaryRedirect)
			})
			app := httptest.NewServer(mux)
			defer app.Close()

			for _, path := range []string{"/away", "/hop"} {
				r := startListen(t, true, "--forward-to", app.URL+path)
				b := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
				if got := postSigned(t, r.url, b, signature.Sign(b, devSecret)); got != http.StatusTemporaryRedirect {
					t.Errorf("forward to %s: the sender got %d, want the app's 307", path, got)
				}
				r.cancel()
				r.wait(t)
				if !strings.Contains(r.stdout.String(), "redirect to "+elsewhere+" not followed") {
					t.Errorf("forward to %s: listen does not say the redirect was not followed:\n%s", path, r.stdout.String())
				}
			}
			if hops.Load() != 1 {
				t.Errorf("the same-host hop was taken %d times, want 1 (redirects on the app's host are followed)", hops.Load())
			}
			if n := stolen.Load(); n != 0 {
				t.Errorf("the server at %s received %d requests", elsewhere, n)
			}
		})
	}
}
