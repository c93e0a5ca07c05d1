package scenario

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

var start = time.Date(2026, 3, 14, 18, 22, 7, 0, time.UTC)

func buildConfig() BuildConfig {
	return BuildConfig{Fixtures: fixture.New(fixtures.FS), Start: start, Entropy: bytes.NewReader(bytes.Repeat([]byte{7}, 4096)), Key: signature.NewKey("s3cret")}
}

func mustBuild(t *testing.T, sc Scenario) []Built {
	t.Helper()
	built, err := Build(sc, buildConfig())
	if err != nil {
		t.Fatalf("Build(%s): %v", sc.Name, err)
	}
	return built
}

func get(b Built, path string) gjson.Result { return gjson.GetBytes(b.Delivery.Body, path) }

// Every built-in story builds, every reference in it names an earlier step,
// ids are fresh per step, created advances by the waits, and every delivery
// verifies with the secret it was signed with.
func TestBuiltinsBuild(t *testing.T) {
	for _, sc := range Builtins() {
		t.Run(sc.Name, func(t *testing.T) {
			built := mustBuild(t, sc)
			ids := map[string]bool{}
			at := start
			for i, b := range built {
				at = at.Add(sc.Steps[i].Wait)
				if ids[b.Delivery.ID] {
					t.Errorf("step %s reuses envelope id %s", b.Step.Name, b.Delivery.ID)
				}
				ids[b.Delivery.ID] = true
				if got, want := get(b, "created").String(), at.Format(event.CreatedLayout); got != want {
					t.Errorf("step %s created = %s, want %s", b.Step.Name, got, want)
				}
				for _, ref := range b.Refs {
					j := slices.IndexFunc(built, func(o Built) bool { return o.Step.Name == ref })
					if j < 0 || j >= i {
						t.Errorf("step %s refers to %q, which is not an earlier step", b.Step.Name, ref)
					}
				}
				if err := signature.Verify(b.Delivery.Body, b.Delivery.Signature, "s3cret"); err != nil {
					t.Errorf("step %s: %v", b.Step.Name, err)
				}
			}
		})
	}
}

