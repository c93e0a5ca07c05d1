package listener_test

// Hostile clients against a real socket: each test runs the http.Server
// `listen` runs (listener.NewServer, with shorter timeouts) on 127.0.0.1:0
// and talks to it the way a broken or malicious sender would, often with
// raw bytes over net.Dial, since a well-behaved client cannot send them.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

const secret = "hostile-test-secret"

// served is a running listener.
type served struct {
	addr  string
	h     *listener.Handler
	srv   *http.Server
	conns atomic.Int64 // open connections, as the server counts them
	peak  atomic.Int64
}

// serve starts the listener's server on a free loopback port; cfg's Secret
// is set to the test secret. It stops when the test ends.
func serve(t *testing.T, o listener.ServerOptions, cfg listener.Config) *served {
	t.Helper()
	cfg.Secret = secret
	s := &served{h: listener.New(cfg)}
	o.ErrorLog = log.New(io.Discard, "", 0)
	s.srv = listener.NewServer(s.h, o)
	s.srv.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			n := s.conns.Add(1)
			for p := s.peak.Load(); n > p && !s.peak.CompareAndSwap(p, n); p = s.peak.Load() {
			}
		case http.StateClosed, http.StateHijacked:
			s.conns.Add(-1)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.srv.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = s.srv.Close()
		<-done
	})
	return s
}

// delivery is a small signed delivery with its own id.
func delivery(id string) ([]byte, string) {
	body := []byte(`{"id":"` + id + `","action":"reservation.created","data":{"code":"HMZ4TQ8KXN"},"created":"2026-11-28T09:35:24Z","version":"1.0"}`)
	return body, signature.Sign(body, secret)
}

// rawRequest is a POST with a signed delivery, as bytes.
func rawRequest(id string) []byte {
	body, sig := delivery(id)
	return []byte(fmt.Sprintf("POST /webhooks/hospitable HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nSignature: %s\r\nContent-Length: %d\r\n\r\n%s", sig, len(body), body))
}

