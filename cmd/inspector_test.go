package cmd

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func TestListenUIFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--ui", "4040"},
		{"--ui", ":4040"},
		{"--ui", "127.0.0.1:70000"},
		{"--ui-keep", "0"},
		{"--ui", "127.0.0.1:0", "--no-ui"},
	} {
		r := runCLI(t, nil, "", append([]string{"listen", "--port", "0"}, args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "ui") {
			t.Errorf("listen %v: exit %d, stderr %q; want 2 naming the flag", args, r.code, r.stderr)
		}
	}
}

// readyObject starts `listen --json args...` and returns its ready object.
func readyObject(t *testing.T, args ...string) (*running, map[string]any) {
	t.Helper()
	r := startListen(t, true, append([]string{"--json"}, args...)...)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		line, _, ok := strings.Cut(r.stdout.String(), "\n")
		if ok {
			var obj map[string]any
			if err := json.Unmarshal([]byte(line), &obj); err != nil || obj["type"] != "ready" {
				t.Fatalf("first line %q is not the ready object", line)
			}
			return r, obj
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no ready object on stdout: %q", r.stdout.String())
	return nil, nil
}

// TestListenServesTheInspector starts listen with the inspector, with and
// without --quiet: the ready object and line name it, it lists a delivery
// without the secret, and the delivery port does not serve its API.
func TestListenServesTheInspector(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		t.Run(fmt.Sprintf("quiet=%v", quiet), func(t *testing.T) {
			args := []string{"--ui", "127.0.0.1:0"}
			if quiet {
				args = append(args, "--quiet")
			}
			r, ui := startWithInspector(t, args...)
			body := fixturetest.Envelope(t, "review.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
			if st := postSigned(t, r.url+"/webhooks/hospitable", body, signature.Sign(body, devSecret)); st != 200 {
				t.Fatalf("delivery: %d", st)
			}
			checkInspectorLists(t, ui, quiet)
			checkDeliveryPortHidesAPI(t, r.url)
			r.cancel()
			if code := r.wait(t); code != 0 {
				t.Errorf("listen exit %d", code)
			}
		})
	}
}

// startWithInspector starts `listen --json args...` and returns it with
// the inspector's address, checking that the ready object gives it apart
// from the delivery address, with a token, and the ready line names it.
func startWithInspector(t *testing.T, args ...string) (*running, string) {
	t.Helper()
	r, ready := readyObject(t, args...)
	ui, _ := ready["ui"].(string)
	token, _ := ready["ui_token"].(string)
	if !strings.HasPrefix(ui, "http://127.0.0.1:") || ui == r.url || token == "" {
		t.Fatalf("ready object ui %q token %q, want a loopback address apart from %s and a token", ui, token, r.url)
	}
	if !strings.Contains(r.stderr.String(), "inspector on "+ui) {
		t.Errorf("the ready line does not name the inspector:\n%s", r.stderr.String())
	}
	return r, ui
}

// checkInspectorLists checks the inspector's API lists the verified
// review.created delivery and does not carry the secret.
func checkInspectorLists(t *testing.T, ui string, quiet bool) {
	t.Helper()
	resp, err := http.Get(ui + "/api/deliveries")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"action":"review.created"`) || !strings.Contains(string(b), `"verdict":"verified"`) {
		t.Errorf("quiet=%v: the inspector's list lacks the delivery: %s", quiet, b)
	}
	if strings.Contains(string(b), devSecret) {
		t.Errorf("the API carries the secret")
	}
}

// checkDeliveryPortHidesAPI checks the delivery port does not serve the
// inspector's API.
func checkDeliveryPortHidesAPI(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url + "/api/deliveries")
	if err != nil {
		t.Fatal(err)
	}
	head, _ := bufio.NewReader(resp.Body).ReadString('\n')
	resp.Body.Close()
	if strings.Contains(head, "deliveries") && strings.HasPrefix(head, "{") {
		t.Errorf("the delivery port answers the inspector's API: %q", head)
	}
}

func TestListenNoUI(t *testing.T) {
	r, ready := readyObject(t, "--no-ui")
	if _, ok := ready["ui"]; ok {
		t.Errorf("--no-ui: ready object names a ui: %v", ready)
	}
	if strings.Contains(r.stderr.String(), "inspector on") {
		t.Errorf("--no-ui: the ready line names an inspector")
	}
}

func TestListenUIOnAnotherHostWarns(t *testing.T) {
	r := startListen(t, true, "--ui", "0.0.0.0:0")
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(r.stderr.String(), "other machines can see every delivery") {
		if time.Now().After(deadline) {
			t.Fatalf("no warning for an inspector on all interfaces:\n%s", r.stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestListenUIDefaultFromEnvironment: without --ui, the inspector binds
// $HOSPITABLE_HOOK_UI, so a second tool on 4040 or a test suite can move
// it; and a test's listen never binds the fixed default port.
func TestListenUIDefaultFromEnvironment(t *testing.T) {
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	want := free.Addr().String()
	free.Close()
	r := startListenEnv(t, true, nil, map[string]string{"HOSPITABLE_HOOK_UI": want}, "--json")
	if ui := readyUI(t, r); !strings.HasSuffix(ui, "//"+want) {
		t.Errorf("HOSPITABLE_HOOK_UI=%s: the inspector is on %q", want, ui)
	}
	if ui := readyUI(t, startListen(t, true, "--json")); strings.Contains(ui, ":40") {
		t.Errorf("a test's listen took the default inspector port: %q", ui)
	}
}

// readyUI waits for r's ready object and returns its ui URL.
func readyUI(t *testing.T, r *running) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if line, _, ok := strings.Cut(r.stdout.String(), "\n"); ok {
			var ready struct {
				UI string `json:"ui"`
			}
			if err := json.Unmarshal([]byte(line), &ready); err != nil || ready.UI == "" {
				t.Fatalf("first line %q is not a ready object naming the ui", line)
			}
			return ready.UI
		}
	}
	t.Fatalf("no ready object on stdout: %q", r.stdout.String())
	return ""
}