// The ids agree across the steps of each story, and the cancellation is a
// reservation.changed with status_changed and the cancelled category.
func TestBuiltinsAgree(t *testing.T) {
	by := func(sc string) map[string]Built {
		s, _ := Lookup(Builtins(), sc)
		out := map[string]Built{}
		for _, b := range mustBuild(t, s) {
			out[b.Step.Name] = b
		}
		return out
	}
	type same struct{ a, aPath, b, bPath string }
	tests := []struct {
		scenario string
		checks   []same
	}{
		{"booking-lifecycle", []same{
			{"booked", "data.id", "guest-writes", "data.reservation_id"},
			{"booked", "data.conversation_id", "guest-writes", "data.conversation_id"},
			{"booked", "data.id", "dates-changed", "data.id"},
			{"booked", "data.id", "cancelled", "data.id"},
			{"booked", "data.guest.email", "cancelled", "data.guest.email"},
		}},
		{"guest-journey", []same{
			{"booked", "data.id", "host-replies", "data.reservation_id"},
			{"guest-writes", "data.conversation_id", "host-replies", "data.conversation_id"},
			{"booked", "data.id", "reviewed", "data.reservation.id"},
			{"booked", "data.properties.0.id", "reviewed", "data.property.id"},
		}},
		{"property-lifecycle", []same{
			{"created", "data.id", "changed", "data.id"},
			{"created", "data.id", "merged", "data.previous_id"},
			{"merged", "data.new_id", "survivor-changed", "data.id"},
			{"merged", "data.new_id", "deleted", "data.id"},
		}},
		{"disconnection", []same{
			{"booked", "data.user.id", "disconnected", "data.user"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			steps := by(tt.scenario)
			for _, c := range tt.checks {
				a, b := get(steps[c.a], c.aPath), get(steps[c.b], c.bPath)
				if !a.Exists() || a.Raw != b.Raw {
					t.Errorf("%s %s = %s, %s %s = %s: want equal", c.a, c.aPath, a.Raw, c.b, c.bPath, b.Raw)
				}
			}
		})
	}
	steps := by("booking-lifecycle")
	c := steps["cancelled"]
	for path, want := range map[string]string{
		"action":   `"reservation.changed"`,
		"triggers": `["status_changed"]`,
		"data.reservation_status.current.category": `"cancelled"`,
		"data.status": `"cancelled"`,
		"data.reservation_status.history.1.changed_at": `"` + c.Created.Format(event.CreatedLayout) + `"`,
	} {
		if got := get(c, path).Raw; got != want {
			t.Errorf("cancelled %s = %s, want %s", path, got, want)
		}
	}
	p := by("property-lifecycle")
	if a, b := get(p["created"], "data.id").String(), get(p["merged"], "data.new_id").String(); a == b {
		t.Errorf("a merge must join two properties, but previous_id and new_id are both %s", a)
	}
}

// recorder is an endpoint that notes the order deliveries arrive in.
type recorder struct {
	mu     sync.Mutex
	bodies [][]byte
	status func(n int, body []byte) int
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.bodies = append(r.bodies, body)
	n := len(r.bodies)
	r.mu.Unlock()
	code := http.StatusOK
	if r.status != nil {
		code = r.status(n, body)
	}
	w.WriteHeader(code)
}

func runAgainst(t *testing.T, rec *recorder, sc Scenario, o ChaosOptions, observe Observer) (Report, []Built, []Send) {
	t.Helper()
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	built := mustBuild(t, sc)
	plan, err := Plan(sc.Steps, o)
	if err != nil {
		t.Fatal(err)
	}
	client := deliver.NewClient(deliver.ClientOptions{Timeout: 5 * time.Second, Now: time.Now})
	t.Cleanup(client.Close)
	rep, err := Run(context.Background(), built, plan, RunConfig{
		Post: func(ctx context.Context, d event.Delivery) (deliver.Response, error) {
			return client.Post(ctx, srv.URL, d, nil)
		},
		Clock: clock.NewVirtual(start), Schedule: deliver.DefaultSchedule(), Speed: 1, Observe: observe,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep, built, plan
}

// Linking, end to end: at the endpoint, every entity id a delivery takes
// from an earlier step arrived in that step's delivery before, unless
// reordering was asked for; with reordering, the early arrival is named.
func TestRunLinking(t *testing.T) {
	for _, sc := range Builtins() {
		for _, reorder := range []bool{false, true} {
			name := sc.Name
			if reorder {
				name += "/reorder"
			}
			t.Run(name, func(t *testing.T) {
				o := ChaosOptions{Duplicates: Auto, Seed: 3}
				if reorder {
					o.Reorders = Auto
				}
				rec := &recorder{}
				rep, built, _ := runAgainst(t, rec, sc, o, nil)
				if !rep.OK() {
					t.Fatalf("run missed expectations: %+v", rep.Results)
				}
				checkLinks(t, rec, rep, built, reorder)
				if len(rec.bodies) != len(rep.Results) {
					t.Errorf("endpoint got %d deliveries, report has %d", len(rec.bodies), len(rep.Results))
				}
			})
		}
	}
}

// checkLinks checks that every step arrived after the steps it refers to,
// unless reordered (then the result names the early arrival).
func checkLinks(t *testing.T, rec *recorder, rep Report, built []Built, reordered bool) {
	t.Helper()
	arrived := firstArrivals(t, rec, built)
	for _, res := range rep.Results {
		for _, ref := range built[res.Step].Refs {
			if arrived[ref] < arrived[res.Name] {
				continue
			}
			if !reordered {
				t.Errorf("%s arrived before %s, which it refers to, without reordering", res.Name, ref)
			}
			if !slices.Contains(res.Early, ref) || !strings.Contains(res.Expected, ref) {
				t.Errorf("%s arrived before %s but the result does not say so: Early=%v, Expected=%q", res.Name, ref, res.Early, res.Expected)
			}
		}
	}
}

// firstArrivals maps each step's name to the position of its first
// delivery at the endpoint.
func firstArrivals(t *testing.T, rec *recorder, built []Built) map[string]int {
	t.Helper()
	arrived := map[string]int{}
	for n, body := range rec.bodies {
		id := gjson.GetBytes(body, "id").String()
		i := slices.IndexFunc(built, func(b Built) bool { return b.Delivery.ID == id })
		if i < 0 {
			t.Fatalf("delivery %d has unknown id %s", n, id)
		}
		if _, ok := arrived[built[i].Step.Name]; !ok {
			arrived[built[i].Step.Name] = n
		}
	}
	return arrived
}

func countPlan(plan []Send) (dups, swaps, concurrent int) {
	for _, s := range plan {
		if s.Duplicate {
			dups++
		}
		if s.Before != "" {
			swaps++
		}
		if s.Copies > 1 {
			concurrent++
		}
	}
	return
}

func steps(n int) []Step {
	out := make([]Step, n)
	for i := range out {
		out[i] = Step{Name: string(rune('a' + i)), Fixture: "reservation.created"}
	}
	return out
}

// Chaos is counted exactly, and a seed gives the same plan every time.
func TestPlanCounts(t *testing.T) {
	tests := []struct {
		name                       string
		steps                      []Step
		o                          ChaosOptions
		dups, swaps, concur, sends int
	}{
		{"no chaos", steps(4), ChaosOptions{Seed: 7}, 0, 0, 0, 4},
		{"auto on 4", steps(4), ChaosOptions{Duplicates: Auto, Reorders: Auto, Concurrent: Auto, Seed: 7}, 1, 1, 1, 5},
		{"auto on 9", steps(9), ChaosOptions{Duplicates: Auto, Reorders: Auto, Concurrent: Auto, Seed: 7}, 3, 2, 1, 12},
		{"explicit", steps(6), ChaosOptions{Duplicates: 2, Reorders: 3, Concurrent: 2, Seed: 42}, 2, 3, 2, 8},
		{"per step", []Step{{Name: "a", Chaos: []Chaos{Reorder}}, {Name: "b"}, {Name: "c", Chaos: []Chaos{Duplicate, Concurrent}}},
			ChaosOptions{Seed: 1}, 1, 1, 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for seed := uint64(0); seed < 50; seed++ {
				o := tt.o
				o.Seed += seed
				plan, err := Plan(tt.steps, o)
				if err != nil {
					t.Fatal(err)
				}
				if d, s, c := countPlan(plan); d != tt.dups || s != tt.swaps || c != tt.concur || len(plan) != tt.sends {
					t.Fatalf("seed %d: duplicates %d, swaps %d, concurrent %d, sends %d; want %d, %d, %d, %d",
						o.Seed, d, s, c, len(plan), tt.dups, tt.swaps, tt.concur, tt.sends)
				}
				checkDuplicatesFollow(t, o.Seed, plan)
				again, _ := Plan(tt.steps, o)
				if !reflect.DeepEqual(plan, again) {
					t.Fatalf("seed %d: two plans differ:\n%+v\n%+v", o.Seed, plan, again)
				}
			}
		})
	}
}

// Different seeds choose differently.
func TestPlanSeedsDiffer(t *testing.T) {
	distinct := map[string]bool{}
	for seed := uint64(0); seed < 20; seed++ {
		plan, _ := Plan(steps(8), ChaosOptions{Duplicates: Auto, Reorders: Auto, Seed: seed})
		var b strings.Builder
		for _, s := range plan {
			b.WriteString(string(rune('a'+s.Step)) + strings.Join(s.Labels(), ","))
		}
		distinct[b.String()] = true
	}
	if len(distinct) < 5 {
		t.Errorf("20 seeds gave only %d distinct plans", len(distinct))
	}
}

// checkDuplicatesFollow checks that every duplicate in plan comes after
// its original, which is not itself a duplicate.
func checkDuplicatesFollow(t *testing.T, seed uint64, plan []Send) {
	t.Helper()
	for i, send := range plan {
		if send.Duplicate && (send.Of >= i || plan[send.Of].Step != send.Step || plan[send.Of].Duplicate) {
			t.Fatalf("seed %d: duplicate at %d of step %d does not follow its original (%d)", seed, i, send.Step, send.Of)
		}
	}
}

// The largest story a file may hold, with every count at its maximum,
// plans exactly (and in linear time per choice: this would hang otherwise).
func TestPlanLarge(t *testing.T) {
	plan, err := Plan(steps(MaxSteps), ChaosOptions{Reorders: MaxSteps / 2, Duplicates: MaxSteps, Concurrent: MaxSteps, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if d, s, c := countPlan(plan); d != MaxSteps || s != MaxSteps/2 || c != MaxSteps {
		t.Errorf("duplicates %d, swaps %d, concurrent %d", d, s, c)
	}
}

func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name  string
		steps []Step
		o     ChaosOptions
		want  string
	}{
		{"too many duplicates", steps(3), ChaosOptions{Duplicates: 4}, "--duplicates=4: the story allows at most 3"},
		{"too many swaps", steps(3), ChaosOptions{Reorders: 2}, "--reorder=2: the story allows at most 1"},
		{"last step reorders", []Step{{Name: "a"}, {Name: "b", Chaos: []Chaos{Reorder}}}, ChaosOptions{}, `step "b" asks for reorder, but it is the last`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Plan(tt.steps, tt.o)
			var pe *PlanError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Plan() error = %v, want a PlanError containing %q", err, tt.want)
			}
		})
	}
}

