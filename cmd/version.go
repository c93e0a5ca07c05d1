package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/render"
)

// BuildInfo says which build this is. Release builds get it from ldflags
// (-X main.version=… -X main.commit=… -X main.date=…); `go install` builds
// get it from the module's build info instead of printing "dev".
type BuildInfo struct {
	// Version is the release version, like v1.2.3.
	Version string `json:"version"`
	// Commit is the VCS revision.
	Commit string `json:"commit"`
	// Date is the build or commit time.
	Date string `json:"date"`
	// Go is the toolchain that built the binary.
	Go string `json:"go"`
	// Platform is GOOS/GOARCH.
	Platform string `json:"platform"`
}

// Complete fills what ldflags left empty from the binary's embedded build
// information: the module version for `go install …@v1.2.3`, and the VCS
// revision and time for a build from a checkout.
func (b BuildInfo) Complete(read func() (*debug.BuildInfo, bool)) BuildInfo {
	b.Go, b.Platform = runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH
	if info, ok := read(); ok {
		b = b.from(info)
	}
	b.Version = orDefault(b.Version, "dev")
	b.Commit = orDefault(b.Commit, "unknown")
	b.Date = orDefault(b.Date, "unknown")
	return b
}

// from fills the fields ldflags left empty from info; a commit read from
// a modified checkout says so, unless a release version was given.
func (b BuildInfo) from(info *debug.BuildInfo) BuildInfo {
	if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && b.Commit == "":
			b.Commit = s.Value
		case s.Key == "vcs.time" && b.Date == "":
			b.Date = s.Value
		case s.Key == "vcs.modified" && s.Value == "true" && b.Commit != "" && b.Version == "":
			b.Commit += " (modified)"
		}
	}
	return b
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

type versionOptions struct {
	IO    *render.IO
	Build BuildInfo
	JSON  bool
}

func newVersionCmd(d *Deps, runF func(*versionOptions) error) *cobra.Command {
	opts := &versionOptions{IO: d.IO, Build: d.Build}
	c := &cobra.Command{
		Use:     "version",
		Short:   "Print the version, commit, build date, Go version and platform",
		Example: "  $ hospitable-hook version\n  $ hospitable-hook version --json",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runVersion(opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "Print the facts as one JSON object")
	return c
}

func runVersion(opts *versionOptions) error {
	if opts.JSON {
		return opts.IO.JSON(opts.Build)
	}
	fmt.Fprint(opts.IO.Out, versionText(opts.Build))
	return nil
}

func versionText(b BuildInfo) string {
	return fmt.Sprintf("hospitable-hook %s\ncommit   %s\nbuilt    %s\ngo       %s\nplatform %s\n",
		b.Version, b.Commit, b.Date, b.Go, b.Platform)
}
