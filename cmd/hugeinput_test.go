package cmd

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// /dev/zero or a 2 GB sparse file given where a body or a capture is
// read once grew the process past 1.5 GB. Bodies are capped at 5 MiB,
// refused with exit 2 and what to do, and a capture stream that holds no
// record is given up on.
func TestHugeInputsAreRefused(t *testing.T) {
	sparse := filepath.Join(t.TempDir(), "sparse.json")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	sig := strings.Repeat("ab", 32)
	const tooLarge = ": larger than 5 MiB, the most read; a webhook body is a few KB"
	tests := []struct {
		name     string
		args     func(file string) []string
		want     string
		maxAlloc uint64
	}{
		{"verify --signature", func(f string) []string { return []string{"verify", "--file", f, "--signature", sig} }, tooLarge, 32 << 20},
		{"sign", func(f string) []string { return []string{"sign", "--file", f} }, tooLarge, 32 << 20},
		{"send --body", func(f string) []string { return []string{"send", "--body", f, "--to", "http://127.0.0.1:9/"} }, tooLarge, 32 << 20},
		{"send --data", func(f string) []string {
			return []string{"send", "reservation.created", "--data", f, "--to", "http://127.0.0.1:9/"}
		}, tooLarge, 32 << 20},
		{"verify a capture", func(f string) []string { return []string{"verify", "--file", f} }, "missing `--signature`", 32 << 20},
		// A capture is streamed: the reader gives up after 80 MiB with no
		// record, holding at most one 40 MiB line meanwhile.
		{"replay", func(f string) []string { return []string{"replay", f, "--to", "http://127.0.0.1:9/"} }, "no capture record found", 256 << 20},
	}
	for _, tt := range tests {
		for _, file := range []string{"/dev/zero", sparse} {
			t.Run(tt.name+" "+filepath.Base(file), func(t *testing.T) {
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				before := m.TotalAlloc
				r := runCLI(t, nil, "", tt.args(file)...)
				runtime.ReadMemStats(&m)
				if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
					t.Errorf("%v = %d %q, want exit 2 with %q", tt.args(file), r.code, r.stderr, tt.want)
				}
				if alloc := m.TotalAlloc - before; alloc > tt.maxAlloc {
					t.Errorf("%v allocated %d MB, want at most %d MB", tt.args(file), alloc>>20, tt.maxAlloc>>20)
				}
			})
		}
	}
}
