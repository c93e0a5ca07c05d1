package signature

import (
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func nested(depth int) []byte {
	return []byte(strings.Repeat("[", depth) + strings.Repeat("]", depth))
}

// TestExplainBoundsDeepBodies feeds the forensics the forged bodies that
// made them build pretty-printed copies of quadratic size (a 10 KB body
// nested 5,000 deep cost `verify` 6.4 s and 791 MB; `listen` died out of
// memory on 20–256 KB ones). The work must stay a small multiple of the
// body, and the finding must say what was skipped.
func TestExplainBoundsDeepBodies(t *testing.T) {
	secret := SecretFromEmail("user@example.com")
	for _, depth := range []int{5_000, 10_000, 128_000} {
		body := nested(depth)
		var f Finding
		got := allocated(func() {
			f = Explain(body, Sign([]byte("other"), secret), []Candidate{{Name: "--secret", Secret: secret}})
		})
		// Each of the few byte variants copies the body once; 1 MiB
		// covers the hashing and bookkeeping.
		limit := uint64(16*len(body) + 1<<20)
		if got > limit {
			t.Errorf("Explain(%d bytes nested %d deep) allocated %d bytes, want at most %d", len(body), depth, got, limit)
		}
		if f.Valid || f.Explained {
			t.Errorf("Explain(nested %d) = %+v, want unexplained", depth, f)
		}
		if !strings.Contains(f.Sentence(), "nested deeper than 100 levels") || !strings.Contains(f.Sentence(), "skipped") {
			t.Errorf("Explain(nested %d).Sentence() = %q, want it to say the JSON forensics were skipped for the depth", depth, f.Sentence())
		}
	}
}

// TestExplainBoundsWideBodies: a body within the depth bound whose indented
// copies would still be huge (many short values 100 deep) is bounded by
// the output allowance.
func TestExplainBoundsWideBodies(t *testing.T) {
	secret := "s"
	body := []byte(strings.Repeat("[", 99) + strings.Repeat("1,", 100_000) + "1" + strings.Repeat("]", 99))
	var f Finding
	got := allocated(func() { f = Explain(body, Sign([]byte("other"), secret), []Candidate{{Name: "x", Secret: secret}}) })
	// 9 layouts, each bounded by explainLimits, with append's doubling.
	if limit := uint64(9 * 2 * explainMaxBytes(len(body))); got > limit {
		t.Errorf("Explain(%d bytes, 100k values 99 deep) allocated %d bytes, want at most %d", len(body), got, limit)
	}
	if !strings.Contains(f.Skipped, "too many bytes") {
		t.Errorf("Skipped = %q, want it to say the re-encoding grew too large", f.Skipped)
	}
}

// TestExplainBoundsLargeBodies: past MaxExplainBody only the signature's
// and the secret's variants are tried, on the body as it is.
func TestExplainBoundsLargeBodies(t *testing.T) {
	body := []byte(`{"a":"` + strings.Repeat("x", MaxExplainBody) + `"}` + "\n")
	signed := body[:len(body)-1]
	got := allocated(func() {
		f := Explain(body, strings.ToUpper(Sign(body, "k")), []Candidate{{Name: "x", Secret: "k"}})
		if !f.Explained || f.Suspects[0].Code != "signature-uppercase" {
			t.Errorf("Explain(large body, upper-case signature) = %+v, want signature-uppercase", f)
		}
		f = Explain(body, Sign(signed, "k"), []Candidate{{Name: "x", Secret: "k"}})
		if f.Explained || !strings.Contains(f.Sentence(), "larger than 1024 KiB") {
			t.Errorf("Explain(large body with a newline) = %q, want the body forensics skipped with a word", f.Sentence())
		}
	})
	if limit := uint64(1 << 20); got > limit {
		t.Errorf("Explain(%d-byte body) allocated %d bytes, want at most %d (no copies)", len(body), got, limit)
	}
}

// FuzzExplainBounds: whatever the body and signature, Explain allocates a
// bounded multiple of the body and never panics; a body it varied still
// finds a trailing newline added after signing.
func FuzzExplainBounds(f *testing.F) {
	for _, s := range []string{`{}`, `[[[[]]]]`, `{"a":[1,2,{"b":"c\/d"}]}`, strings.Repeat("[", 150) + strings.Repeat("]", 150), "\xff", `"\u00e9"`} {
		f.Add([]byte(s), "")
	}
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		if len(body) > 64<<10 {
			return
		}
		if sig == "" {
			sig = Sign(body, "k")
		}
		var fd Finding
		got := allocated(func() { fd = Explain(append(body, '\n'), sig, []Candidate{{Name: "x", Secret: "k"}}) })
		if limit := uint64(40*explainMaxBytes(len(body)+1)) + 1<<20; got > limit {
			t.Fatalf("Explain(%d bytes) allocated %d, want at most %d", len(body), got, limit)
		}
		if sig == Sign(body, "k") && !fd.Explained {
			t.Fatalf("Explain(body+newline) = %+v, want the added newline found", fd)
		}
	})
}
