package listener

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// bigDelivery is a delivery of about size bytes whose id is id: a real
// envelope with a long message text.
func bigDelivery(id string, size int) []byte {
	head := fmt.Sprintf(`{"id":%q,"action":"message.created","created":"2026-11-28T09:35:24Z","version":"1.0","data":{"body":"`, id)
	tail := `"}}`
	return []byte(head + strings.Repeat("x", max(size-len(head)-len(tail), 0)) + tail)
}

// heapAfterGC is the live heap once garbage is collected.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// serveOnce answers one request through the handler, with no network.
func serveOnce(h *Handler, body []byte, sig string) int {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/hospitable", bytes.NewReader(body))
	if sig != "" {
		req.Header.Set(signature.Header, sig)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// The remembered ids must not keep their bodies alive: 100 verified
// deliveries of 1 MB once left 100 MB (each id shared the memory of a copy
// of its body) that no collection could free.
func TestRememberedIDsDoNotPinBodies(t *testing.T) {
	const n, size = 100, 1 << 20
	h := New(Config{Secret: secret, Quiet: true, Clock: clock.NewVirtual(t0)})
	before := heapAfterGC()
	for i := range n {
		body := bigDelivery(fmt.Sprintf("01KB2Y5X0Q3W7F8G9H0J1K%04d", i), size)
		if code := serveOnce(h, body, signature.Sign(body, secret)); code != http.StatusOK {
			t.Fatalf("delivery %d answered %d", i, code)
		}
	}
	after := heapAfterGC()
	if grew := int64(after) - int64(before); grew > 16<<20 {
		t.Errorf("heap grew %d MB after %d deliveries of 1 MB and a GC, want under 16 MB: remembered ids pin their bodies", grew>>20, n)
	}
	if got := h.seen.attempt("01KB2Y5X0Q3W7F8G9H0J1K0007"); got != 2 {
		t.Errorf("attempt of a remembered id = %d, want 2", got)
	}
	runtime.KeepAlive(h)
}