// Duplicates carry the same id and bytes; concurrent copies both arrive.
func TestRunChaosAtEndpoint(t *testing.T) {
	sc, _ := Lookup(Builtins(), "booking-lifecycle")
	rec := &recorder{}
	rep, built, plan := runAgainst(t, rec, sc, ChaosOptions{Duplicates: 2, Concurrent: 1, Seed: 11}, nil)
	if len(rec.bodies) != 7 || len(rep.Results) != 7 {
		t.Fatalf("got %d deliveries and %d results, want 7 (4 steps, 2 duplicates, 1 concurrent copy)", len(rec.bodies), len(rep.Results))
	}
	for _, s := range plan {
		if !s.Duplicate && s.Copies == 1 {
			continue
		}
		n := 0
		for _, body := range rec.bodies {
			if bytes.Equal(body, built[s.Step].Delivery.Body) {
				n++
			}
		}
		if n < 2 {
			t.Errorf("step %s: its exact bytes arrived %d times, want at least 2", built[s.Step].Step.Name, n)
		}
	}
}

// A failing endpoint is retried on the schedule when asked, and the step
// then meets its expectation; without --retry it misses, and the verdict
// says Hospitable would retry.
func TestRunRetry(t *testing.T) {
	sc := Scenario{Name: "one", Steps: []Step{{Name: "booked", Fixture: "reservation.created"}}}
	fail2 := func(n int, _ []byte) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	}
	rep, _, _ := runAgainst(t, &recorder{status: fail2}, sc, ChaosOptions{Retry: true}, nil)
	r := rep.Results[0]
	if !r.Met || len(r.Outcome.Attempts) != 3 || r.Verdict != "delivered on attempt 3 at T+6s" {
		t.Errorf("with retry: met %v, %d attempts, verdict %q; want met, 3, delivered on attempt 3 at T+6s", r.Met, len(r.Outcome.Attempts), r.Verdict)
	}
	if got := r.Chaos(); !slices.Contains(got, "retried ×2") {
		t.Errorf("Chaos() = %v, want it to say retried ×2", got)
	}
	rep, _, _ = runAgainst(t, &recorder{status: fail2}, sc, ChaosOptions{}, nil)
	r = rep.Results[0]
	if r.Met || rep.OK() || r.Verdict != "500 Internal Server Error, not 200: Hospitable retries in 1s" {
		t.Errorf("without retry: met %v, verdict %q", r.Met, r.Verdict)
	}
}

