package cmd

// FIFOs given to the commands that read a file, with the real binary and
// real signals: a FIFO nobody writes to blocks open(2), one whose writer
// stalls blocks read(2), and either once ignored Ctrl-C.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// blockedOnFIFOOpen reports whether a thread of process pid waits in
// open(2) for the other end of a FIFO.
func blockedOnFIFOOpen(pid int) bool {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/wchan", pid))
	for _, w := range tasks {
		if b, _ := os.ReadFile(w); string(b) == "wait_for_partner" {
			return true
		}
	}
	return false
}

// until polls cond every few milliseconds for up to 15 s.
func until(cond func() bool) bool {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

func TestFIFOInputEndsOnSignal(t *testing.T) {
	if _, err := os.Stat("/proc/self/task"); err != nil {
		t.Skip("needs /proc to see a process wait on a FIFO")
	}
	bin := buildBinary(t)
	sig := strings.Repeat("ab", 32)
	commands := []struct {
		name string
		args func(fifo string) []string
	}{
		{"verify --signature", func(f string) []string { return []string{"verify", "--file", f, "--signature", sig} }},
		{"verify a capture", func(f string) []string { return []string{"verify", "--file", f} }},
		{"sign", func(f string) []string { return []string{"sign", "--file", f} }},
		{"send --body", func(f string) []string { return []string{"send", "--body", f, "--to", "http://127.0.0.1:9/"} }},
		{"send --data", func(f string) []string {
			return []string{"send", "reservation.created", "--data", f, "--to", "http://127.0.0.1:9/"}
		}},
		{"replay", func(f string) []string { return []string{"replay", f, "--to", "http://127.0.0.1:9/"} }},
	}
	modes := []fifoMode{{"no writer, SIGINT", syscall.SIGINT, false}, {"stalled writer, SIGTERM", syscall.SIGTERM, true}}
	for _, c := range commands {
		for _, mode := range modes {
			t.Run(c.name+"/"+mode.name, func(t *testing.T) {
				fifo := mkfifo(t)
				cmd, stderr, done := startOn(t, bin, c.args(fifo))
				mode.waitUntilBlocked(t, fifo, cmd.Process.Pid)
				if err := cmd.Process.Signal(mode.signal); err != nil {
					t.Fatal(err)
				}
				checkEndsInterrupted(t, mode.signal, done, stderr)
			})
		}
	}
	t.Run("listen --save", func(t *testing.T) { checkListenRefusesFIFO(t, bin) })
}

// fifoMode is how a FIFO keeps a command waiting, and the signal that must end the wait.
type fifoMode struct {
	name   string
	signal syscall.Signal
	// writer: a writer opens the FIFO and stalls (read(2) blocks); else
	// nobody opens it (open(2) blocks).
	writer bool
}

// mkfifo makes a FIFO in a fresh temporary directory and returns its path.
func mkfifo(t *testing.T) string {
	t.Helper()
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	return fifo
}

// startOn starts the binary with args, capturing its stderr; done reports
// how it exited. It is killed when the test ends.
func startOn(t *testing.T, bin string, args []string) (cmd *exec.Cmd, stderr *bytes.Buffer, done <-chan error) {
	t.Helper()
	cmd = exec.Command(bin, args...)
	cmd.Env = cleanEnv()
	stderr = &bytes.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return cmd, stderr, exited
}

// waitUntilBlocked returns once process pid waits on fifo the way m says.
func (m fifoMode) waitUntilBlocked(t *testing.T, fifo string, pid int) {
	t.Helper()
	if !m.writer {
		if !until(func() bool { return blockedOnFIFOOpen(pid) }) {
			t.Fatal("the command never waited on the FIFO")
		}
		return
	}
	// Open the writing end once the command waits for it, and write
	// nothing more than a start; it stays open until the test ends.
	var w *os.File
	if !until(func() bool {
		var err error
		w, err = os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		return err == nil
	}) {
		t.Fatal("the command never opened the FIFO")
	}
	t.Cleanup(func() { _ = w.Close() })
	_, _ = w.WriteString(`{"received_at":`)
}

// checkEndsInterrupted: within 10 s of sig the command exits 1 or 2 and
// says on stderr that it was interrupted.
func checkEndsInterrupted(t *testing.T, sig syscall.Signal, done <-chan error, stderr *bytes.Buffer) {
	t.Helper()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() < 1 || exit.ExitCode() > 2 || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("after %v: %v, stderr %q; want exit 1 or 2 saying it was interrupted", sig, err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10s after %v", sig)
	}
}

// checkListenRefusesFIFO: `listen --save` given a FIFO exits 2 at once,
// saying it is not a regular file, rather than wait for a reader.
func checkListenRefusesFIFO(t *testing.T, bin string) {
	t.Helper()
	fifo := mkfifo(t)
	cmd := exec.Command(bin, "listen", "--port", "0", "--save", fifo)
	cmd.Env = cleanEnv()
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("listen --save FIFO did not exit at once")
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "is not a regular file") {
		t.Errorf("listen --save FIFO = %v %q, want exit 2: not a regular file", err, out)
	}
}
