package scenario

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// Built is one step made into a signed delivery.
type Built struct {
	// Step is the step it was built from.
	Step Step
	// Index is the step's position in the story, from 0.
	Index int
	// Delivery is what every copy of the step posts.
	Delivery event.Delivery
	// Created is the step's virtual time.
	Created time.Time
	// Refs names the earlier steps the step refers to.
	Refs []string
}

// BuildConfig says how steps become deliveries.
type BuildConfig struct {
	// Fixtures holds the built-in and user fixtures.
	Fixtures *fixture.Set
	// Start is the virtual time of the first step (before its wait).
	Start time.Time
	// Entropy feeds the envelope ids.
	Entropy io.Reader
	// Key signs every step; nil leaves them unsigned, for the caller to
	// sign once its input is validated (Delivery.Signed).
	Key *signature.Key
	// Encoding and Version shape every envelope, as send's flags do.
	Encoding event.Encoding
	Version  string
	// Getenv, when set, lets ${env.NAME} read the environment; nil refuses.
	Getenv func(string) string
}

// StepError says which step could not be built, and where it is written.
type StepError struct {
	// Scenario is the scenario's source: "built-in" or its file.
	Scenario string
	// Index is the step's position, from 0.
	Index int
	// Name is the step's name.
	Name string
	// Line is where the step starts in its file, 0 when unknown.
	Line int
	// Err is what went wrong.
	Err error
}

// Error names the step (and its file and line) and what went wrong.
func (e *StepError) Error() string {
	where := fmt.Sprintf("step %d %q", e.Index+1, e.Name)
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d: %s", e.Scenario, e.Line, where)
	}
	return safe(fmt.Sprintf("%s: %v", where, e.Err))
}

// Unwrap returns Err.
func (e *StepError) Unwrap() error { return e.Err }

// Build makes every step of sc into a signed delivery, in story order, each
// with a fresh id and a `created` that advances by the steps' waits. A
// step's references resolve against what earlier steps sent. Nothing is
// posted; any error names the step.
func Build(sc Scenario, cfg BuildConfig) ([]Built, error) {
	at := cfg.Start
	b := event.NewBuilder(func() time.Time { return at }, cfg.Entropy)
	bodies := make(map[string][]byte, len(sc.Steps))
	out := make([]Built, 0, len(sc.Steps))
	for i, st := range sc.Steps {
		at = at.Add(st.Wait)
		fail := func(err error) ([]Built, error) {
			return nil, &StepError{Scenario: sc.Source, Index: i, Name: st.Name, Line: st.Line, Err: err}
		}
		spec, err := event.FromFixture(cfg.Fixtures, st.FixtureName())
		if err != nil {
			return fail(err)
		}
		if st.Action != "" {
			spec.Action = st.Action
		}
		if st.Triggers != nil {
			spec.Triggers = st.Triggers
		}
		spec.Encoding, spec.Version = cfg.Encoding, cfg.Version
		scope := refScope{bodies: bodies, created: at.UTC().Format(event.CreatedLayout), getenv: cfg.Getenv}
		for _, set := range st.Set {
			o, err := setOverride(set, scope)
			if err != nil {
				return fail(err)
			}
			spec.Overrides = append(spec.Overrides, o)
		}
		for _, path := range st.Unset {
			o, err := event.ParseUnset(path)
			if err != nil {
				return fail(fmt.Errorf("unset %s: %w", path, err))
			}
			spec.Overrides = append(spec.Overrides, o)
		}
		d, err := b.Build(spec)
		if err != nil {
			var pe *event.PathError
			if errors.As(err, &pe) {
				return fail(fmt.Errorf("set or unset %s: %w", pe.Path, err))
			}
			return fail(err)
		}
		bodies[st.Name] = d.Body
		out = append(out, Built{Step: st, Index: i, Delivery: signed(d, cfg.Key), Created: at, Refs: stepRefs(st)})
	}
	return out, nil
}

// setOverride reads one `path=value` of a step, its references resolved.
func setOverride(set string, scope refScope) (event.Override, error) {
	path, value, ok := strings.Cut(set, "=")
	if !ok {
		return event.Override{}, fmt.Errorf("set %q: write path=value, like data.guests.total=4", set)
	}
	resolved, err := scope.resolve(value)
	if err != nil {
		return event.Override{}, fmt.Errorf("set %s: %w", path, err)
	}
	o, err := event.ParseSet(path + "=" + resolved)
	if err != nil {
		return event.Override{}, fmt.Errorf("set %s: %w", path, err)
	}
	return o, nil
}

// signed is d signed with k, or d as it is when k is nil.
func signed(d event.Delivery, k *signature.Key) event.Delivery {
	if k == nil {
		return d
	}
	return d.Signed(k)
}
