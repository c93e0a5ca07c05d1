package check

import (
	"context"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// FixtureCase is the case that posts the fixture called name (a user
// fixture, or a built-in action), validly signed, and expects exactly 200:
// `check --fixture NAME` adds one per name, after the selected cases.
func FixtureCase(name string) Case {
	return Case{
		Name:  "fixture-" + strings.ReplaceAll(name, ".", "-"),
		Title: "fixture " + name + ", validly signed → exactly 200",
		run:   func(r *runner, ctx context.Context) Result { return r.signed(ctx, name) },
	}
}

// fixtureSet returns the Set the cases build from.
func (c Config) fixtureSet() *fixture.Set {
	if c.Set != nil {
		return c.Set
	}
	return fixture.New(c.Fixtures)
}
