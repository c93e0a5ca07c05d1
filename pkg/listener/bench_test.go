package listener

import (
	"bytes"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// discardWriter is a ResponseWriter that keeps nothing, so the benchmark
// measures the handler and not a recorder.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// body is a request body that can be rewound without allocating.
type body struct{ bytes.Reader }

func (*body) Close() error { return nil }

// benchServe posts one signed reservation.created delivery per iteration
// to a handler configured by cfg, as net/http would hand it over (headers
// parsed, body unread), and checks the answer.
func benchServe(b *testing.B, cfg Config) {
	b.Helper()
	raw := bdelivery(b)
	cfg.Secret = secret
	h := New(cfg)
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:5000/webhooks/hospitable", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.RemoteAddr = "127.0.0.1:40000"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "wrk")
	req.Header.Set(signature.Header, signature.Sign(raw, secret))
	req.ContentLength = int64(len(raw))
	rb := &body{}
	req.Body = rb
	w := &discardWriter{header: http.Header{}}
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		rb.Reset(raw)
		clear(w.header)
		h.ServeHTTP(w, req)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

func bdelivery(b *testing.B) []byte {
	t := &testing.T{}
	d := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	if t.Failed() {
		b.Fatal("build the delivery")
	}
	return d
}

// BenchmarkServeHTTP is listen's hot path with verification and the
// display fed (the events channel fills, then drops, as under load).
func BenchmarkServeHTTP(b *testing.B) { benchServe(b, Config{}) }

// BenchmarkServeHTTPSave adds the capture file (--save): one JSON line and
// one write(2) per delivery, before the answer.
func BenchmarkServeHTTPSave(b *testing.B) {
	w, err := capture.Open(filepath.Join(b.TempDir(), "capture.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	benchServe(b, Config{Recorder: w})
}
