package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWritesAPagePerCommand(t *testing.T) {
	dir := t.TempDir()
	if err := write(dir); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"hospitable-hook.1", "hospitable-hook-send.1", "hospitable-hook-listen.1", "hospitable-hook-verify.1", "hospitable-hook-simulate.1"} {
		b, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil || !strings.Contains(string(b), ".TH") {
			t.Errorf("man page %s missing or not roff: %v", page, err)
		}
	}
}
