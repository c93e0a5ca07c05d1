package inspect

import (
	"runtime"
	"strings"
	"testing"
)

// TestWalkersBoundDeepBodies: reading, digesting and masking a forged body
// nested 10,000 to 128,000 deep costs a small multiple of its size, as the
// iterative walkers promise.
func TestWalkersBoundDeepBodies(t *testing.T) {
	for _, depth := range []int{10_000, 128_000} {
		for name, body := range map[string][]byte{
			"bare":   []byte(strings.Repeat("[", depth) + strings.Repeat("]", depth)),
			"inside": []byte(`{"action":"reservation.created","data":{"guest":` + strings.Repeat(`{"email":[`, depth/10) + strings.Repeat("]}", depth/10) + `}}`),
		} {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			d := Parse(body)
			_ = d.Digest()
			_ = MaskPII(body)
			_ = Depth(body)
			_ = Valid(body)
			runtime.ReadMemStats(&after)
			if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(16*len(body)+1<<20); got > limit {
				t.Errorf("%s %d deep (%d bytes): Parse, Digest and MaskPII allocated %d bytes, want at most %d", name, depth, len(body), got, limit)
			}
		}
	}
}
