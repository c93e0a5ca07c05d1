// Package listenertest holds test support shared by the benchmarks of
// the listener and of what it feeds (the inspector): one delivery served
// per iteration the way net/http hands it over, with nothing kept.
package listenertest

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// BenchServe posts raw, signed with secret, to h once per iteration, as
// net/http would hand it over (headers parsed, body unread), and fails
// the benchmark on any answer but 200. The request and the writer are
// reused, so what is measured is h.
func BenchServe(b *testing.B, h http.Handler, raw []byte, secret string) {
	b.Helper()
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
