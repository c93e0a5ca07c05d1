// Package scenario plays linked stories of webhook deliveries: a booking is
// created, the guest writes, the dates change, the booking is cancelled.
// Each step is a full delivery built from a fixture (built-in or the
// user's) with overrides in `--set` form, references to what earlier steps
// sent (${steps.booked.data.id}), and a `created` that advances in virtual
// time. Chaos (duplicates, reordering, concurrent copies, retries) is
// planned from a seeded PRNG, so a chaotic run can be repeated exactly.
//
// A Scenario comes from Builtins or from Parse (a user's YAML or JSON
// file); Build turns it into deliveries, Plan into the order they go out
// in (Prepare does both, Sign signs once the whole story is built), and Run
// posts them and judges each answer.
package scenario

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Scenario is a story: steps that build on each other.
type Scenario struct {
	// Name is what `scenario show|run` call it by.
	Name string
	// Description says what the story is, in a line or two.
	Description string
	// Source is "built-in" or the file it was read from.
	Source string
	// Start fixes the virtual time of the first step; zero means the time
	// of the run.
	Start time.Time
	// Steps run in this order unless chaos reorders them.
	Steps []Step
}

// Step is one delivery of a story.
type Step struct {
	// Name is unique within the scenario; later steps refer to it.
	Name string
	// Fixture names the payload: a built-in action or a user fixture.
	Fixture string
	// Action, when set, is the action the delivery is sent under instead of
	// the fixture's own.
	Action string
	// Set holds `path=value` overrides, as `send --set` takes them; values
	// may hold references (see Ref). They apply in order, before Unset.
	Set []string
	// Unset holds paths to remove, as `send --unset` takes them.
	Unset []string
	// Triggers, when not nil, replaces the fixture's envelope triggers.
	Triggers []string
	// Wait is the virtual time that passes before this step.
	Wait time.Duration
	// Chaos is what happens to this step besides the run's chaos flags.
	Chaos []Chaos
	// Expect is what the endpoint must do with it.
	Expect Expect
	// Note says what the receiving app should make of the step.
	Note string
	// Line is where the step starts in its file, 0 for a built-in one.
	Line int
}

// Expect is what a step must get.
type Expect struct {
	// Status is the answer every copy of the step must get; 0 means 200,
	// the only answer Hospitable counts as delivered.
	Status int
	// Processed is how many times the app must report having processed the
	// step's delivery id, through an Observer. nil means once when there is
	// an Observer (however many copies arrived), and unchecked otherwise.
	Processed *int
}

// WantProcessed is the processed count the step must get from an Observer.
func (e Expect) WantProcessed() int {
	if e.Processed == nil {
		return 1
	}
	return *e.Processed
}

// WantStatus is the status the step must get.
func (e Expect) WantStatus() int {
	if e.Status == 0 {
		return 200
	}
	return e.Status
}

// Chaos is one thing that can happen to a delivery on its way.
type Chaos string

// The kinds of chaos a step can get.
const (
	// Duplicate re-delivers the step later: same id, same bytes.
	Duplicate Chaos = "duplicate"
	// Reorder delivers the step after the one that follows it.
	Reorder Chaos = "reorder"
	// Concurrent posts two copies of the step at the same moment.
	Concurrent Chaos = "concurrent"
	// Retry retries a non-200 answer on Hospitable's schedule.
	Retry Chaos = "retry"
)

// ChaosKinds lists every kind of chaos, in the order they are applied.
func ChaosKinds() []Chaos { return []Chaos{Reorder, Concurrent, Duplicate, Retry} }

// ParseChaos reads a chaos name.
func ParseChaos(s string) (Chaos, error) {
	c := Chaos(s)
	if !slices.Contains(ChaosKinds(), c) {
		names := make([]string, 0, 4)
		for _, k := range ChaosKinds() {
			names = append(names, string(k))
		}
		return "", fmt.Errorf("unknown chaos %q: use %s", s, strings.Join(names, ", "))
	}
	return c, nil
}

// Has reports whether the step asks for chaos c.
func (s Step) Has(c Chaos) bool { return slices.Contains(s.Chaos, c) }

// FixtureName is the fixture the step is built from.
func (s Step) FixtureName() string {
	if s.Fixture != "" {
		return s.Fixture
	}
	return s.Action
}

// Lookup returns the scenario called name among list.
func Lookup(list []Scenario, name string) (Scenario, bool) {
	for _, s := range list {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// Names returns the names of list, in order.
func Names(list []Scenario) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Name
	}
	return out
}
