//go:build !unix

package listener

// openFileLimit is the process's soft limit on open files, 0 when unknown.
func openFileLimit() int { return 0 }
