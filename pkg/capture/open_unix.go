//go:build unix

package capture

import (
	"errors"
	"syscall"
)

// oNoFollow makes opening a symbolic link fail (ELOOP) instead of
// following it, closing the gap between checking the path and opening it.
// oNonblock makes opening a FIFO return at once instead of waiting for a
// reader; regular files ignore it.
const (
	oNoFollow = syscall.O_NOFOLLOW
	oNonblock = syscall.O_NONBLOCK
)

func isSymlinkLoop(err error) bool { return errors.Is(err, syscall.ELOOP) }