// exchange sends raw bytes on a fresh connection and reads one response.
func exchange(t *testing.T, addr string, raw []byte, halfClose bool) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write(raw); err != nil {
		t.Fatal(err)
	}
	if halfClose {
		_ = conn.(*net.TCPConn).CloseWrite()
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response to %.120q: %v", raw, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func post(t *testing.T, c *http.Client, addr, id string) int {
	t.Helper()
	body, sig := delivery(id)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/webhooks/hospitable", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(signature.Header, sig)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", id, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func newClient(t *testing.T) *http.Client {
	tr := &http.Transport{Proxy: nil}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

// TestSlowlorisDoesNotBlockOthers trickles headers on many connections,
// one byte at a time, and checks that real deliveries are answered while
// those connections hang, and that each slow one is cut when
// ReadHeaderTimeout runs out, without an answer.
func TestSlowlorisDoesNotBlockOthers(t *testing.T) {
	const slow = 50
	const headerTimeout = 2 * time.Second
	s := serve(t, listener.ServerOptions{ReadHeaderTimeout: headerTimeout}, listener.Config{})
	sl := startSlowloris(t, s.addr, slow, headerTimeout)

	c := newClient(t)
	begin := time.Now()
	for i := 0; i < 20; i++ {
		if got := post(t, c, s.addr, fmt.Sprintf("normal-%d", i)); got != http.StatusOK {
			t.Errorf("delivery %d answered %d while slow clients hung, want 200", i, got)
		}
	}
	if n := sl.cutCount.Load(); n != 0 {
		t.Fatalf("%d slow connections were cut before the normal deliveries finished (%s); the test proves nothing", n, time.Since(begin))
	}
	t.Logf("20 deliveries answered in %s while %d connections trickled headers", time.Since(begin), slow)

	sl.checkCut(t, headerTimeout)
	if got := post(t, c, s.addr, "after"); got != http.StatusOK {
		t.Errorf("a delivery after the slow clients answered %d", got)
	}
}

// cut is how the server ended one slow connection.
type cut struct {
	after time.Duration // since before the dial
	got   []byte
	err   error
}

// slowloris is n connections that trickle headers until the server cuts
// them or the test ends.
type slowloris struct {
	n        int
	cuts     chan cut
	cutCount atomic.Int64
	stop     chan struct{}
}

// startSlowloris dials n connections to addr, each trickling a header byte
// every 20ms, and returns once every one is well into its headers. Each
// waits up to headerTimeout+10s to be cut.
func startSlowloris(t *testing.T, addr string, n int, headerTimeout time.Duration) *slowloris {
	t.Helper()
	sl := &slowloris{n: n, cuts: make(chan cut, n), stop: make(chan struct{})}
	t.Cleanup(func() { close(sl.stop) })
	started := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		// Timed from before the dial: the server may accept, and start its
		// header clock, before a loaded machine runs this goroutine again.
		begin := time.Now()
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		go sl.trickle(conn, started)
		go sl.awaitCut(conn, begin, headerTimeout)
	}
	for i := 0; i < n; i++ {
		<-started // every slow connection is well into its headers
	}
	return sl
}

// trickle writes a header byte every 20ms, for ever, and says on started
// once it is six bytes in.
func (sl *slowloris) trickle(conn net.Conn, started chan<- struct{}) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	req := []byte("POST /webhooks/hospitable HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 1<<16))
	for n := 0; ; n++ {
		if _, err := conn.Write(req[n%len(req) : n%len(req)+1]); err != nil {
			return
		}
		if n == 5 {
			started <- struct{}{}
		}
		select {
		case <-sl.stop:
			return
		case <-tick.C:
		}
	}
}

// awaitCut waits for the server to give up on conn.
func (sl *slowloris) awaitCut(conn net.Conn, begin time.Time, headerTimeout time.Duration) {
	_ = conn.SetReadDeadline(time.Now().Add(headerTimeout + 10*time.Second))
	got, err := io.ReadAll(conn)
	sl.cutCount.Add(1)
	sl.cuts <- cut{time.Since(begin), got, err}
}

// checkCut waits for every slow connection to be cut and checks each was
// closed without an answer at about headerTimeout.
func (sl *slowloris) checkCut(t *testing.T, headerTimeout time.Duration) {
	t.Helper()
	for i := 0; i < sl.n; i++ {
		c := <-sl.cuts
		if c.err != nil && !errors.Is(c.err, syscall.ECONNRESET) || len(c.got) != 0 {
			t.Errorf("slow connection: read %q, %v; want the server to close it without an answer", c.got, c.err)
		}
		if c.after < headerTimeout-100*time.Millisecond || c.after > headerTimeout+5*time.Second {
			t.Errorf("slow connection cut after %s, want about ReadHeaderTimeout %s", c.after, headerTimeout)
		}
	}
}

// generator yields n bytes of a JSON-looking body without holding them.
type generator struct {
	left int64
}

func (g *generator) Read(p []byte) (int, error) {
	if g.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), g.left)
	for i := range p[:n] {
		p[i] = 'x'
	}
	g.left -= n
	return int(n), nil
}

// TestHugeBodyRefusedUnbuffered streams a 100 MB body, declared and
// chunked, and checks that 413 comes back long before the sender is done
// and that the process does not allocate anything like 100 MB for it.
func TestHugeBodyRefusedUnbuffered(t *testing.T) {
	const size = 100 << 20
	for _, chunked := range []bool{false, true} {
		name := map[bool]string{false: "content-length", true: "chunked"}[chunked]
		t.Run(name, func(t *testing.T) {
			s := serve(t, listener.ServerOptions{}, listener.Config{})
			conn, err := net.Dial("tcp", s.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(30 * time.Second))

			var r hugeRefusal
			r.before = memAfterGC()
			var written atomic.Int64
			sent := make(chan error, 1)
			go func() { sent <- streamHugeBody(conn, size, chunked, &written) }()

			start := time.Now()
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer to a 100 MB body: %v", err)
			}
			r.took, r.soFar = time.Since(start), written.Load()
			r.status = resp.StatusCode
			r.text, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			conn.Close()
			<-sent // the sender stops once the server closes

			r.after = memAfterGC()
			r.check(t, size)
			if st := s.h.Stats(); st.Rejected != 1 {
				t.Errorf("stats = %+v, want one rejected delivery", st)
			}
		})
	}
}

