// Package starter holds the receivers that `init` writes: one small,
// correct webhook endpoint per framework, kept as plain files under
// templates/<name>/ and embedded in the binary. Files are copied byte for
// byte; a name ending in .tmpl loses that suffix when written (a go.mod
// inside this module's tree would make its directory a separate module).
package starter

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

//go:embed all:templates
var templates embed.FS

// DefaultDir is where Write puts a starter when no directory is given.
const DefaultDir = "hospitable-webhook"

// Starter describes one framework's receiver.
type Starter struct {
	// Name is what `init` takes, e.g. "express".
	Name string
	// Title names the stack, e.g. "Node.js, Express 5".
	Title string
	// Install is the stack's usual install step, run in the directory.
	Install string
	// Run starts the app by hand (the Procfile's web: line does the same).
	Run string
	// Test runs the starter's unit test of the verification.
	Test string
	// Note says what else a user of this stack should know, or "".
	Note string
}

// All returns every starter, in the order `init --list` shows them.
func All() []Starter {
	return []Starter{
		{
			Name: "go", Title: "Go, net/http, standard library only",
			Install: "go mod download", Run: "go run .", Test: "go test ./...",
		},
		{
			Name: "express", Title: "Node.js, Express 5",
			Install: "npm ci", Run: "npm start", Test: "npm test",
			Note: "it also shows the check in a Next.js route handler",
		},
		{
			Name: "fastify", Title: "Node.js, Fastify 5",
			Install: "npm ci", Run: "npm start", Test: "npm test",
		},
		{
			Name: "flask", Title: "Python, Flask (gunicorn)",
			Install: "pip install -r requirements.txt", Run: "gunicorn --workers 1 --threads 8 app:app", Test: "python3 -m unittest",
		},
		{
			Name: "fastapi", Title: "Python, FastAPI (uvicorn)",
			Install: "pip install -r requirements.txt", Run: "python3 main.py", Test: "python3 -m unittest",
		},
		{
			Name: "django", Title: "Python, Django (gunicorn)",
			Install: "pip install -r requirements.txt", Run: "gunicorn --workers 1 --threads 8 hookproject.wsgi", Test: "python3 manage.py test",
		},
		{
			Name: "php", Title: "PHP 8, no framework (built-in server)",
			Install: "", Run: "php bin/check-env.php && php -S 0.0.0.0:3000 -t public public/index.php", Test: "php tests/verify_test.php",
			Note: "`php worker.php` beside it runs the queued work; it also shows the check in a Laravel or Symfony controller",
		},
		{
			Name: "sinatra", Title: "Ruby, Sinatra (puma)",
			Install: "bundle install", Run: "puma --bind tcp://0.0.0.0:3000 config.ru", Test: "ruby test/verify_test.rb",
			Note: "it also says what changes in Rails",
		},
	}
}

// Names returns the name of every starter.
func Names() []string {
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	return names
}

// UnknownError reports a framework with no starter.
type UnknownError struct {
	// Name is what was asked for.
	Name string
}

// Error names the framework and lists the valid ones.
func (e *UnknownError) Error() string {
	return fmt.Sprintf("no starter for %q: choose one of %s (`hospitable-hook init --list` describes them)", e.Name, strings.Join(Names(), ", "))
}

// Lookup returns the starter called name (case-insensitive).
func Lookup(name string) (Starter, error) {
	for _, s := range All() {
		if strings.EqualFold(s.Name, strings.TrimSpace(name)) {
			return s, nil
		}
	}
	return Starter{}, &UnknownError{Name: name}
}

// File is one file of a starter.
type File struct {
	// Path is slash-separated, relative to the starter's directory, as
	// written (without the .tmpl suffix).
	Path string
	// Data is the content.
	Data []byte
	// Mode is the permission the file is written with.
	Mode fs.FileMode
}

// Files returns the starter's files, sorted by path.
func (s Starter) Files() ([]File, error) {
	root := path.Join("templates", s.Name)
	var out []File
	err := fs.WalkDir(templates, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := templates.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimSuffix(strings.TrimPrefix(p, root+"/"), ".tmpl")
		mode := fs.FileMode(0o644)
		if strings.HasPrefix(string(data), "#!") {
			mode = 0o755
		}
		out = append(out, File{Path: rel, Data: data, Mode: mode})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read starter %q: %w", s.Name, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// ExistsError reports files that Write would overwrite; nothing was
// written.
type ExistsError struct {
	// Dir is the target directory.
	Dir string
	// Paths are the files already there, relative to Dir.
	Paths []string
}

// Error lists the files in the way and says how to go on.
func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s already has %s: nothing was written; choose another directory, or pass `--force` to overwrite",
		e.Dir, strings.Join(e.Paths, ", "))
}

// Written says what Write did.
type Written struct {
	// Dir is the directory written to.
	Dir string
	// Paths are the files written, relative to Dir.
	Paths []string
	// Overwritten are those of Paths that existed before (only with force).
	Overwritten []string
}

// Write writes the starter's files into dir, creating it as needed. It
// never overwrites an existing file unless force is set: without it, it
// checks every path first and writes nothing when one exists (an
// *ExistsError). A path that exists as a directory is always an error.
func Write(s Starter, dir string, force bool) (Written, error) {
	files, err := s.Files()
	if err != nil {
		return Written{}, err
	}
	w := Written{Dir: dir}
	var exist []string
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		info, err := os.Lstat(target)
		switch {
		case err == nil && info.IsDir():
			return Written{}, fmt.Errorf("%s is a directory where the starter has a file: move it away and run init again", target)
		case err == nil:
			exist = append(exist, f.Path)
		case !errors.Is(err, fs.ErrNotExist):
			return Written{}, fmt.Errorf("check %s: %w", target, err)
		}
	}
	if len(exist) > 0 && !force {
		return Written{}, &ExistsError{Dir: dir, Paths: exist}
	}
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return w, fmt.Errorf("create %s: %w", filepath.Dir(target), err)
		}
		if slices.Contains(exist, f.Path) {
			// Replace, not write through: a symlink in the way is replaced,
			// never followed.
			if err := os.Remove(target); err != nil {
				return w, fmt.Errorf("overwrite %s: %w", target, err)
			}
			w.Overwritten = append(w.Overwritten, f.Path)
		}
		if err := create(target, f.Data, f.Mode); err != nil {
			return w, err
		}
		w.Paths = append(w.Paths, f.Path)
	}
	return w, nil
}

// create writes a new file; O_EXCL makes sure a file that appeared since
// the check is not overwritten.
func create(name string, data []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
