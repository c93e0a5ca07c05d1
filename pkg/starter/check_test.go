package starter

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/check"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
)

const checkSecret = "dXNlckBleGFtcGxlLmNvbQ=="

// TestGoStarterPassesCheck writes the Go starter as `init go` does, builds
// it with its own go.mod, runs it on a free loopback port and runs the
// whole conformance suite against it, in-process; then it mutates one line
// at a time, the way receivers go wrong, and shows check names the cases
// that break.
func TestGoStarterPassesCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the Go starter; skipped with -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH to build the starter")
	}
	tests := []struct {
		name string
		// old is replaced by new, once, in main.go ("" = unchanged).
		old, new string
		// fail are the cases that must fail (all others must pass); why
		// must appear in the first failure's explanation.
		fail []string
		why  string
	}{
		{name: "as written"},
		{
			name: "hashes re-encoded JSON",
			old:  "\tmac.Write(body)\n",
			new:  "\tvar v any; _ = json.Unmarshal(body, &v); re, _ := json.Marshal(v); mac.Write(re)\n",
			fail: append(signedCases(), "duplicate-delivery", "unknown-action", "both-encodings", "large-delivery"),
			why:  "raw request bytes",
		},
		{
			name: "answers 202",
			old:  `answer(w, http.StatusOK, "accepted")`,
			new:  `answer(w, http.StatusAccepted, "accepted")`,
			fail: append(signedCases(), "duplicate-delivery", "unknown-action", "both-encodings", "large-delivery"),
			why:  "only 200",
		},
		{
			name: "compares without looking at the length",
			old:  "case len(values) > 1 || !signaturePattern.MatchString(values[0]):",
			new:  "case false:",
			// Malformed signatures are still refused by hmac.Equal: the
			// pattern is defence in depth, and check must stay green.
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
			client := deliver.NewClient(deliver.ClientOptions{Timeout: 10 * time.Second})
			defer client.Close()
			cfg := check.Config{URL: url, Secret: checkSecret, Client: client, Now: time.Now, Entropy: rand.Reader, Fixtures: fixtures.FS}
			results, err := check.Run(context.Background(), cfg, check.Cases(), nil)
			if err != nil {
				t.Fatal(err)
			}
			var failed []string
			firstWhy := ""
			for _, r := range results {
				if !r.Pass {
					failed = append(failed, r.Name)
					if firstWhy == "" {
						firstWhy = r.Why + " " + r.Fix
					}
				}
			}
			if !slices.Equal(sorted(failed), sorted(tt.fail)) {
				t.Errorf("check failed %v\nwant %v", failed, tt.fail)
			}
			if tt.why != "" && !strings.Contains(firstWhy, tt.why) {
				t.Errorf("check explained the failure as %q, want it to mention %q", firstWhy, tt.why)
			}
		})
	}
}

func signedCases() []string {
	var out []string
	for _, n := range check.Names() {
		if strings.HasPrefix(n, "signed-") {
			out = append(out, n)
		}
	}
	return out
}

var listening = regexp.MustCompile(`listening on (\S+),`)

// mutation replaces old by new, once, in the Go starter's main.go; an empty
// old leaves it as written.
type mutation struct{ old, new string }

// buildGoStarters writes the Go starter as `init go` does, once per
// mutation, and builds them all with one `go build` (one compile of the
// standard library's share, not one per variant). It returns the binaries,
// in order.
func buildGoStarters(t *testing.T, variants []mutation) []string {
	t.Helper()
	s, _ := Lookup("go")
	dir := t.TempDir()
	if _, err := Write(s, dir, false); err != nil {
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

// runGoStarter starts a built starter on 127.0.0.1:0 and returns its
// endpoint URL. The process is killed when the test ends.
func runGoStarter(t *testing.T, bin string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	app := exec.CommandContext(ctx, bin)
	app.Env = append(os.Environ(), "HOST=127.0.0.1", "PORT=0", "HOSPITABLE_WEBHOOK_SECRET="+checkSecret, "HOSPITABLE_PROCESSED_LOG=")
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
	case <-time.After(30 * time.Second):
		t.Fatal("the starter did not say it was listening within 30s")
	}
	return ""
}
