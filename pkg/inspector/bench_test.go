package inspector

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
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

type rewindBody struct{ bytes.Reader }

func (*rewindBody) Close() error { return nil }

// benchQuiet is `listen --quiet`'s handler answering one signed delivery
// per iteration, with the inspector's ring fed or not.
func benchQuiet(b *testing.B, withRing bool) {
	raw := fixturetest.Envelope(b, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	cfg := listener.Config{Secret: testSecret, Quiet: true}
	if withRing {
		cfg.Tap = NewRing(DefaultKeep, 0).Add
	}
	h := listener.New(cfg)
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:5000/webhooks/hospitable", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(signature.Header, signature.Sign(raw, testSecret))
	req.ContentLength = int64(len(raw))
	rb := &rewindBody{}
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

// BenchmarkQuiet is `listen --quiet --no-ui`'s hot path.
func BenchmarkQuiet(b *testing.B) { benchQuiet(b, false) }

// BenchmarkQuietInspector is `listen --quiet` with the inspector's ring fed
// and no browser attached: the cost the inspector adds to every answer.
func BenchmarkQuietInspector(b *testing.B) { benchQuiet(b, true) }
