package cmd

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestCompletionsAreCurrent fails when the committed completion scripts
// differ from what the current command tree generates: run `go generate ./...`.
func TestCompletionsAreCurrent(t *testing.T) {
	for shell, file := range map[string]string{
		"bash":       "hospitable-hook.bash",
		"zsh":        "hospitable-hook.zsh",
		"fish":       "hospitable-hook.fish",
		"powershell": "hospitable-hook.ps1",
	} {
		t.Run(shell, func(t *testing.T) {
			r := runCLI(t, nil, "", "completion", shell)
			if r.code != 0 {
				t.Fatalf("completion %s exited %d: %s", shell, r.code, r.stderr)
			}
			committed, err := os.ReadFile(filepath.Join("..", "completions", file))
			if err != nil {
				t.Fatalf("%v: run `go generate ./...`", err)
			}
			if string(committed) != r.stdout {
				t.Errorf("completions/%s is out of date: run `go generate ./...` and commit it", file)
			}
		})
	}
}

func TestBuildInfoComplete(t *testing.T) {
	read := func(version string, settings ...debug.BuildSetting) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Version: version}, Settings: settings}, true
		}
	}
	tests := []struct {
		name  string
		in    BuildInfo
		read  func() (*debug.BuildInfo, bool)
		want  string
		want2 string
	}{
		{"ldflags win", BuildInfo{Version: "v1.2.3", Commit: "abc", Date: "2026-11-28"}, read("v9.9.9"), "v1.2.3", "abc"},
		{"go install reads the module version", BuildInfo{}, read("v0.4.0"), "v0.4.0", "unknown"},
		{"checkout build reads vcs", BuildInfo{}, read("(devel)", debug.BuildSetting{Key: "vcs.revision", Value: "f00d"}, debug.BuildSetting{Key: "vcs.time", Value: "2026-11-28T00:00:00Z"}), "dev", "f00d"},
		{"no build info", BuildInfo{}, func() (*debug.BuildInfo, bool) { return nil, false }, "dev", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.Complete(tt.read)
			if got.Version != tt.want || got.Commit != tt.want2 || got.Go == "" || !strings.Contains(got.Platform, "/") {
				t.Errorf("Complete() = %+v, want version %q commit %q", got, tt.want, tt.want2)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	d, _, out, _ := testDeps(t, nil)
	d.Build = BuildInfo{Version: "v1.2.3", Commit: "abc", Date: "2026-11-28", Go: "go1.26", Platform: "linux/amd64"}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out.Reset()
		if code := Execute(t.Context(), d, args...); code != 0 {
			t.Fatalf("%v exited %d", args, code)
		}
		for _, want := range []string{"hospitable-hook v1.2.3", "commit   abc", "built    2026-11-28", "go1.26", "linux/amd64"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v output lacks %q:\n%s", args, want, out)
			}
		}
	}
}
