package starter

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEveryStarterIsComplete(t *testing.T) {
	checkEveryDirectoryIsListed(t)
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			files, err := s.Files()
			if err != nil {
				t.Fatal(err)
			}
			byPath, source := splitFiles(files)
			if !hasLine(byPath["Procfile"], "web: ") {
				t.Errorf("Procfile has no web: line:\n%s", byPath["Procfile"])
			}
			checkReadme(t, s, byPath["README.md"])
			checkSource(t, s.Name, source)
			checkLineEndingsAndNames(t, byPath)
		})
	}
}

// checkEveryDirectoryIsListed: Names lists every template directory, and only those.
func checkEveryDirectoryIsListed(t *testing.T) {
	t.Helper()
	dirs, err := fs.ReadDir(templates, "templates")
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for _, d := range dirs {
		onDisk = append(onDisk, d.Name())
	}
	if names := Names(); !slices.Equal(sorted(names), sorted(onDisk)) {
		t.Errorf("listed starters %v, template directories %v: every directory must be listed, and only those", names, onDisk)
	}
}

// splitFiles maps each file's path to its text, and joins the source files
// (all but the .md and .json ones).
func splitFiles(files []File) (byPath map[string]string, source string) {
	byPath = map[string]string{}
	var b strings.Builder
	for _, f := range files {
		byPath[f.Path] = string(f.Data)
		if !strings.HasSuffix(f.Path, ".md") && !strings.HasSuffix(f.Path, ".json") {
			b.Write(f.Data)
		}
	}
	return byPath, b.String()
}

// checkReadme: the README walks through init, check, listen, send, the
// environment and the starter's own test.
func checkReadme(t *testing.T, s Starter, readme string) {
	t.Helper()
	for _, want := range []string{"hospitable-hook init " + s.Name, "hospitable-hook check http://127.0.0.1:3000/webhooks/hospitable",
		"listen --forward-to", "send --all", "HOSPITABLE_WEBHOOK_SECRET", "PORT", s.Test} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md does not mention %q", want)
		}
	}
}

// checkSource: the source serves the path, reads the environment and caps
// the body at 5 MiB, written the way the stack writes it.
func checkSource(t *testing.T, name, source string) {
	t.Helper()
	for _, want := range []string{"/webhooks/hospitable", "HOSPITABLE_WEBHOOK_SECRET", "PORT", "HOSPITABLE_PROCESSED_LOG", bodyLimit(name)} {
		if !strings.Contains(source, want) {
			t.Errorf("no source file mentions %q", want)
		}
	}
}

// bodyLimit is how the starter name spells its 5 MiB body limit.
func bodyLimit(name string) string {
	switch name {
	case "go":
		return "5 << 20"
	case "express":
		return "'5mb'"
	}
	return "5 * 1024 * 1024"
}

// checkLineEndingsAndNames: no file has CR line endings or keeps its .tmpl suffix.
func checkLineEndingsAndNames(t *testing.T, byPath map[string]string) {
	t.Helper()
	for p, text := range byPath {
		if strings.Contains(text, "\r") {
			t.Errorf("%s has CR line endings", p)
		}
		if strings.HasSuffix(p, ".tmpl") {
			t.Errorf("%s kept its .tmpl suffix", p)
		}
	}
}

func hasLine(text, prefix string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			return true
		}
	}
	return false
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name    string
		want    string
		wantErr bool
	}{
		{"go", "go", false},
		{"Flask", "flask", false},
		{" php ", "php", false},
		{"rails", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Lookup(tt.name)
			var unknown *UnknownError
			if tt.wantErr {
				if !errors.As(err, &unknown) || !strings.Contains(err.Error(), "express") {
					t.Fatalf("Lookup(%q) error = %v, want an *UnknownError listing the starters", tt.name, err)
				}
				return
			}
			if err != nil || s.Name != tt.want {
				t.Errorf("Lookup(%q) = %q, %v, want %q", tt.name, s.Name, err, tt.want)
			}
		})
	}
}

func TestWriteCreatesTheDirectoryAndDropsTmpl(t *testing.T) {
	s, _ := Lookup("go")
	dir := filepath.Join(t.TempDir(), "a", "b")
	w, err := Write(s, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(w.Paths, "go.mod") || slices.Contains(w.Paths, "go.mod.tmpl") {
		t.Errorf("Write paths = %v, want go.mod (from go.mod.tmpl)", w.Paths)
	}
	if len(w.Overwritten) != 0 {
		t.Errorf("Overwritten = %v on a new directory", w.Overwritten)
	}
	for _, p := range w.Paths {
		got, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := templates.ReadFile("templates/go/" + p)
		if p == "go.mod" {
			want, _ = templates.ReadFile("templates/go/go.mod.tmpl")
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from its template", p)
		}
	}
}

func TestWriteNeverOverwritesWithoutForce(t *testing.T) {
	s, _ := Lookup("express")
	dir := t.TempDir()
	mine := filepath.Join(dir, "server.js")
	if err := os.WriteFile(mine, []byte("my own server"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Write(s, dir, false)
	var exists *ExistsError
	if !errors.As(err, &exists) || !slices.Equal(exists.Paths, []string{"server.js"}) {
		t.Fatalf("Write over server.js: error = %v, want an *ExistsError naming server.js", err)
	}
	if !strings.Contains(err.Error(), "--force") {
		t.Errorf("error %q does not say how to go on", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("Write refused but left %d entries in the directory, want only server.js", len(entries))
	}
	if b, _ := os.ReadFile(mine); string(b) != "my own server" {
		t.Errorf("server.js = %q, want it untouched", b)
	}

	w, err := Write(s, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.Overwritten, []string{"server.js"}) {
		t.Errorf("Overwritten = %v, want [server.js]", w.Overwritten)
	}
	if b, _ := os.ReadFile(mine); string(b) == "my own server" {
		t.Error("--force did not replace server.js")
	}
}

func TestWriteReplacesASymlinkInsteadOfFollowingIt(t *testing.T) {
	s, _ := Lookup("go")
	dir, elsewhere := t.TempDir(), filepath.Join(t.TempDir(), "precious")
	if err := os.WriteFile(elsewhere, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(dir, "main.go")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if _, err := Write(s, dir, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(elsewhere); string(b) != "keep" {
		t.Errorf("the symlink's target was written: %q", b)
	}
}

func TestWriteRefusesADirectoryInTheWay(t *testing.T) {
	s, _ := Lookup("go")
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "Procfile"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(s, dir, true); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Write with a directory named Procfile: error = %v, want one saying it is a directory", err)
	}
}
