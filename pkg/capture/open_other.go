//go:build !unix

package capture

// Elsewhere the path is checked with Lstat only, just before opening it.
const (
	oNoFollow = 0
	oNonblock = 0
)

func isSymlinkLoop(error) bool { return false }
