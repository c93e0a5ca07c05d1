// Package export writes signed deliveries in the input formats of load
// tools built for more than one machine, so that a user who must load an
// endpoint harder than `send --count` can take the very same deliveries
// (fresh ids, exact bytes, their own signatures) to that tool instead of to
// a home-made one.
package export

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
)

// Formats lists the export formats, for flag validation and completion.
func Formats() []string { return []string{"vegeta"} }

// BodiesDir is the folder, inside an export, that holds one body file per
// delivery. Targets name their bodies relative to the export's folder, so
// the folder can be copied whole to other machines.
const BodiesDir = "bodies"

// VegetaOptions describe a vegeta export.
type VegetaOptions struct {
	// Dir is the folder to write; it must not exist or be empty.
	Dir string
	// URL is where every target posts.
	URL string
	// Header holds extra headers (-H), as send applies them.
	Header http.Header
	// Count is how many deliveries to write.
	Count int
	// Shards splits the targets into this many files, one per machine of
	// a distributed attack, each with its own deliveries; 0 or 1 means one
	// file, targets.txt.
	Shards int
	// Next builds the next signed delivery.
	Next func() (event.Delivery, error)
}

// Export is what an export wrote.
type Export struct {
	// Dir is the export's folder.
	Dir string
	// Targets lists the target files, relative to Dir, one per shard.
	Targets []string
	// Count is how many deliveries were written.
	Count int
	// Bytes is the size of all bodies together.
	Bytes int64
}

// WriteVegeta writes opts.Count deliveries in vegeta's HTTP target format:
// a body file per delivery under Dir/bodies, and target files whose entries
// read
//
//	POST http://127.0.0.1:5000/webhooks/hospitable
//	Content-Type: application/json
//	Signature: 5f0c…
//	User-Agent: hospitable-hook/…
//	@bodies/000001.json
//
// with a blank line between entries. Paths are relative, so vegeta runs
// from inside Dir. A folder that holds anything already is refused rather
// than mixed with an older export's bodies.
func WriteVegeta(ctx context.Context, opts VegetaOptions) (Export, error) {
	shards := max(opts.Shards, 1)
	if err := checkVegeta(opts, shards); err != nil {
		return Export{}, err
	}
	if err := prepareDir(opts.Dir); err != nil {
		return Export{}, err
	}
	ex := Export{Dir: opts.Dir, Targets: targetNames(shards)}
	tf, err := createTargets(opts.Dir, ex.Targets)
	if err != nil {
		return Export{}, err
	}
	defer tf.close()
	width := len(fmt.Sprint(opts.Count))
	for n := 1; n <= opts.Count; n++ {
		if err := ctx.Err(); err != nil {
			return ex, fmt.Errorf("export interrupted after %d of %d deliveries: %w", ex.Count, opts.Count, err)
		}
		// Round-robin over the shards, so each machine gets an equal share
		// and every id is in exactly one shard.
		size, err := writeDelivery(ctx, opts, tf.writers[(n-1)%shards], fmt.Sprintf("%0*d.json", width, n))
		if err != nil {
			return ex, err
		}
		ex.Count++
		ex.Bytes += int64(size)
	}
	return ex, tf.finish(ex.Targets)
}

// checkVegeta refuses an export that would write nothing, a shard with no
// delivery, or targets with a bad URL.
func checkVegeta(opts VegetaOptions, shards int) error {
	switch {
	case opts.Count < 1:
		return fmt.Errorf("nothing to export: give how many deliveries with --count N")
	case shards > opts.Count:
		return fmt.Errorf("%d shards for %d deliveries: each shard needs at least one delivery", shards, opts.Count)
	}
	_, err := deliver.ParseURL(opts.URL)
	return err
}

// writeDelivery builds the next delivery, writes its body to the file name
// under BodiesDir and its target entry to w, and returns the body's size.
func writeDelivery(ctx context.Context, opts VegetaOptions, w *bufio.Writer, name string) (int, error) {
	d, err := opts.Next()
	if err != nil {
		return 0, err
	}
	body := filepath.ToSlash(filepath.Join(BodiesDir, name))
	if err := os.WriteFile(filepath.Join(opts.Dir, body), d.Body, 0o644); err != nil {
		return 0, fmt.Errorf("write %s: %w", body, err)
	}
	req, err := deliver.NewRequest(ctx, opts.URL, d, opts.Header)
	if err != nil {
		return 0, err
	}
	return len(d.Body), writeVegetaTarget(w, req, body)
}

// targetFiles are the open target files of an export, each buffered.
type targetFiles struct {
	files   []*os.File
	writers []*bufio.Writer
}

// createTargets creates the target files in dir, none of which may exist.
func createTargets(dir string, names []string) (*targetFiles, error) {
	tf := &targetFiles{files: make([]*os.File, len(names)), writers: make([]*bufio.Writer, len(names))}
	for i, name := range names {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			tf.close()
			return nil, fmt.Errorf("create %s: %w", name, err)
		}
		tf.files[i], tf.writers[i] = f, bufio.NewWriter(f)
	}
	return tf, nil
}

// finish flushes and closes every file, naming the first that fails.
func (tf *targetFiles) finish(names []string) error {
	for i, w := range tf.writers {
		if err := w.Flush(); err != nil {
			return fmt.Errorf("write %s: %w", names[i], err)
		}
		if err := tf.files[i].Close(); err != nil {
			return fmt.Errorf("write %s: %w", names[i], err)
		}
		tf.files[i] = nil
	}
	return nil
}

// close closes the files finish has not, after an error.
func (tf *targetFiles) close() {
	for _, f := range tf.files {
		if f != nil {
			f.Close()
		}
	}
}

// writeVegetaTarget writes one entry of vegeta's HTTP format. Header values
// were checked for line breaks when parsed (deliver.ParseHeader), and a
// delivery's own headers never hold one, so every entry stays one block.
func writeVegetaTarget(w *bufio.Writer, req *http.Request, body string) error {
	fmt.Fprintf(w, "%s %s\n", req.Method, req.URL.String())
	header := req.Header.Clone()
	if req.Host != "" && req.Host != req.URL.Host {
		header.Set("Host", req.Host)
	}
	names := make([]string, 0, len(header))
	for name := range header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range header[name] {
			fmt.Fprintf(w, "%s: %s\n", name, v)
		}
	}
	_, err := fmt.Fprintf(w, "@%s\n\n", body)
	return err
}

// targetNames names the target files: targets.txt alone, or one per shard.
func targetNames(shards int) []string {
	if shards == 1 {
		return []string{"targets.txt"}
	}
	names := make([]string, shards)
	for i := range names {
		names[i] = fmt.Sprintf("targets-%d.txt", i+1)
	}
	return names
}

// prepareDir makes dir and its bodies folder, refusing a dir that is not
// empty (or is a file).
func prepareDir(dir string) error {
	if dir == "" {
		return errors.New("no export folder: name one, like --export vegeta ./load")
	}
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("export folder %s: %w", dir, err)
	case len(entries) > 0:
		names := make([]string, 0, 3)
		for _, e := range entries[:min(3, len(entries))] {
			names = append(names, e.Name())
		}
		return fmt.Errorf("export folder %s is not empty (it holds %s): choose a new folder or empty this one", dir, strings.Join(names, ", "))
	}
	if err := os.MkdirAll(filepath.Join(dir, BodiesDir), 0o755); err != nil {
		return fmt.Errorf("create export folder: %w", err)
	}
	return nil
}