// memAfterGC is the memory statistics once garbage is collected.
func memAfterGC() runtime.MemStats {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m
}

// streamHugeBody writes a refused delivery's head and then size bytes of
// body, chunked or declared, counting the body bytes written, until done
// or the connection fails.
func streamHugeBody(conn net.Conn, size int64, chunked bool, written *atomic.Int64) error {
	head := "POST /webhooks/hospitable HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nSignature: " + strings.Repeat("0", 64) + "\r\n"
	if chunked {
		head += "Transfer-Encoding: chunked\r\n\r\n"
	} else {
		head += fmt.Sprintf("Content-Length: %d\r\n\r\n", size)
	}
	if _, err := io.WriteString(conn, head); err != nil {
		return err
	}
	// Chunked, each 32 KiB of body goes as "8000\r\n" + body + "\r\n".
	buf := make([]byte, 6+32<<10+2)
	copy(buf, "8000\r\n")
	copy(buf[len(buf)-2:], "\r\n")
	body := buf[6 : len(buf)-2]
	gen := &generator{left: size}
	for {
		n, rerr := gen.Read(body)
		if rerr == io.EOF {
			if chunked {
				_, rerr = io.WriteString(conn, "0\r\n\r\n")
			}
			return rerr
		}
		chunk := body[:n]
		if chunked {
			chunk = buf // size is a multiple of 32 KiB
		}
		if _, err := conn.Write(chunk); err != nil {
			return err
		}
		written.Add(int64(n))
	}
}

// hugeRefusal is how the server answered a 100 MB body: the answer, how
// long it took, how much of the body was sent by then, and the memory
// statistics before and after.
type hugeRefusal struct {
	status        int
	text          []byte
	took          time.Duration
	soFar         int64
	before, after runtime.MemStats
}

// check logs the refusal and checks it was a 413 naming the limit, early
// and without buffering the body of size bytes.
func (r hugeRefusal) check(t *testing.T, size int64) {
	t.Helper()
	t.Logf("413 after %s, %.1f MB of %d MB sent; %.1f MB allocated meanwhile, heap %+.1f MB",
		r.took, float64(r.soFar)/(1<<20), size>>20, float64(r.after.TotalAlloc-r.before.TotalAlloc)/(1<<20),
		float64(int64(r.after.HeapAlloc)-int64(r.before.HeapAlloc))/(1<<20))

	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(string(r.text), "the limit is 5 MiB") {
		t.Errorf("answer = %d %q, want 413 naming the limit", r.status, r.text)
	}
	if r.soFar > size/4 {
		t.Errorf("the answer came after %d MB of the body: the server read it all", r.soFar>>20)
	}
	if r.took > 15*time.Second {
		t.Errorf("the answer took %s", r.took)
	}
	if alloc := r.after.TotalAlloc - r.before.TotalAlloc; alloc > 40<<20 {
		t.Errorf("the process allocated %d MB while refusing the body: it was buffered", alloc>>20)
	}
	if grew := int64(r.after.HeapAlloc) - int64(r.before.HeapAlloc); grew > 20<<20 {
		t.Errorf("the heap grew by %d MB", grew>>20)
	}
}

// TestDeeplyNestedJSON posts a signed body nested 100,000 deep: it is
// refused with 400 (deeper than encoding/json reads), shown by every
// printer without a stack overflow, and the listener keeps serving.
func TestDeeplyNestedJSON(t *testing.T) {
	s := serve(t, listener.ServerOptions{}, listener.Config{})
	body := []byte(`{"id":"deep","action":"reservation.created","data":` + strings.Repeat(`{"a":[`, 50000) + strings.Repeat(`]}`, 50000) + `}`)
	sig := signature.Sign(body, secret)
	raw := fmt.Sprintf("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nSignature: %s\r\nContent-Length: %d\r\n\r\n%s", sig, len(body), body)
	resp, text := exchange(t, s.addr, []byte(raw), false)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(text, "not JSON") {
		t.Errorf("100,000 deep = %d %q, want 400", resp.StatusCode, text)
	}
	ev := <-s.h.Events()
	if len(ev.Delivery.Warnings) == 0 || ev.Delivery.Warnings[0].Code != "too_deep" {
		t.Errorf("warnings = %v, want too_deep", ev.Delivery.Warnings)
	}
	rio, _, out, _ := render.Test()
	for _, opts := range []render.ListenOptions{{}, {Verbose: true}, {Verbose: true, ShowPII: true}} {
		render.ListenEvent(rio.Out, rio.Styles(), ev, opts)
	}
	if !strings.Contains(out.String(), "nests 100001 levels deep") {
		t.Errorf("the row does not say how deep:\n%.400s", out.String())
	}
	if resp, _ := exchange(t, s.addr, rawRequest("after-deep"), false); resp.StatusCode != http.StatusOK {
		t.Errorf("a delivery after the deep one answered %d", resp.StatusCode)
	}
}

