package scenario

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Auto, as a chaos count, lets Plan choose how many: about a third of the
// steps get a duplicate, about a quarter of the pairs are swapped, and one
// step gets a concurrent copy.
const Auto = -1

// ChaosOptions is the chaos of a whole run, on top of what steps ask for.
type ChaosOptions struct {
	// Duplicates is how many steps are delivered a second time, later; 0
	// none, Auto a third of them (at least one).
	Duplicates int
	// Reorders is how many pairs of neighbouring steps are swapped; 0 none,
	// Auto a quarter of the steps (at least one pair).
	Reorders int
	// Concurrent is how many steps are posted as two copies at once; 0
	// none, Auto one.
	Concurrent int
	// Retry retries every non-200 answer on Hospitable's schedule.
	Retry bool
	// Seed drives every random choice: the same seed, steps and options
	// give the same plan.
	Seed uint64
}

// Send is one entry of a plan: a step posted once, or as copies at once.
type Send struct {
	// Step is the index of the step in the story.
	Step int
	// Copies is how many copies go out at the same moment: 1, or 2 for a
	// concurrent send.
	Copies int
	// Duplicate marks a re-delivery of a step already sent: same id, same
	// bytes.
	Duplicate bool
	// Of is, for a duplicate, the position (from 0) of the send it repeats.
	Of int
	// Before and After name the step this one was swapped with, when
	// reordered: it now goes before (or after) that step.
	Before, After string
	// Retry says whether a non-200 answer is retried on the schedule.
	Retry bool
}

// Labels says in words what chaos the send got, for the timeline.
func (s Send) Labels() []string {
	var out []string
	if s.Before != "" {
		out = append(out, "reordered before "+s.Before)
	}
	if s.After != "" {
		out = append(out, "reordered after "+s.After)
	}
	if s.Copies > 1 {
		out = append(out, fmt.Sprintf("concurrent ×%d", s.Copies))
	}
	if s.Duplicate {
		out = append(out, fmt.Sprintf("duplicate of #%d", s.Of+1))
	}
	return out
}

// PlanError is a chaos count that the story cannot honour.
type PlanError struct{ Msg string }

// Error says what cannot be done and what to ask for instead.
func (e *PlanError) Error() string { return e.Msg }

// rng is the seeded source of every choice. PCG's output is fixed by its
// definition, and the choices below use only Uint64, so a seed gives the
// same plan on every platform and Go version.
type rng struct{ src *rand.PCG }

func newRNG(seed uint64) rng { return rng{rand.NewPCG(seed, 0x9e3779b97f4a7c15)} }

// intn returns a number in [0, n).
func (r rng) intn(n int) int { return int(r.src.Uint64() % uint64(n)) }

// pick removes and returns k random elements of list, in the order drawn.
func (r rng) pick(list []int, k int) []int {
	list = slices.Clone(list)
	var out []int
	for ; k > 0 && len(list) > 0; k-- {
		i := r.intn(len(list))
		out = append(out, list[i])
		list = slices.Delete(list, i, i+1)
	}
	return out
}

// count resolves a chaos count: Auto becomes the default for n steps, and
// an explicit count larger than possible is an error naming the flag.
func count(flag string, want, auto, possible int) (int, error) {
	switch {
	case want == Auto:
		return min(auto, possible), nil
	case want < 0:
		return 0, &PlanError{fmt.Sprintf("bad --%s=%d: give how many, or no value for the default", flag, want)}
	case want > possible:
		return 0, &PlanError{fmt.Sprintf("--%s=%d: the story allows at most %d here; ask for fewer", flag, want, possible)}
	}
	return want, nil
}

// Plan orders the deliveries of steps and applies the chaos: first the
// reordering (steps that ask for it are swapped with the step after them,
// then o.Reorders more random pairs of neighbours, never overlapping), then
// the concurrent copies, then the duplicates (each re-delivered at a random
// later position). Every choice comes from o.Seed, drawn in that order.
func Plan(steps []Step, o ChaosOptions) ([]Send, error) {
	r := newRNG(o.Seed)
	order := make([]Send, len(steps))
	for i := range order {
		order[i] = Send{Step: i, Copies: 1, Retry: o.Retry || steps[i].Has(Retry)}
	}
	if err := reorder(order, steps, o.Reorders, r); err != nil {
		return nil, err
	}
	if err := concurrent(order, steps, o.Concurrent, r); err != nil {
		return nil, err
	}
	return duplicate(order, steps, o.Duplicates, r)
}