// The observer's count is checked: once is expected unless the step says.
func TestRunObserve(t *testing.T) {
	sc := Scenario{Name: "two", Steps: []Step{
		{Name: "a", Fixture: "reservation.created"},
		{Name: "b", Fixture: "reservation.changed", Expect: Expect{Processed: ptr(0)}},
	}}
	counts := map[string]int{}
	var mu sync.Mutex
	rec := &recorder{status: func(_ int, body []byte) int {
		mu.Lock()
		defer mu.Unlock()
		counts[gjson.GetBytes(body, "id").String()]++ // a receiver that does not dedupe
		return 200
	}}
	observe := func(_ context.Context, id, _, _ string) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return counts[id], nil
	}
	rep, _, _ := runAgainst(t, rec, sc, ChaosOptions{Duplicates: 1, Seed: 5}, observe)
	if len(rep.Observations) != 2 {
		t.Fatalf("got %d observations, want 2", len(rep.Observations))
	}
	for _, o := range rep.Observations {
		wantMet := false // a processed twice (no dedupe) or b processed at all
		if o.Name == "a" && o.Got == 1 {
			wantMet = true
		}
		if o.Met != wantMet {
			t.Errorf("observation %s: got %d want %d, Met %v; want Met %v", o.Name, o.Got, o.Want, o.Met, wantMet)
		}
	}
	if rep.OK() {
		t.Error("Report.OK() with a missed observation")
	}
}

