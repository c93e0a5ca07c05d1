package cmd

import (
	"context"
	"io/fs"

	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/input"

	"crypto/rand"

	"github.com/hospitable-hook/hospitable-hook/pkg/render"
)

// Deps is the one factory of everything a command touches outside itself.
// main builds the real ones; tests build fakes (buffers, a fixed clock,
// fixed entropy) so output is byte-stable.
type Deps struct {
	// IO is the output and input streams, with the colour decision.
	IO *render.IO
	// Now tells the time.
	Now func() time.Time
	// Entropy feeds ULIDs.
	Entropy io.Reader
	// Getenv reads the environment.
	Getenv func(string) string
	// ReadFile reads a file named by the user ("-" is standard input), at
	// most limit bytes, giving up when ctx ends (input.ReadFile).
	ReadFile func(ctx context.Context, name string, limit int64) ([]byte, error)
	// Open opens a file named by the user ("-" is standard input) to be
	// read as a stream, giving up when ctx ends (input.Open).
	Open func(ctx context.Context, name string) (io.ReadCloser, error)
	// Fixtures holds the built-in payloads, one <action>.json each.
	Fixtures fs.FS
	// Build says which build this is, for `version`.
	Build BuildInfo
	// Clock waits (retry delays, scripted slow answers); tests use a
	// virtual one so nothing really sleeps.
	Clock clock.Clock
}

// SystemDeps returns the real dependencies of the process; build is what
// the release ldflags set (empty fields are filled from the build info).
func SystemDeps(build BuildInfo) *Deps {
	d := &Deps{
		IO:       render.System(os.Getenv),
		Now:      time.Now,
		Entropy:  rand.Reader,
		Getenv:   os.Getenv,
		Fixtures: fixtures.FS,
		Clock:    clock.Real(),
		Build:    build.Complete(debug.ReadBuildInfo),
	}
	d.ReadFile = func(ctx context.Context, name string, limit int64) ([]byte, error) {
		return input.ReadFile(ctx, name, d.IO.In, limit)
	}
	d.Open = func(ctx context.Context, name string) (io.ReadCloser, error) {
		return input.Open(ctx, name, d.IO.In)
	}
	return d
}
