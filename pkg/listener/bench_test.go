package listener

import (
	"path/filepath"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener/listenertest"
)

// benchServe posts one signed reservation.created delivery per iteration
// to a handler configured by cfg and checks the answer.
func benchServe(b *testing.B, cfg Config) {
	b.Helper()
	raw := fixturetest.Envelope(b, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	cfg.Secret = secret
	listenertest.BenchServe(b, New(cfg), raw, secret)
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