// TestMalformedRequests sends what a broken sender might, byte for byte,
// and checks each gets the status the README documents.
func TestMalformedRequests(t *testing.T) {
	s := serve(t, listener.ServerOptions{}, listener.Config{})
	goodBody, goodSig := delivery("01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	req := func(proto string, headers []string, body []byte) []byte {
		return []byte("POST /webhooks/hospitable " + proto + "\r\n" + strings.Join(headers, "\r\n") + "\r\n\r\n" + string(body))
	}
	signed := func(body []byte, extra ...string) []string {
		return append([]string{"Host: x", "Content-Type: application/json", "Signature: " + signature.Sign(body, secret), fmt.Sprintf("Content-Length: %d", len(body))}, extra...)
	}
	notUTF8 := []byte{0xff, 0xfe, 0xfd, '{'}
	jsonNotUTF8 := []byte("{\"id\":\"x\",\"action\":\"message.created\",\"data\":{\"body\":\"Jos\xe9\"}}")
	chunk := fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(goodBody), goodBody)
	tests := []struct {
		name      string
		raw       []byte
		halfClose bool
		status    int
		says      string
	}{
		{"signed body that is not UTF-8 and not JSON", req("HTTP/1.1", signed(notUTF8), notUTF8), false, 400, "not JSON"},
		{"unsigned body that is not UTF-8", req("HTTP/1.1", []string{"Host: x", "Content-Length: 4"}, notUTF8), false, 401, "no Signature header"},
		{"signed JSON with bytes that are not UTF-8 in a string", req("HTTP/1.1", signed(jsonNotUTF8), jsonNotUTF8), false, 200, "ok"},
		{"signed empty body", req("HTTP/1.1", signed(nil), nil), false, 400, "not JSON"},
		{"unsigned empty body", req("HTTP/1.1", []string{"Host: x", "Content-Length: 0"}, nil), false, 401, "no Signature header"},
		{"chunked", req("HTTP/1.1", []string{"Host: x", "Content-Type: application/json", "Signature: " + goodSig, "Transfer-Encoding: chunked"}, []byte(chunk)), false, 200, "ok"},
		{"HTTP/1.0", req("HTTP/1.0", signed(goodBody), goodBody), false, 200, "ok"},
		{"no Content-Type, signed", req("HTTP/1.1", append([]string{"Host: x"}, signed(goodBody)[2:]...), goodBody), false, 200, "ok"},
		{"two Signature headers, the first valid", req("HTTP/1.1", signed(goodBody, "Signature: "+strings.Repeat("0", 64)), goodBody), false, 401, "2 Signature headers"},
		{"two identical valid Signature headers", req("HTTP/1.1", signed(goodBody, "Signature: "+goodSig), goodBody), false, 401, "2 Signature headers"},
		{"two signatures in one header", req("HTTP/1.1", append([]string{"Host: x", "Signature: " + goodSig + ", " + goodSig}, signed(goodBody)[3:]...), goodBody), false, 401, "not 64 hex"},
		{"body shorter than its Content-Length", req("HTTP/1.1", []string{"Host: x", "Signature: " + goodSig, "Content-Length: 1000"}, goodBody), true, 400, "could not read the body"},
		{"headers over 64 KiB", req("HTTP/1.1", signed(goodBody, "X-Big: "+strings.Repeat("a", 80<<10)), goodBody), false, 431, ""},
		{"garbage request line", []byte("HELLO\r\n\r\n"), false, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, text := exchange(t, s.addr, tt.raw, tt.halfClose)
			if resp.StatusCode != tt.status || !strings.Contains(text, tt.says) {
				t.Errorf("answer = %d %q, want %d with %q", resp.StatusCode, text, tt.status, tt.says)
			}
		})
	}
	if resp, _ := exchange(t, s.addr, rawRequest("after-malformed"), false); resp.StatusCode != http.StatusOK {
		t.Errorf("a delivery after the malformed ones answered %d", resp.StatusCode)
	}
}

