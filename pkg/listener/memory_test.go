package listener

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
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

// The remembered ids must not keep their bodies alive: 48 verified
// deliveries of 512 KiB once left 24 MB (each id shared the memory of a
// copy of its body) that no collection could free.
func TestRememberedIDsDoNotPinBodies(t *testing.T) {
	const n, size = 48, 512 << 10
	h := New(Config{Secret: secret, Quiet: true, Clock: clock.NewVirtual(t0)})
	if grew := heapGrowthServing(t, h, n, size, validSignature); grew > 8<<20 {
		t.Errorf("heap grew %d MB after %d deliveries of 512 KiB and a GC, want under 8 MB: remembered ids pin their bodies", grew>>20, n)
	}
	if got := h.seen.attempt("01KB2Y5X0Q3W7F8G9H0J1K0007"); got != 2 {
		t.Errorf("attempt of a remembered id = %d, want 2", got)
	}
	runtime.KeepAlive(h)
}

// forged signs nothing: its Signature is for another secret.
func forged(body []byte) string { return signature.Sign(body, "not-the-secret") }

// How heapGrowthServing signs: with the listener's secret, or forged.
const (
	validSignature  = false
	forgedSignature = true
)

// heapGrowthServing serves n deliveries of about size bytes, each with its
// own id, signed with the secret (or, if forge, another one), fails
// unless each is answered 200 (401 if forged), and returns how much the
// live heap grew.
func heapGrowthServing(t *testing.T, h *Handler, n, size int, forge bool) int64 {
	t.Helper()
	sign, want, what := func(b []byte) string { return signature.Sign(b, secret) }, http.StatusOK, "delivery"
	if forge {
		sign, want, what = forged, http.StatusUnauthorized, "forged delivery"
	}
	before := heapAfterGC()
	for i := range n {
		body := bigDelivery(fmt.Sprintf("01KB2Y5X0Q3W7F8G9H0J1K%04d", i), size)
		if code := serveOnce(h, body, sign(body)); code != want {
			t.Fatalf("%s %d answered %d", what, i, code)
		}
	}
	after := heapAfterGC()
	return int64(after) - int64(before)
}

// A display that never reads (listen piped into a stalled terminal) once
// held 1,024 events, each with a forged 5 MB body and a copy of it: four
// senders drove the listener to 4.2 GB. Queued events now keep only what
// a row needs of a large body, and the queue is bounded by bytes. (1 MB
// bodies here, to keep the test quick under -race.)
func TestStalledDisplayHoldsBoundedMemory(t *testing.T) {
	const n, size = 24, 1 << 20
	h := New(Config{Secret: secret, Clock: clock.NewVirtual(t0)})
	if grew := heapGrowthServing(t, h, n, size, forgedSignature); grew > 8<<20 {
		t.Errorf("heap grew %d MB with %d forged 1 MB bodies waiting for a stalled display, want under 8 MB", grew>>20, n)
	}
	ev := <-h.Events()
	if ev.BodyLen() != size || len(ev.Body) > shownBody || ev.Cut != size-len(ev.Body) {
		t.Errorf("queued event holds %d bytes, cut %d, BodyLen %d; want the first %d of %d", len(ev.Body), ev.Cut, ev.BodyLen(), shownBody, size)
	}
	if ev.Delivery.ID != "01KB2Y5X0Q3W7F8G9H0J1K0000" || ev.Delivery.Action != "message.created" || !ev.Delivery.JSON {
		t.Errorf("queued event lost what its row shows: %+v", ev.Delivery)
	}
	runtime.KeepAlive(h)
}

// With --json every queued body is whole, so the bytes bound alone keeps
// a stalled display's memory in check: events past it are dropped and
// counted.
func TestDisplayQueueIsBoundedByBytes(t *testing.T) {
	const n, size, budget = 16, 1 << 20, 4 << 20
	h := New(Config{Secret: secret, Clock: clock.NewVirtual(t0), WholeBodies: true, BufferBytes: budget})
	if grew := heapGrowthServing(t, h, n, size, validSignature); grew > budget+3<<20 {
		t.Errorf("heap grew %d MB with a display budget of %d MB, want at most %d MB", grew>>20, budget>>20, (budget+3<<20)>>20)
	}
	queued := len(h.Events())
	if s := h.Stats(); queued == 0 || queued >= n || s.Dropped != int64(n-queued) {
		t.Errorf("%d events queued, %d dropped, of %d: want some of each, every one accounted for", queued, s.Dropped, n)
	}
	// What the display took frees room for new events.
	for len(h.Events()) > 0 {
		if ev := <-h.Events(); ev.Cut != 0 || len(ev.Body) != size || len(ev.Delivery.Digest()) == 0 {
			t.Errorf("queued --json event: %d bytes, cut %d, digest %v; want the whole body and its digest", len(ev.Body), ev.Cut, ev.Delivery.Digest())
		}
	}
	body := bigDelivery("01KB2Y5X0Q3W7F8G9H0J1KZZZZ", size)
	serveOnce(h, body, signature.Sign(body, secret))
	if len(h.Events()) != 1 {
		t.Errorf("after the display caught up, a new event was not queued (%d dropped)", h.Stats().Dropped)
	}
	runtime.KeepAlive(h)
}

// A forged body over 256 KiB is read only for its id and action: no
// digest, no warnings about its data, no copy.
func TestLargeForgedBodyIsOnlyPeekedAt(t *testing.T) {
	h := New(Config{Secret: secret, Clock: clock.NewVirtual(t0)})
	big := []byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"reservation.created","data":[` + strings.Repeat(`{"guest":{"first_name":"x"}},`, 20000) + `{}]}`)
	serveOnce(h, big, forged(big))
	ev := <-h.Events()
	d := ev.Delivery
	if d.ID != "01KB2Y5X0Q3W7F8G9H0J1K2M3N" || d.Action != "reservation.created" || !d.JSON {
		t.Errorf("peeked delivery = %+v", d)
	}
	if len(d.Digest()) != 0 || len(d.Warnings) != 1 || d.Warnings[0].Code != WarnNotInspected {
		t.Errorf("a large forged body was inspected: digest %v, warnings %v", d.Digest(), d.Warnings)
	}
	// The same body signed is read whole.
	serveOnce(h, big, signature.Sign(big, secret))
	if d := (<-h.Events()).Delivery; len(d.Digest()) == 0 || d.DataKind != "array" {
		t.Errorf("a large verified body was not inspected: %+v", d)
	}
}

// A huge --max-body and a request that declares a gigabyte and sends ten
// bytes once made the listener reserve the gigabyte up front (with a
// larger declaration, die of it). The buffer now grows with what arrives.
func TestDeclaredLengthIsNotPreallocated(t *testing.T) {
	_, srv := newServer(t, Config{MaxBody: 1 << 40})
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.TotalAlloc
	fmt.Fprintf(conn, "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n0123456789", 1<<30)
	conn.(*net.TCPConn).CloseWrite()
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, "400") {
		t.Fatalf("answer %q, %v; want 400 (the body ended short)", status, err)
	}
	runtime.ReadMemStats(&m)
	if got := m.TotalAlloc - before; got > 64<<20 {
		t.Errorf("allocated %d MB for a request that declared 1 GB and sent 10 bytes, want under 64 MB", got>>20)
	}
}
