package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A planted symbolic link, a file that is not a capture and a FIFO are
// refused before the listener starts, with what to do instead; the file
// behind the link is left as it was.
func TestListenSaveRefusesUnsafePaths(t *testing.T) {
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	if err := os.WriteFile(profile, []byte("echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "capture.jsonl")
	if err := os.Symlink(profile, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"symlink", []string{"--save", link}, "is a symbolic link; choose another `--save` path, or pass `--save-follow-symlink`"},
		{"followed symlink to a non-capture", []string{"--save", link, "--save-follow-symlink"}, "is not a capture file: its first line is not a capture record; `--save` only appends to capture files"},
		{"not a capture", []string{"--save", profile}, "is not a capture file"},
		{"fifo", []string{"--save", fifo}, "is not a regular file (a FIFO; give a path to a file)"},
		{"follow without save", []string{"--save-follow-symlink"}, "save"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"listen", "--port", "0"}, tt.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("listen %v = %d %q, want exit 2 with %q", tt.args, r.code, r.stderr, tt.want)
			}
		})
	}
	if data, _ := os.ReadFile(profile); string(data) != "echo hi\n" {
		t.Errorf("the linked file changed: %q", data)
	}
}
