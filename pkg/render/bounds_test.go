package render

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestListenVerboseBoundsDeepBodies: `listen -v` indents bodies with
// tidwall/pretty, whose output repeats the indent once per level per
// line. Forged bodies of short values nested deep must not cost more than
// a small multiple of their size, coloured or not.
func TestListenVerboseBoundsDeepBodies(t *testing.T) {
	values := strings.Repeat("1,", 30_000) + "1"
	bodies := map[string][]byte{
		"30,000 values 999 deep": []byte(`{"action":"x","data":` + strings.Repeat("[", 998) + values + strings.Repeat("]", 998) + `}`),
		"30,000 values 60 deep":  []byte(`{"action":"x","data":` + strings.Repeat("[", 59) + values + strings.Repeat("]", 59) + `}`),
		"10,000 deep (20 KB)":    []byte(strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000)),
		"128,000 deep (256 KB)":  []byte(strings.Repeat("[", 128_000) + strings.Repeat("]", 128_000)),
	}
	for name, body := range bodies {
		for _, tty := range []bool{false, true} {
			ev := listenEvent(body, nil)
			var out bytes.Buffer
			got := allocated(func() {
				ListenEvent(&out, newStyles(tty), ev, ListenOptions{Verbose: true, ShowPII: true})
				ListenEvent(&out, newStyles(tty), ev, ListenOptions{Verbose: true})
			})
			if limit := uint64(2 * 16 * maxIndented(min(len(body), maxShownBody))); got > limit {
				t.Errorf("%s, tty=%v: listen -v allocated %d bytes, want at most %d", name, tty, got, limit)
			}
		}
	}
}

func TestIndentedSizeBoundsPretty(t *testing.T) {
	for _, body := range []string{`{}`, `[]`, `{"a":[1,2,{"b":"c,d]"}],"e":"\"}"}`, `[[[[1,2],[3]]]]`, `{"a":{"b":{"c":[true,null,"x"]}}}`} {
		st := newStyles(false)
		if got, bound := len(st.PrettyJSON([]byte(body))), indentedSize([]byte(body), 2); got > bound {
			t.Errorf("PrettyJSON(%s) is %d bytes, indentedSize says at most %d", body, got, bound)
		}
	}
}
