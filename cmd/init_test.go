package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/starter"
)

func TestInitFlags(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantErr   string
		framework string
		dir       string
	}{
		{name: "framework only", args: []string{"express"}, framework: "express", dir: starter.DefaultDir},
		{name: "framework and dir", args: []string{"flask", "hooks"}, framework: "flask", dir: "hooks"},
		{name: "list", args: []string{"--list"}},
		{name: "nothing", args: nil, wantErr: "missing framework"},
		{name: "list with a framework", args: []string{"--list", "go"}, wantErr: "`--list` takes no framework"},
		{name: "json without list", args: []string{"go", "--json"}, wantErr: "`--json` goes with `--list`"},
		{name: "empty dir", args: []string{"go", " "}, wantErr: "empty directory"},
		{name: "too many", args: []string{"go", "a", "b"}, wantErr: "got 3 arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _, _, _ := testDeps(t, nil)
			var got *initOptions
			c := newInitCmd(d, func(o *initOptions) error { got = o; return nil })
			c.SetArgs(tt.args)
			c.SetOut(d.IO.Out)
			c.SetErr(d.IO.ErrOut)
			err := c.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || exitCode(err) != exitInput {
					t.Fatalf("init %v: error %v (exit %d), want %q, exit 2", tt.args, err, exitCode(err), tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Framework != tt.framework || (tt.dir != "" && got.Dir != tt.dir) {
				t.Errorf("init %v: framework %q dir %q, want %q %q", tt.args, got.Framework, got.Dir, tt.framework, tt.dir)
			}
		})
	}
}

func TestInitList(t *testing.T) {
	r := runCLI(t, nil, "", "init", "--list")
	if r.code != 0 {
		t.Fatalf("init --list = %d: %s", r.code, r.stderr)
	}
	for _, s := range starter.All() {
		if !strings.Contains(r.stdout, s.Name) || !strings.Contains(r.stdout, s.Title) {
			t.Errorf("init --list lacks %s:\n%s", s.Name, r.stdout)
		}
	}
	r = runCLI(t, nil, "", "init", "--list", "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != len(starter.All()) || gjson.Get(lines[0], "name").String() != "go" || gjson.Get(lines[0], "test").String() == "" {
		t.Errorf("init --list --json = %s", r.stdout)
	}
}

func TestInitWritesAndNeverOverwrites(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my hooks")
	r := runCLI(t, nil, "", "init", "flask", dir)
	if r.code != 0 {
		t.Fatalf("init flask = %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"wrote the flask starter", "app.py", "Procfile", "cd '" + dir + "'",
		"pip install -r requirements.txt", "hospitable-hook check http://127.0.0.1:3000/webhooks/hospitable"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("init output lacks %q:\n%s", want, r.stdout)
		}
	}
	app := filepath.Join(dir, "app.py")
	if err := os.WriteFile(app, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, nil, "", "init", "flask", dir)
	if r.code != exitInput || !strings.Contains(r.stderr, "--force") {
		t.Errorf("init over existing files = %d, stderr %q; want 2 and a hint about --force", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(app); string(b) != "mine" {
		t.Errorf("app.py was overwritten without --force")
	}
	r = runCLI(t, nil, "", "init", "flask", dir, "--force")
	if r.code != 0 || !strings.Contains(r.stdout, "(overwritten)") {
		t.Errorf("init --force = %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(app); string(b) == "mine" {
		t.Errorf("--force left app.py as it was")
	}
}

func TestInitUnknownFramework(t *testing.T) {
	r := runCLI(t, nil, "", "init", "rails", t.TempDir())
	if r.code != exitInput || !strings.Contains(r.stderr, `no starter for "rails"`) || !strings.Contains(r.stderr, "sinatra") {
		t.Errorf("init rails = %d: %s", r.code, r.stderr)
	}
}

func TestInitSanitisesTheDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x\x1b[31mred")
	r := runCLI(t, nil, "", "init", "go", dir)
	if r.code != 0 {
		t.Fatalf("init go = %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "\x1b") {
		t.Errorf("init printed a raw escape from the directory name:\n%q", r.stdout)
	}
}
