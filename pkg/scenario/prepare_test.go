package scenario

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func TestDrawSeed(t *testing.T) {
	seed, err := DrawSeed(bytes.NewReader([]byte{0, 0, 0, 0, 0, 0x1e, 0x84, 0x81})) // 2_000_001
	if err != nil || seed != 1 {
		t.Errorf("DrawSeed(2000001) = %d, %v; want 1", seed, err)
	}
	if _, err := DrawSeed(bytes.NewReader([]byte{1, 2})); err == nil {
		t.Error("DrawSeed(2 bytes) gave no error")
	}
}

func TestStartAt(t *testing.T) {
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	file := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	flag := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		flag string
		file time.Time
		want time.Time
	}{
		{"", time.Time{}, now},
		{"", file, file},
		{"now", file, now},
		{"2026-01-02T03:04:05Z", file, flag},
		{"2026-01-02T03:04:05Z", time.Time{}, flag},
	}
	for _, tt := range tests {
		if got := StartAt(tt.flag, tt.file, now); !got.Equal(tt.want) {
			t.Errorf("StartAt(%q, %v) = %v, want %v", tt.flag, tt.file, got, tt.want)
		}
	}
}

// Prepare reports a plan the story cannot honour before it builds, and a
// step that cannot be built; it signs nothing unless asked.
func TestPrepare(t *testing.T) {
	sc := Builtins()[0]
	cfg := buildConfig()
	cfg.Key = nil
	built, plan, err := Prepare(sc, ChaosOptions{Duplicates: 1, Seed: 7}, cfg)
	if err != nil || len(built) != 4 || len(plan) != 5 {
		t.Fatalf("Prepare() = %d built, %d sends, %v; want 4, 5", len(built), len(plan), err)
	}
	if built[0].Delivery.Signature != "" {
		t.Errorf("Prepare signed the deliveries: %q", built[0].Delivery.Signature)
	}
	k := signature.NewKey("s3cret")
	Sign(built, k)
	for _, b := range built {
		if err := signature.Verify(b.Delivery.Body, b.Delivery.Signature, "s3cret"); err != nil {
			t.Errorf("step %s after Sign: %v", b.Step.Name, err)
		}
	}
	var pe *PlanError
	if _, _, err := Prepare(sc, ChaosOptions{Duplicates: 9}, cfg); !errors.As(err, &pe) {
		t.Errorf("Prepare(9 duplicates) error = %v, want a *PlanError", err)
	}
	bad := Scenario{Name: "bad", Steps: []Step{{Name: "a", Fixture: "no.such"}}}
	var se *StepError
	if _, _, err := Prepare(bad, ChaosOptions{}, cfg); !errors.As(err, &se) {
		t.Errorf("Prepare(unknown fixture) error = %v, want a *StepError", err)
	}
}

// With StopUnreachable, a first attempt that is refused ends the run (the
// other steps are not sent), and so does a bad URL; a refusal after an
// answer is part of the story. Without it, every step is sent.
func TestRunStopUnreachable(t *testing.T) {
	refused := &deliver.TransportError{Kind: deliver.KindRefused, Addr: "127.0.0.1:9"}
	badURL := &deliver.URLError{URL: "ftp://x", Reason: "not http"}
	ok := deliver.Response{Status: 200}
	tests := []struct {
		name    string
		answers []error // per post, in order; nil is a 200
		stop    bool
		posts   int
		want    any
	}{
		{"first refused", []error{refused, nil, nil, nil}, true, 1, new(*UnreachableError)},
		{"bad URL", []error{badURL, nil, nil, nil}, true, 1, new(*deliver.URLError)},
		{"later refusal", []error{nil, refused, nil, nil}, true, 4, nil},
		{"not asked", []error{refused, refused, refused, refused}, false, 4, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := Builtins()[0]
			built := mustBuild(t, sc)
			plan, _ := Plan(sc.Steps, ChaosOptions{})
			posts := 0
			_, err := Run(context.Background(), built, plan, RunConfig{
				Post: func(context.Context, event.Delivery) (deliver.Response, error) {
					err := tt.answers[posts]
					posts++
					if err != nil {
						return deliver.Response{}, err
					}
					return ok, nil
				},
				Clock: clock.NewVirtual(start), Speed: 1, StopUnreachable: tt.stop,
			})
			if posts != tt.posts {
				t.Errorf("posted %d times, want %d", posts, tt.posts)
			}
			switch want := tt.want.(type) {
			case nil:
				if err != nil {
					t.Errorf("Run() error = %v, want none", err)
				}
			case **UnreachableError:
				if !errors.As(err, want) || (*want).Err != refused {
					t.Errorf("Run() error = %v, want an *UnreachableError", err)
				}
			case **deliver.URLError:
				if !errors.As(err, want) {
					t.Errorf("Run() error = %v, want a *deliver.URLError", err)
				}
			}
		})
	}
}
