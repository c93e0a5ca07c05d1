// Command gen-man writes a man page for every hospitable-hook command, from
// the same command tree as the binary. Releases run it (a goreleaser
// before-hook): `go run ./cmd/gen-man manpages`.
//
// It is a separate program so that the man-page generator's Markdown and
// YAML libraries are not linked into hospitable-hook, where their package
// initialisation cost every run a few milliseconds of start-up.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra/doc"

	"github.com/hospitable-hook/hospitable-hook/cmd"
)

func main() {
	dir := "manpages"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := write(dir); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	d := cmd.SystemDeps(cmd.BuildInfo{})
	header := &doc.GenManHeader{Title: "HOSPITABLE-HOOK", Section: "1", Source: "hospitable-hook " + d.Build.Version}
	if err := doc.GenManTree(cmd.NewRootCmd(d), header, dir); err != nil {
		return fmt.Errorf("write man pages to %s: %w", dir, err)
	}
	return nil
}
