package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/input"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

// checkURL accepts only absolute http(s) URLs, with a message that says why.
func checkURL(raw string) error {
	if _, err := deliver.ParseURL(raw); err != nil {
		return flagErrorf("%w", err)
	}
	return nil
}

// maxInput caps a body file read whole (sign, verify, send --body and
// --data): listen's default --max-body. Hospitable's bodies are a few KB;
// the cap keeps /dev/zero or a huge file from filling the memory.
const maxInput = listener.DefaultMaxBody

// readInput reads the body file name ("-" for standard input), at most
// maxInput bytes; Ctrl-C ends the wait for a FIFO or a pipe.
func readInput(ctx context.Context, read func(context.Context, string, int64) ([]byte, error), name string) ([]byte, error) {
	b, err := read(ctx, name, maxInput)
	if err != nil {
		return nil, readError(name, err)
	}
	return b, nil
}

// readError says why a file named by the user could not be read.
func readError(name string, err error) error {
	switch {
	case input.IsTooLarge(err):
		return inputErr(fmt.Errorf("read %s: %w; a webhook body is a few KB, and listen accepts at most %s by default", name, err, listener.FormatBytes(maxInput)))
	case errors.Is(err, context.Canceled):
		return inputErr(fmt.Errorf("read %s: interrupted before the input ended", name))
	default:
		return inputErr(fmt.Errorf("read %s: %w", name, err))
	}
}

// readCapped reads the rest of r, the body file name, refusing more than
// maxInput bytes.
func readCapped(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err == nil && int64(len(b)) > maxInput {
		err = &input.TooLargeError{Name: name, Limit: maxInput}
	}
	if err != nil {
		return nil, readError(name, err)
	}
	return b, nil
}