// raiseFileLimit makes room for n more open files, or skips the test.
func raiseFileLimit(t *testing.T, n uint64) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("cannot read the open-file limit: %v", err)
	}
	if lim.Cur >= n {
		return
	}
	old := lim
	lim.Cur = min(n, lim.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < n {
		t.Skipf("this test needs %d open files; the limit is %d (hard %d): raise it with ulimit -n", n, old.Cur, old.Max)
	}
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old) })
}

// TestThousandConnections opens 1,000 connections, holds them all, then
// sends a delivery on every one at once: all are answered 200, and once
// the clients hang up the server is back to the goroutines it started with.
func TestThousandConnections(t *testing.T) {
	const n = 1000
	raiseFileLimit(t, 2*n+256) // both ends are in this process
	// Capacity, not timeouts, is under test: on a loaded machine dialling
	// a thousand connections can outlast the 10s header deadline that
	// starts at accept, which would cut the first ones before they speak.
	s := serve(t, listener.ServerOptions{ReadHeaderTimeout: 2 * time.Minute, ReadTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}, listener.Config{})
	before := runtime.NumGoroutine()

	conns := dialAll(t, s.addr, n)
	defer func() { closeAll(conns) }()
	if !settle(func() bool { return s.conns.Load() == n }) {
		t.Fatalf("the server holds %d of %d connections", s.conns.Load(), n)
	}

	ok, errs, took := deliverOnEach(conns)
	if ok != n {
		t.Errorf("%d of %d connections answered 200; first errors: %v", ok, n, errors.Join(errs[:min(len(errs), 5)]...))
	}
	if st := s.h.Stats(); st.Received != n || st.Verified != n {
		t.Errorf("stats = %+v, want %d received and verified", st, n)
	}
	t.Logf("%d deliveries on %d held connections (server peak %d) answered in %s", ok, n, s.peak.Load(), took)

	closeAll(conns)
	conns = nil
	if !settle(func() bool { return s.conns.Load() == 0 }) {
		t.Errorf("the server still holds %d connections after the clients hung up", s.conns.Load())
	}
	if !settle(func() bool { return runtime.NumGoroutine() <= before }) {
		t.Errorf("goroutines: %d before, %d after the clients hung up: a leak", before, runtime.NumGoroutine())
	}
}

// settle reports whether cond holds within 10s, polling it.
func settle(cond func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if cond() {
			return true
		}
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond) // polling, not synchronisation
	}
	return cond()
}

// dialAll opens n connections to addr, failing the test on the first
// that cannot be opened (those already open are closed).
func dialAll(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, 0, n)
	for i := 0; i < n; i++ {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			closeAll(conns)
			t.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
	}
	return conns
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// deliverOnEach sends a signed delivery on every connection at once and
// reads each answer: it returns how many were 200, what went wrong with
// the others, and how long they all took.
func deliverOnEach(conns []net.Conn) (ok int, errs []error, took time.Duration) {
	results := make(chan error, len(conns))
	var wg sync.WaitGroup
	go_ := make(chan struct{})
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-go_
			results <- deliverOn(c, fmt.Sprintf("conn-%04d", i))
		}()
	}
	start := time.Now()
	close(go_)
	wg.Wait()
	took = time.Since(start)
	close(results)
	for err := range results {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ok++
	}
	return ok, errs, took
}

// deliverOn sends a signed delivery with id on c and reads the answer:
// nil for a 200.
func deliverOn(c net.Conn, id string) error {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.Write(rawRequest(id)); err != nil {
		return err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
