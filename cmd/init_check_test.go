package cmd

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/starter"
)

const starterSecret = "dXNlckBleGFtcGxlLmNvbQ=="

// TestGoStarterPassesCheck writes the Go starter as `init go` does, builds
// it with its own go.mod, runs it on a free loopback port and runs `check`
// against it: every case passes. Then it breaks one line at a time, the way
// receivers go wrong, and shows that check fails the cases that bug breaks,
// keeps passing those it does not, and names the cause. (.ci/starters does
// the same for every stack, and breaks the Express starter too.)
func TestGoStarterPassesCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the Go starter; skipped with -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH to build the starter; .ci/starters runs this in CI")
	}
	refusals := []string{"tampered-body", "missing-signature", "wrong-secret"}
	tests := []starterBug{
		{name: "as written"},
		{
			name:  "hashes re-encoded JSON",
			old:   "\tmac.Write(body)\n",
			new:   "\tvar v any; _ = json.Unmarshal(body, &v); re, _ := json.Marshal(v); mac.Write(re)\n",
			fail:  []string{"signed-reservation-created", "signed-message-created", "both-encodings", "unknown-action"},
			pass:  refusals,
			named: "raw request bytes",
		},
		{
			name:  "answers 202",
			old:   `answer(w, http.StatusOK, "accepted")`,
			new:   `answer(w, http.StatusAccepted, "accepted")`,
			fail:  []string{"signed-reservation-created", "signed-review-created", "unknown-action"},
			pass:  refusals,
			named: "only 200",
		},
		{
			// The pattern is defence in depth: hmac.Equal still refuses a
			// short or upper-case signature, so check stays green.
			name: "no format check before comparing",
			old:  "case len(values) > 1 || !signaturePattern.MatchString(values[0]):",
			new:  "case false:",
		},
	}
	var variants []mutation
	for _, tt := range tests {
		variants = append(variants, mutation{tt.old, tt.new})
	}
	bins := buildGoStarters(t, variants)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := runGoStarter(t, bins[i])
			r := runCLI(t, nil, "", "check", url, "--secret", starterSecret, "--format", "json")
			passed := casesPassed(t, r)
			if tt.fail == nil {
				checkEveryCasePasses(t, r, passed)
				return
			}
			tt.checkCaught(t, r, passed)
		})
	}
}

// starterBug is one case of TestGoStarterPassesCheck: a line of the Go
// starter broken the way receivers go wrong, and what check must say.
type starterBug struct {
	name string
	// old is replaced by new, once, in main.go ("" = as written).
	old, new string
	// fail must fail, pass must pass; as written, every case passes.
	fail, pass []string
	// named must appear in check's output: the cause or its fix.
	named string
}

// casesPassed reads `check --format json` output: whether each case that
// ran passed, by name. It fails the test if no case ran.
func casesPassed(t *testing.T, r cliResult) map[string]bool {
	t.Helper()
	passed := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if rec := gjson.Parse(sc.Text()); rec.Get("type").String() == "case" {
			passed[rec.Get("name").String()] = rec.Get("pass").Bool()
		}
	}
	if len(passed) == 0 {
		t.Fatalf("check printed no case: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	return passed
}

// checkEveryCasePasses: against the starter as written, check passes every case and exits 0.
func checkEveryCasePasses(t *testing.T, r cliResult, passed map[string]bool) {
	t.Helper()
	for name, pass := range passed {
		if !pass {
			t.Errorf("case %s failed against the starter as written", name)
		}
	}
	if r.code != 0 {
		t.Errorf("check = exit %d, want 0", r.code)
	}
}

// checkCaught: check exits 1, fails the cases the bug breaks, passes those
// it does not, and names the cause.
func (tt starterBug) checkCaught(t *testing.T, r cliResult, passed map[string]bool) {
	t.Helper()
	if r.code != exitFailed {
		t.Errorf("check = exit %d, want 1", r.code)
	}
	for _, name := range tt.fail {
		if pass, ok := passed[name]; !ok || pass {
			t.Errorf("case %s: ran %v, passed %v; want it to fail", name, ok, pass)
		}
	}
	for _, name := range tt.pass {
		if pass, ok := passed[name]; !ok || !pass {
			t.Errorf("case %s: ran %v, passed %v; want it to pass", name, ok, pass)
		}
	}
	if !strings.Contains(r.stdout, tt.named) {
		t.Errorf("check's report does not mention %q:\n%s", tt.named, r.stdout)
	}
}

// mutation replaces old by new, once, in the Go starter's main.go; an empty
// old leaves it as written.
type mutation struct{ old, new string }

// buildGoStarters writes the Go starter as `init go` does, once per
// mutation, and builds them all with one `go build`. It returns the
// binaries, in order.
func buildGoStarters(t *testing.T, variants []mutation) []string {
	t.Helper()
	s, err := starter.Lookup("go")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := starter.Write(s, dir, false); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	var bins []string
	for i, m := range variants {
		if !strings.Contains(string(src), m.old) {
			t.Fatalf("main.go has no %q to mutate", m.old)
		}
		// Not v2, v3…: go build names those binaries after the module.
		name := fmt.Sprintf("variant%d", i)
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		mutated := string(src)
		if m.old != "" {
			mutated = strings.Replace(mutated, m.old, m.new, 1)
		}
		if err := os.WriteFile(filepath.Join(dir, name, "main.go"), []byte(mutated), 0o644); err != nil {
			t.Fatal(err)
		}
		bins = append(bins, filepath.Join(dir, "bin", name))
	}
	build := exec.Command("go", "build", "-o", "bin/", "./...")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build of the starter: %v\n%s", err, out)
	}
	return bins
}

var listening = regexp.MustCompile(`listening on (\S+),`)

// runGoStarter starts a built starter on 127.0.0.1:0 and returns its
// endpoint URL, once it has said where it listens. The process is killed
// when the test ends.
func runGoStarter(t *testing.T, bin string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	app := exec.CommandContext(ctx, bin)
	app.Env = append(os.Environ(), "HOST=127.0.0.1", "PORT=0", "HOSPITABLE_WEBHOOK_SECRET="+starterSecret, "HOSPITABLE_PROCESSED_LOG=")
	stderr, err := app.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = app.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			t.Fatal("the starter exited before it listened")
		}
		return "http://" + a + "/webhooks/hospitable"
	case <-time.After(60 * time.Second):
		t.Fatal("the starter did not say where it listens within 60s")
	}
	return ""
}