// reorder swaps pairs (i, i+1) of order that do not overlap: those the
// steps ask for, then want more (Auto: a quarter of the steps).
func reorder(order []Send, steps []Step, want int, r rng) error {
	n := len(steps)
	taken := make([]bool, n)
	pairs, err := askedPairs(steps, taken)
	if err != nil {
		return err
	}
	k, err := count("reorder", want, max(1, n/4), room(taken, 0).max)
	if err != nil {
		return err
	}
	for ; k > 0; k-- {
		// Only pairs that leave room for the rest of the k, so a count
		// that is possible is always reached.
		i := r.pick(room(taken, k).starts, 1)[0]
		taken[i], taken[i+1] = true, true
		pairs = append(pairs, i)
	}
	for _, i := range pairs {
		order[i], order[i+1] = order[i+1], order[i]
		order[i].Before, order[i+1].After = steps[order[i+1].Step].Name, steps[order[i].Step].Name
	}
	return nil
}

// askedPairs returns the first steps of the pairs that steps asking for
// reorder make, marking both steps of each taken.
func askedPairs(steps []Step, taken []bool) ([]int, error) {
	var pairs []int
	for i, st := range steps {
		if !st.Has(Reorder) {
			continue
		}
		if i == len(steps)-1 {
			return nil, &PlanError{fmt.Sprintf("step %q asks for reorder, but it is the last: nothing follows it to swap with", st.Name)}
		}
		if taken[i] || taken[i+1] {
			return nil, &PlanError{fmt.Sprintf("step %q asks for reorder, but its neighbour is already swapped: give reorder to every other step at most", st.Name)}
		}
		taken[i], taken[i+1] = true, true
		pairs = append(pairs, i)
	}
	return pairs, nil
}

// concurrent gives two copies to the steps that ask for it, and to want
// more (Auto: one).
func concurrent(order []Send, steps []Step, want int, r rng) error {
	forced, others := asking(steps, Concurrent)
	k, err := count("concurrent", want, 1, len(others))
	if err != nil {
		return err
	}
	for _, step := range append(forced, r.pick(others, k)...) {
		order[position(order, step)].Copies = 2
	}
	return nil
}

// duplicate re-delivers the steps that ask for it, and want more (Auto: a
// third of the steps), each at a random position after its original.
func duplicate(order []Send, steps []Step, want int, r rng) ([]Send, error) {
	forced, others := asking(steps, Duplicate)
	k, err := count("duplicates", want, max(1, len(steps)/3), len(others))
	if err != nil {
		return nil, err
	}
	chosen := append(forced, r.pick(others, k)...)
	slices.Sort(chosen)
	for _, step := range chosen {
		orig := position(order, step)
		at := orig + 1 + r.intn(len(order)-orig)
		dup := order[orig]
		dup.Copies, dup.Duplicate, dup.Before, dup.After = 1, true, "", ""
		order = slices.Insert(order, at, dup)
	}
	for i := range order {
		if order[i].Duplicate {
			order[i].Of = position(order, order[i].Step)
		}
	}
	return order, nil
}

// asking splits the steps' indexes into those that ask for chaos c and
// the others.
func asking(steps []Step, c Chaos) (forced, others []int) {
	for i, st := range steps {
		if st.Has(c) {
			forced = append(forced, i)
		} else {
			others = append(others, i)
		}
	}
	return forced, others
}

// pairRoom is what room returns.
type pairRoom struct {
	// max is how many non-overlapping neighbour pairs the free steps hold.
	max int
	// starts are the first steps of the pairs that can be taken with
	// room left for k-1 more.
	starts []int
}

// room looks at the runs of free (not taken) steps: a run of L steps holds
// L/2 pairs, and taking the pair at offset j of it leaves j/2 + (L-j-2)/2.
// It runs in time linear in the number of steps.
func room(taken []bool, k int) pairRoom {
	type run struct{ start, n int }
	var runs []run
	for i := 0; i < len(taken); {
		if taken[i] {
			i++
			continue
		}
		j := i
		for j < len(taken) && !taken[j] {
			j++
		}
		runs = append(runs, run{i, j - i})
		i = j
	}
	var out pairRoom
	for _, r := range runs {
		out.max += r.n / 2
	}
	for _, r := range runs {
		for j := 0; j+1 < r.n; j++ {
			if out.max-r.n/2+j/2+(r.n-j-2)/2 >= k-1 {
				out.starts = append(out.starts, r.start+j)
			}
		}
	}
	return out
}

// position is the index in order of the (first, original) send of step.
func position(order []Send, step int) int {
	for i, s := range order {
		if s.Step == step && !s.Duplicate {
			return i
		}
	}
	return -1
}
