//go:build unix

package input

import (
	"os"
	"syscall"
)

// release lets an open of the FIFO name that waits for a writer return, by
// opening the FIFO for writing without blocking and closing it at once.
func release(name string) {
	if info, err := os.Stat(name); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		return
	}
	if f, err := os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
}
