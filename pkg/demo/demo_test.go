package demo

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

func TestTour(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC) }
	tour, err := Start(Config{Secret: "s3cret", Fixtures: fixtures.FS, Now: now, Entropy: bytes.NewReader(bytes.Repeat([]byte{7}, 4096))})
	if err != nil {
		t.Fatal(err)
	}
	defer tour.Close()
	ctx := context.Background()

	var seen int
	send := tour.SendAll(ctx, func(Exchange) { seen++ })
	if len(send.Problems) > 0 || seen != len(fixture.Actions()) || send.Stats.Verified != int64(seen) {
		t.Errorf("SendAll: %d exchanges, problems %q, stats %+v", seen, send.Problems, send.Stats)
	}
	forged := tour.Forged(ctx)
	if len(forged.Problems) > 0 || forged.Response.Status != 401 || forged.Event.Outcome != listener.OutcomeSignature || forged.Stats.Forged != 1 {
		t.Errorf("Forged: status %d, check %q, problems %q", forged.Response.Status, forged.Event.Outcome, forged.Problems)
	}
	var statuses []int
	retry := tour.Retry(ctx, func(a deliver.Attempt, ev listener.Event) { statuses = append(statuses, ev.Status) })
	if len(retry.Problems) > 0 || retry.Outcome.Summary() != "delivered on attempt 3 at T+6s" {
		t.Errorf("Retry: %s, problems %q", retry.Outcome.Summary(), retry.Problems)
	}
	if len(statuses) != 3 || statuses[0] != 500 || statuses[1] != 500 || statuses[2] != 200 {
		t.Errorf("the listener answered %v, want 500, 500, 200", statuses)
	}
}
