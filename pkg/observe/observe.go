// Package observe asks the user's own app how many times it processed a
// delivery. Two 200s to the same id show that the endpoint answered twice,
// not that the work ran once: only the app knows that. The user gives a
// shell command (a `SELECT COUNT(*)`, a grep of a log) that prints the count
// for the id in HOSPITABLE_HOOK_ID; check, simulate and scenario run it
// after their deliveries and judge the number.
package observe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Environment variables the command is run with.
const (
	EnvID     = "HOSPITABLE_HOOK_ID"
	EnvAction = "HOSPITABLE_HOOK_ACTION"
	EnvCase   = "HOSPITABLE_HOOK_CASE"
)

// DefaultTimeout bounds one run of the command.
const DefaultTimeout = 10 * time.Second

// Delivery names what the command is asked about.
type Delivery struct {
	// ID is the envelope id.
	ID string
	// Action is the envelope action.
	Action string
	// Case is the check case or scenario step that sent it ("" when none).
	Case string
}

// Counter reports how many times the app processed a delivery.
type Counter interface {
	Count(ctx context.Context, d Delivery) (int, error)
}

// Command runs a shell command as a Counter.
type Command struct {
	// Line is the command, run with `sh -c`.
	Line string
	// Env is the environment it starts from; nil means this process's,
	// as for exec.Cmd. The delivery's variables are added to it.
	Env []string
	// Timeout bounds one run; 0 means DefaultTimeout.
	Timeout time.Duration
}

// Error says why the command gave no count.
type Error struct {
	// Line is the command.
	Line string
	// Output is what it printed (trimmed, at most 200 bytes).
	Output string
	// Err is the cause.
	Err error
}

// Error names the command, the cause and what to do.
func (e *Error) Error() string {
	out := ""
	if e.Output != "" {
		out = fmt.Sprintf(" (it printed %q)", e.Output)
	}
	return fmt.Sprintf("observer `%s`: %v%s; it must print one integer, how many times the app processed $%s", e.Line, e.Err, out, EnvID)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrNotANumber is the cause when the command printed something else than
// one non-negative integer.
var ErrNotANumber = errors.New("did not print a count")

// Count runs the command for d and parses the integer it prints (the last
// non-empty line of its output, so a chatty script still works).
func (c Command) Count(ctx context.Context, d Delivery) (int, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", c.Line)
	env := c.Env
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = append(append([]string{}, env...), EnvID+"="+d.ID, EnvAction+"="+d.Action, EnvCase+"="+d.Case)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		return 0, &Error{Line: c.Line, Err: fmt.Errorf("did not finish within %s", timeout)}
	}
	if err != nil {
		return 0, &Error{Line: c.Line, Output: clip(errOut.String()), Err: err}
	}
	return Parse(c.Line, out.String())
}

// Parse reads the count from a command's output: the last non-empty line,
// one non-negative integer.
func Parse(line, output string) (int, error) {
	lines := strings.Split(strings.TrimSpace(output), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	n, err := strconv.Atoi(last)
	if err != nil || n < 0 {
		return 0, &Error{Line: line, Output: clip(output), Err: ErrNotANumber}
	}
	return n, nil
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// Verdict judges a count after n deliveries of one id: the work must have
// run exactly once. It returns "" when it did.
func Verdict(count, deliveries int) string {
	switch {
	case count == 1:
		return ""
	case count == 0:
		return fmt.Sprintf("the app reports 0 runs after %d deliveries answered: the work did not run (or runs later, or the observer counts the wrong thing)", deliveries)
	default:
		return fmt.Sprintf("the app processed this id %d times after %d deliveries: every retry repeats the work (a second booking, a second message)", count, deliveries)
	}
}
