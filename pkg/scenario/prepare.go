package scenario

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/observe"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// DrawSeed draws a chaos seed from entropy, below a million so that it is
// easy to type back with --seed.
func DrawSeed(entropy io.Reader) (uint64, error) {
	var b [8]byte
	if _, err := io.ReadFull(entropy, b[:]); err != nil {
		return 0, fmt.Errorf("draw a seed: %w", err)
	}
	return binary.BigEndian.Uint64(b[:]) % 1_000_000, nil
}

// StartAt is the virtual time a run starts at: now when flag is "now", or
// when flag is "" and the file has no start; the RFC 3339 time flag (which
// the caller has checked); else the file's start.
func StartAt(flag string, file, now time.Time) time.Time {
	switch {
	case flag == "now" || (flag == "" && file.IsZero()):
		return now
	case flag != "":
		t, _ := time.Parse(time.RFC3339, flag)
		return t
	}
	return file
}

// Prepare plans the chaos of sc and builds every step, in that order.
// Its errors are the input's: a *PlanError or a *StepError. Nothing is
// signed unless cfg.Key is set (see Sign).
func Prepare(sc Scenario, chaos ChaosOptions, cfg BuildConfig) ([]Built, []Send, error) {
	plan, err := Plan(sc.Steps, chaos)
	if err != nil {
		return nil, nil, err
	}
	built, err := Build(sc, cfg)
	if err != nil {
		return nil, nil, err
	}
	return built, plan, nil
}

// Sign signs every built step with k, once the whole story has been built
// (so an input error is not preceded by a secret's notice).
func Sign(built []Built, k *signature.Key) {
	for i := range built {
		built[i].Delivery = built[i].Delivery.Signed(k)
	}
}

// CommandObserver asks the app through pkg/observe, as check and simulate
// do: line runs with `sh -c`, the delivery's id, action and step (as the
// case) in its environment, and prints the count on its last line.
func CommandObserver(line string) Observer {
	cmd := observe.Command{Line: line}
	return func(ctx context.Context, id, action, step string) (int, error) {
		return cmd.Count(ctx, observe.Delivery{ID: id, Action: action, Case: step})
	}
}