func ptr(n int) *int { return &n }

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name string
		step Step
		want string
	}{
		{"unknown fixture", Step{Name: "x", Fixture: "reservation.create"}, `did you mean "reservation.created"`},
		{"missing path", Step{Name: "x", Fixture: "reservation.created", Set: []string{"data.nope.deeper=1"}}, `data has no key "nope"`},
		{"ref to nothing", Step{Name: "x", Fixture: "reservation.created", Set: []string{"data.id=${steps.booked.data.idd}"}}, `step "booked" sent nothing at data.idd`},
		{"env refused", Step{Name: "x", Fixture: "reservation.created", Set: []string{"data.id=${env.HOME}"}}, "--allow-env"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := Scenario{Source: "built-in", Steps: []Step{{Name: "booked", Fixture: "reservation.created"}, tt.step}}
			_, err := Build(sc, buildConfig())
			var se *StepError
			if !errors.As(err, &se) || se.Index != 1 || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Build() error = %v, want a StepError for step 2 containing %q", err, tt.want)
			}
		})
	}
}

func TestResolveRefs(t *testing.T) {
	scope := refScope{
		bodies:  map[string][]byte{"a": []byte(`{"data":{"id":"u-1","n":4,"o":{"k":[1]}}}`)},
		created: "2026-01-01T00:00:00Z",
		getenv:  func(k string) string { return "v-" + k },
	}
	tests := []struct{ in, want string }{
		{"${steps.a.data.id}", `"u-1"`},
		{"${steps.a.data.n}", `4`},
		{"${steps.a.data.o}", `{"k":[1]}`},
		{"id-${steps.a.data.id}-${steps.a.data.n}", `id-u-1-4`},
		{"${created}", `"2026-01-01T00:00:00Z"`},
		{"at ${created}", `at 2026-01-01T00:00:00Z`},
		{"${env.X}", `"v-X"`},
		{"plain", `plain`},
	}
	for _, tt := range tests {
		got, err := scope.resolve(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("resolve(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// A step delivered before the step it refers to is named as early, and
// its expectation says to keep it.
func TestRunEarlyArrival(t *testing.T) {
	sc, _ := Lookup(Builtins(), "booking-lifecycle")
	sc.Steps[0].Chaos = []Chaos{Reorder} // booked swaps with guest-writes
	rec := &recorder{}
	rep, _, _ := runAgainst(t, rec, sc, ChaosOptions{}, nil)
	first := rep.Results[0]
	if first.Name != "guest-writes" || !slices.Equal(first.Early, []string{"booked"}) ||
		!strings.Contains(first.Expected, "it refers to booked, not delivered yet: keep it") ||
		!slices.Contains(first.Chaos(), "reordered before booked") {
		t.Errorf("first result = %s, early %v, expected %q, chaos %v", first.Name, first.Early, first.Expected, first.Chaos())
	}
	if gjson.GetBytes(rec.bodies[0], "action").String() != "message.created" {
		t.Errorf("the endpoint got %s first", gjson.GetBytes(rec.bodies[0], "action"))
	}
	for _, r := range rep.Results[1:] {
		if len(r.Early) > 0 {
			t.Errorf("%s marked early: %v", r.Name, r.Early)
		}
	}
}
