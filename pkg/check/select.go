package check

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// Case is one check of the suite.
type Case struct {
	// Name is stable and kebab-case, for --only and --skip.
	Name string
	// Title says what is checked and what is expected, in a phrase.
	Title string
	// alone runs the case after the others, with nothing in parallel:
	// its timing must not suffer from theirs.
	alone bool
	run   func(r *runner, ctx context.Context) Result
}

// Names returns the names of every case, in order.
func Names() []string {
	cs := Cases()
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return names
}

// UnknownCaseError reports --only or --skip names that match no case.
type UnknownCaseError struct {
	// Names are the names or patterns that matched nothing.
	Names []string
	// Valid lists every case name.
	Valid []string
}

// Error names the unknown cases, suggests the closest name for a typo and
// lists the valid ones.
func (e *UnknownCaseError) Error() string {
	var hints []string
	for _, n := range e.Names {
		if s := fixture.Suggest(n, e.Valid); s != "" {
			hints = append(hints, fmt.Sprintf("did you mean %q?", s))
		}
	}
	hint := ""
	if len(hints) > 0 {
		hint = " (" + strings.Join(hints, " ") + ")"
	}
	return fmt.Sprintf("no case named %s%s: valid cases are %s (patterns like signed-* work too)",
		strings.Join(quote(e.Names), ", "), hint, strings.Join(e.Valid, ", "))
}

// Select returns the cases named by only (all when empty) minus those named
// by skip, in suite order. Names may be shell-style patterns (signed-*). A
// name or pattern that matches no case is an *UnknownCaseError.
func Select(only, skip []string) ([]Case, error) {
	all := Cases()
	var unknown []string
	matches := func(patterns []string, name string) bool {
		for _, p := range patterns {
			if ok, _ := path.Match(p, name); ok {
				return true
			}
		}
		return false
	}
	for _, p := range append(slices.Clone(only), skip...) {
		if !slices.ContainsFunc(all, func(c Case) bool { return matches([]string{p}, c.Name) }) {
			unknown = append(unknown, p)
		}
	}
	if len(unknown) > 0 {
		return nil, &UnknownCaseError{Names: unknown, Valid: Names()}
	}
	var out []Case
	for _, c := range all {
		if (len(only) == 0 || matches(only, c.Name)) && !matches(skip, c.Name) {
			out = append(out, c)
		}
	}
	return out, nil
}
