package cmd

import (
	"os"
	"strings"
	"testing"
)

// TestVerifyCaptureWithUnreadableLinesFails checks that a capture file
// with a corrupt line is not reported as all good.
func TestVerifyCaptureWithUnreadableLinesFails(t *testing.T) {
	path := mixedCapture(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	good := writeFile(t, "good.jsonl", lines[0]+lines[2])
	if r := runCLI(t, nil, "", "verify", "--file", good); r.code != 0 || !strings.Contains(r.stdout, "2 checked, 2 valid, 0 invalid\n") {
		t.Fatalf("verify of two valid records = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	corrupt := writeFile(t, "corrupt.jsonl", lines[0]+`{"method":"POST","body":`+"\n"+lines[2])
	r := runCLI(t, nil, "", "verify", "--file", corrupt)
	if r.code != 1 || !strings.Contains(r.stdout, "2 checked, 2 valid, 0 invalid, 1 unreadable") ||
		!strings.Contains(r.stderr, "line 2") || !strings.Contains(r.stderr, "1 line of "+corrupt+" could not be read") {
		t.Errorf("verify of a capture with a corrupt line = %d\n%s%s; want exit 1 naming the unreadable line", r.code, r.stdout, r.stderr)
	}
}
