package cmd

import (
	"errors"
	"fmt"
)

// Exit codes, as DESIGN.md fixes them.
const (
	exitOK     = 0
	exitFailed = 1
	exitInput  = 2
)

// inputError is a usage or input mistake: a bad flag, an unreadable file, a
// bad URL. It exits 2.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// flagErrorf reports a usage mistake; the message says what to pass instead.
func flagErrorf(format string, args ...any) error {
	return &inputError{fmt.Errorf(format, args...)}
}

// inputErr marks err as an input mistake.
func inputErr(err error) error {
	if err == nil {
		return nil
	}
	return &inputError{err}
}

// checkFailed means the thing checked failed: a non-200 answer, an invalid
// signature, a failed conformance case. It exits 1.
type checkFailed struct{ err error }

func (e *checkFailed) Error() string { return e.err.Error() }
func (e *checkFailed) Unwrap() error { return e.err }

// silentError carries an exit code for a failure the command has already
// reported in its own output.
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// errSilentFailure ends a command with exit 1 without printing anything more.
var errSilentFailure = &silentError{exitFailed}

// exitCode maps an error to the process exit code. Errors that cobra raises
// itself (unknown command or flag, wrong argument count) are usage errors;
// runtime errors from a command's run are failures unless marked otherwise.
func exitCode(err error) int {
	var (
		in     *inputError
		failed *checkFailed
		silent *silentError
		run    *runError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &silent):
		return silent.code
	case errors.As(err, &in):
		return exitInput
	case errors.As(err, &failed):
		return exitFailed
	case errors.As(err, &run):
		return exitFailed
	default:
		return exitInput
	}
}

// runError wraps an unclassified error returned by a command's run, so that
// exitCode can tell it from cobra's own usage errors.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }
