package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

func TestSendExportVegeta(t *testing.T) {
	srv, hits := endpoint(t, answer(200, ""))
	dir := filepath.Join(t.TempDir(), "load")
	r := runCLI(t, nil, "", "send", "--all", "--count", "30", "--shards", "2", "--export", "vegeta", dir, "--to", srv.URL+"/webhooks/hospitable")
	if r.code != 0 {
		t.Fatalf("send --export = %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	if got := hits(); len(got) != 0 {
		t.Errorf("send --export sent %d requests, want none", len(got))
	}
	if !strings.Contains(r.stdout, "wrote 30 signed deliveries") || !strings.Contains(r.stdout, "vegeta report results-*.bin") {
		t.Errorf("stdout does not say what was written and how to run it:\n%s", r.stdout)
	}
	actions := map[string]int{}
	for _, name := range []string{"targets-1.txt", "targets-2.txt"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, entry := range strings.Split(strings.TrimSpace(string(b)), "\n\n") {
			lines := strings.Split(entry, "\n")
			var sig, bodyPath string
			for _, l := range lines {
				if v, ok := strings.CutPrefix(l, "Signature: "); ok {
					sig = v
				}
				if v, ok := strings.CutPrefix(l, "@"); ok {
					bodyPath = v
				}
			}
			body, err := os.ReadFile(filepath.Join(dir, bodyPath))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if want := hmacHex(body, devSecret); sig != want {
				t.Errorf("%s: Signature %s, want %s (HMAC of the body file)", bodyPath, sig, want)
			}
			actions[gjson.GetBytes(body, "action").String()]++
		}
	}
	if len(actions) != 11 {
		t.Errorf("the export cycles through %d actions, want all 11: %v", len(actions), actions)
	}
}

func TestSendExportUsageErrors(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "old"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown format", []string{"--all", "--export", "k6", t.TempDir()}, "bad `--export` \"k6\": the formats are vegeta"},
		{"no folder", []string{"--export", "vegeta"}, "needs a folder to write into"},
		{"with --rate", []string{"--all", "--count", "5", "--rate", "5/s", "--export", "vegeta", t.TempDir()}, "`--rate` cannot apply"},
		{"shards alone", []string{"--all", "--shards", "2"}, "`--shards` splits an export"},
		{"bad shards", []string{"--all", "--shards", "0", "--export", "vegeta", t.TempDir()}, "bad `--shards` 0"},
		{"folder not empty", []string{"--all", "--export", "vegeta", full}, "is not empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"send"}, tt.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("send %v = %d, want 2 with %q\nstderr %q", tt.args, r.code, tt.want, r.stderr)
			}
		})
	}
}
