package inspector

import (
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener/listenertest"
)

// benchQuiet is `listen --quiet`'s handler answering one signed delivery
// per iteration, with the inspector's ring fed or not.
func benchQuiet(b *testing.B, withRing bool) {
	raw := fixturetest.Envelope(b, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	cfg := listener.Config{Secret: testSecret, Quiet: true}
	if withRing {
		cfg.Tap = NewRing(DefaultKeep, 0).Add
	}
	listenertest.BenchServe(b, listener.New(cfg), raw, testSecret)
}

// BenchmarkQuiet is `listen --quiet --no-ui`'s hot path.
func BenchmarkQuiet(b *testing.B) { benchQuiet(b, false) }

// BenchmarkQuietInspector is `listen --quiet` with the inspector's ring fed
// and no browser attached: the cost the inspector adds to every answer.
func BenchmarkQuietInspector(b *testing.B) { benchQuiet(b, true) }
