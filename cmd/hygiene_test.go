package cmd

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestUnknownSubcommandEveryParent: every parent command refuses an
// unknown subcommand with exit 2, "unknown command" and what it has,
// instead of printing its help and exiting 0.
func TestUnknownSubcommandEveryParent(t *testing.T) {
	d, _, _, _ := testDeps(t, nil)
	root := NewRootCmd(d)
	var parents [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if c.HasParent() && c.HasSubCommands() {
			parents = append(parents, path)
		}
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
	}
	walk(root, nil)
	if len(parents) < 2 {
		t.Fatalf("found parents %v, want at least fixtures and completion", parents)
	}
	for _, p := range parents {
		t.Run(strings.Join(p, " "), func(t *testing.T) {
			r := runCLI(t, nil, "", append(p, "frob")...)
			if r.code != 2 || !strings.Contains(r.stderr, `unknown command "frob"`) || r.stdout != "" {
				t.Errorf("%v frob: exit %d, stdout %q, stderr %q; want exit 2 and unknown command", p, r.code, r.stdout, r.stderr)
			}
		})
	}
	r := runCLI(t, nil, "", "fixtures", "lst")
	if r.code != 2 || !strings.Contains(r.stderr, "did you mean list?") {
		t.Errorf("fixtures lst: exit %d, stderr %q; want a suggestion", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "", "fixtures"); r.code != 0 || !strings.Contains(r.stdout, "Available Commands") {
		t.Errorf("fixtures alone: exit %d, want its help", r.code)
	}
}

// TestFlagGroupsInPlainWords: flags that exclude each other are refused
// in the tool's words, not cobra's.
func TestFlagGroupsInPlainWords(t *testing.T) {
	body := writeFile(t, "b.json", "{}")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"send", "review.created", "--secret", "a", "--email", "b@c.d"}, "`--secret` and `--email` cannot be used together, since both give the secret"},
		{[]string{"verify", "-f", body, "-s", docSig, "--secret", "a", "--email", "b@c.d"}, "`--secret` and `--email` cannot be used together"},
		{[]string{"send", "review.created", "--dry-run", "--print-curl"}, "`--dry-run` and `--print-curl` cannot be used together: pass only one"},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, "", tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stderr, "if any flags in the group") {
			t.Errorf("%v: exit %d, stderr %q; want 2 with %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}
