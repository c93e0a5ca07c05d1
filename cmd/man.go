package cmd

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd writes man pages for every command. It is hidden: releases run
// it (a goreleaser before-hook) so archives and the Homebrew formula ship
// pages generated from the same command tree as the binary.
func newManCmd(d *Deps) *cobra.Command {
	var dir string
	c := &cobra.Command{
		Use:    "man --dir <dir>",
		Short:  "Write man pages for every command into a directory",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return inputErr(fmt.Errorf("create %s: %w", dir, err))
			}
			header := &doc.GenManHeader{Title: "HOSPITABLE-HOOK", Section: "1", Source: "hospitable-hook " + d.Build.Version}
			if err := doc.GenManTree(c.Root(), header, dir); err != nil {
				return fmt.Errorf("write man pages to %s: %w", dir, err)
			}
			d.IO.Notef("wrote man pages to %s", dir)
			return nil
		},
	}
	c.Flags().StringVar(&dir, "dir", "manpages", "Directory to write the pages into")
	return c
}
