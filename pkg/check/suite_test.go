package check

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener/listenertest"
)

func TestCorrectEndpointPassesEverything(t *testing.T) {
	ep := &endpoint{}
	srv := httptest.NewServer(ep)
	defer srv.Close()
	cfg := config(srv.URL + "/webhooks/hospitable")
	cfg.Diagnose, cfg.Observe = true, ep
	var progress []int
	cfg.Progress = func(done, _ int, _ string) { progress = append(progress, done) }
	rep := Run(context.Background(), cfg, Cases())
	if !rep.Passed() || len(rep.Results) != len(Cases()) || rep.Common != nil {
		t.Fatalf("a correct endpoint: passed %v, failed %v, common %+v", rep.Passed(), failed(rep.Results), rep.Common)
	}
	if rep.Diagnosis == nil || rep.Diagnosis.Verdict != VerdictClean {
		t.Errorf("diagnosis = %+v, want clean", rep.Diagnosis)
	}
	for i, r := range rep.Results {
		if !plainPass(r, Cases()[i].Name) {
			t.Errorf("result %d = %+v", i, r)
		}
	}
	for _, name := range []string{"duplicate-delivery", "concurrent-duplicate"} {
		r := rep.Results[slices.Index(Names(), name)]
		if !strings.Contains(r.Got, "the app processed it 1 time") || r.Note != "" {
			t.Errorf("%s with --observe = %+v", name, r)
		}
	}
	if len(progress) < len(Cases()) || progress[len(Cases())-1] != len(Cases()) {
		t.Errorf("progress = %v", progress)
	}
}

// plainPass reports whether r is case name's pass with nothing to say:
// what was sent and what came back, no why, fix or warning.
func plainPass(r Result, name string) bool {
	return r.Name == name && r.Sent != "" && r.Got != "" && r.Title != "" && r.Why == "" && r.Fix == "" && !r.Warn
}

func TestCasesNameTheBug(t *testing.T) {
	tests := []struct {
		name    string
		ep      *endpoint
		path    string
		observe bool
		failHas []string // the failing case, why ~, fix ~
		status  int
		budget  time.Duration
	}{
		{"answers 204", &endpoint{status: 204}, "", false, []string{"signed-review-created", "only 200", "exactly 200"}, 204, 0},
		{"answers 404", &endpoint{status: 404}, "", false, []string{"signed-review-created", "does not take POST deliveries, so every real delivery would fail: Hospitable would retry this delivery (1s, 5s, 10s, 1h, 6h) and then drop it", "route accepts POST"}, 404, 0},
		{"answers 500", &endpoint{status: 500}, "", false, []string{"signed-message-created", "fails on this delivery with 500: Hospitable would retry", "fixtures show message.created"}, 500, 0},
		{"refuses valid deliveries", &endpoint{key: "another key"}, "", false, []string{"signed-reservation-created", "refuses a correctly signed reservation.created with 401, so every real one would be refused, retried and dropped: the endpoint refused the signature", "`hospitable-hook check --diagnose URL` probes"}, 401, 0},
		{"redirects", &endpoint{status: 301}, "", false, []string{"signed-message-created", "whether it follows redirects is not documented (hospitable-hook assumes it does not), and a PHP sender that follows a 301 or 302 turns the POST into a GET", "final URL"}, 301, 0},
		{"accepts unsigned", &endpoint{noVerify: true}, "", false, []string{"missing-signature", "fake reservations", "401"}, 200, 0},
		{"accepts tampered", &endpoint{noVerify: true}, "", false, []string{"tampered-body", "changed after signing", "401"}, 200, 0},
		{"accepts another secret", &endpoint{noVerify: true}, "", false, []string{"wrong-secret", "signed with another secret", "HMAC-SHA256"}, 200, 0},
		{"crashes on a malformed signature", &endpoint{crash: true}, "", false, []string{"malformed-signature", "short, non-hex, empty and two headers signatures: a bad signature is the sender's fault", "refuse it with 401"}, 500, 0},
		{"trusts X-Forwarded-For", &endpoint{trustXFF: true}, "", false, []string{"spoofed-source", "trusts the source address", "38.80.170.0/24 as a second check"}, 200, 0},
		{"token in the URL", &endpoint{tokenOnly: true}, "?token=s3cret", false, []string{"secret-in-url", "?token= in the URL is not a signature check", "verify the Signature header"}, 200, 0},
		{"refuses a repeat", &endpoint{rejectDup: true}, "", false, []string{"duplicate-delivery", "refusing the repeat", "answer 200 to a repeated id"}, 409, 0},
		{"stores duplicates twice", &endpoint{noDedupe: true}, "", true, []string{"duplicate-delivery", "processed this id 2 times", "unique constraint"}, 0, 0},
		{"works before verifying", &endpoint{workFirst: true}, "", true, []string{"tampered-body", "did the work for a body changed after signing and only then refused it", "before doing anything"}, 401, 0},
		{"loses the race", &endpoint{racyDedupe: true}, "", true, []string{"concurrent-duplicate", "loses this race", "same transaction"}, 0, 0},
		{"401 to an unknown action", &endpoint{unknown: 401}, "", false, []string{"unknown-action", "signature-verification bug", "the same way for every action"}, 401, 0},
		{"202 to an unknown action", &endpoint{unknown: 202}, "", false, []string{"unknown-action", "answers 202", "exactly 200"}, 202, 0},
		{"308 for an unknown action", &endpoint{unknown: 308}, "", false, []string{"unknown-action", "URL problem", "final URL"}, 308, 0},
		{"400 to an unknown action", &endpoint{unknown: 400}, "", false, []string{"unknown-action", "strict switch", "ignore (log)"}, 400, 0},
		{"422 to an unknown action", &endpoint{unknown: 422}, "", false, []string{"unknown-action", "strict switch", "ignore (log)"}, 422, 0},
		{"refuses v2 action names", &endpoint{v2Refused: true}, "", false, []string{"signed-reservation-changed", "refuses the action name reservation.changed", "accept every action name"}, 400, 0},
		{"refuses v2 action names (body names it)", &endpoint{v2Refused: true}, "", false, []string{"signed-integration-disconnected", "refuses the action name integration.disconnected", "v2 reference"}, 400, 0},
		{"re-encodes like JSON.stringify", &endpoint{transform: reencode(stringify)}, "", false, []string{"both-encodings", "re-serialises", "raw request bytes"}, 401, 0},
		{"strict about data", &endpoint{strict: true}, "", false, []string{"odd-payloads", "refused: {} (empty objects), 1.0", "read data defensively"}, 400, 0},
		{"refuses 200 KB", &endpoint{maxBody: 100 << 10}, "", false, []string{"large-delivery", "refuses even", "body size limit"}, 413, 0},
		{"slow", &endpoint{delay: 80 * time.Millisecond}, "", false, []string{"answer-time", "does not document its timeout", "answer 200 first"}, 200, 30 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.ep)
			defer srv.Close()
			cfg := config(srv.URL + "/webhooks/hospitable" + tt.path)
			cfg.Budget = tt.budget
			if tt.observe {
				cfg.Observe = tt.ep
			}
			cases, err := Select([]string{tt.failHas[0]}, nil)
			if err != nil {
				t.Fatal(err)
			}
			rep := Run(context.Background(), cfg, cases)
			r := rep.Results[0]
			if r.Pass || !strings.Contains(r.Why, tt.failHas[1]) || !strings.Contains(r.Fix, tt.failHas[2]) || r.Status != tt.status {
				t.Errorf("%s = pass %v, status %d\n why %q\n fix %q\nwant status %d, why ~ %q, fix ~ %q", r.Name, r.Pass, r.Status, r.Why, r.Fix, tt.status, tt.failHas[1], tt.failHas[2])
			}
			if tt.status >= 400 && r.Excerpt == "" {
				t.Errorf("%s: no body excerpt in the failure", r.Name)
			}
		})
	}
}

func TestCasesPassWithACaveat(t *testing.T) {
	srv := httptest.NewServer(&endpoint{maxBody: 512 << 10})
	defer srv.Close()
	cases, _ := Select([]string{"large-delivery", "duplicate-delivery", "concurrent-duplicate"}, nil)
	rep := Run(context.Background(), config(srv.URL), cases)
	large, dup, conc := rep.Results[2], rep.Results[0], rep.Results[1]
	if !large.Pass || !large.Warn || !strings.Contains(large.Note, "refuses 1.1 MiB but takes") || !strings.Contains(large.Note, "assumption") {
		t.Errorf("a 413 above 256 KiB = %+v, want a pass with a warning", large)
	}
	for _, r := range []Result{dup, conc} {
		if !r.Pass || !strings.Contains(r.Note, "two 200s do not show whether the work ran once") || !strings.Contains(r.Note, "--observe") {
			t.Errorf("%s without --observe = %+v", r.Name, r)
		}
	}
}

func TestCommonCauseComesFirst(t *testing.T) {
	srv := httptest.NewServer(&endpoint{status: 204})
	defer srv.Close()
	cases, _ := Select([]string{"signed-*"}, nil)
	rep := Run(context.Background(), config(srv.URL), cases)
	if rep.Common == nil || rep.Common.Cause != CauseNot200 || len(rep.Common.Names) != len(fixture.Actions()) || !strings.Contains(rep.Common.What, "answers 204") {
		t.Errorf("common cause = %+v", rep.Common)
	}
	srv2 := httptest.NewServer(&endpoint{key: decodedEmail()})
	defer srv2.Close()
	rep = Run(context.Background(), config(srv2.URL), cases)
	if rep.Common == nil || !strings.Contains(rep.Common.What, "decoded email") {
		t.Errorf("common cause of refused deliveries = %+v, want the diagnosis", rep.Common)
	}
}

func TestUnreachableReportIsComplete(t *testing.T) {
	url := "http://" + listenertest.ClosedAddr(t) + "/webhooks/hospitable"
	rep := Run(context.Background(), config(url), Cases())
	if rep.Unreachable == nil || rep.Unreachable.Err.Kind != deliver.KindRefused || rep.Passed() {
		t.Fatalf("Run() = %+v, want Unreachable (refused)", rep)
	}
	if len(rep.Results) != 1 || rep.Results[0].Pass || !strings.Contains(rep.Results[0].Why, "cannot reach "+url) || !strings.Contains(rep.Results[0].Fix, "start your endpoint") {
		t.Errorf("results = %+v, want one failure saying it cannot be reached", rep.Results)
	}
}

func TestFailFastAndInterrupt(t *testing.T) {
	srv := httptest.NewServer(&endpoint{status: 500})
	defer srv.Close()
	cfg := config(srv.URL)
	cfg.FailFast, cfg.Concurrency = true, 1
	rep := Run(context.Background(), cfg, Cases())
	if rep.Passed() || len(rep.Results) != len(Cases()) || rep.Results[0].Pass || rep.Results[0].Skipped {
		t.Fatalf("fail-fast: %+v", rep.Results[0])
	}
	for _, r := range rep.Results[1:] {
		if !r.Skipped || !strings.Contains(r.Why, "--fail-fast stopped the run after "+rep.Results[0].Name) {
			t.Errorf("after a failure with --fail-fast: %+v", r)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep = Run(ctx, config(srv.URL), Cases())
	if !rep.Interrupted || rep.Passed() || len(rep.Results) != len(Cases()) || !rep.Results[0].Skipped || !strings.Contains(rep.Results[0].Why, "interrupted") {
		t.Errorf("interrupted run = %+v", rep)
	}
}

func TestLargeDeliveryIsAboutOnePointOneMegabytes(t *testing.T) {
	bodies := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- b
	}))
	defer srv.Close()
	cases, _ := Select([]string{"large-delivery"}, nil)
	rep := Run(context.Background(), config(srv.URL), cases)
	if !rep.Results[0].Pass || !strings.Contains(rep.Results[0].Note, "assumption") {
		t.Fatalf("Run() = %+v", rep.Results)
	}
	got := <-bodies
	if len(got) < LargeSize || len(got) > LargeSize+LargeSize/10 {
		t.Errorf("large delivery is %d bytes, want about %d", len(got), LargeSize)
	}
	var env struct {
		Action string
		Data   struct {
			ICalImports []map[string]any `json:"ical_imports"`
			Name        string
		}
	}
	if err := json.Unmarshal(got, &env); err != nil || env.Action != "property.changed" || len(env.Data.ICalImports) < 1000 || env.Data.Name == "" {
		t.Errorf("large delivery: action %q, %d ical_imports, name %q, err %v", env.Action, len(env.Data.ICalImports), env.Data.Name, err)
	}
}

func TestSelect(t *testing.T) {
	tests := []struct {
		only, skip []string
		want       []string
		unknown    []string
		hint       string
	}{
		{nil, nil, Names(), nil, ""},
		{[]string{"wrong-secret", "tampered-body"}, nil, []string{"tampered-body", "wrong-secret"}, nil, ""},
		{[]string{"signed-*"}, []string{"signed-property-*"}, []string{"signed-integration-disconnected", "signed-message-created", "signed-reservation-changed", "signed-reservation-created", "signed-reservation-updated", "signed-review-created"}, nil, ""},
		{[]string{"wrong-secrets"}, []string{"nope-*"}, nil, []string{"wrong-secrets", "nope-*"}, `did you mean "wrong-secret"?`},
		{[]string{"answer_time"}, nil, nil, []string{"answer_time"}, `did you mean "answer-time"?`},
	}
	for _, tt := range tests {
		cases, err := Select(tt.only, tt.skip)
		var unknown *UnknownCaseError
		if tt.unknown != nil {
			if !errors.As(err, &unknown) || !slices.Equal(unknown.Names, tt.unknown) || !strings.Contains(err.Error(), "answer-time") || !strings.Contains(err.Error(), tt.hint) {
				t.Errorf("Select(%q, %q) error = %v, want unknown %q with %q", tt.only, tt.skip, err, tt.unknown, tt.hint)
			}
			continue
		}
		var names []string
		for _, c := range cases {
			names = append(names, c.Name)
		}
		if err != nil || !slices.Equal(names, tt.want) {
			t.Errorf("Select(%q, %q) = %v, %v; want %v", tt.only, tt.skip, names, err, tt.want)
		}
	}
}

func TestNamesAreStableKebabCase(t *testing.T) {
	for _, n := range Names() {
		if n != strings.ToLower(n) || strings.ContainsAny(n, "._ ") {
			t.Errorf("case name %q is not kebab-case", n)
		}
	}
	if len(Names()) != len(fixture.Actions())+13 {
		t.Errorf("%d cases, want one per action and 13 more", len(Names()))
	}
}

// A Config built outside tests may leave Now and Entropy unset: Run (and
// Diagnose, which it calls) must make ids from the real clock and
// crypto/rand, not panic.
func TestRunWithoutClockOrEntropy(t *testing.T) {
	ids := make(chan string, 64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var env struct{ ID string }
		b, _ := io.ReadAll(r.Body)
		if json.Unmarshal(b, &env) == nil && env.ID != "" {
			select {
			case ids <- env.ID:
			default:
			}
		}
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	cfg := config(srv.URL)
	cfg.Now, cfg.Entropy, cfg.Diagnose = nil, nil, true
	cases, err := Select([]string{"signed-reservation-created", "duplicate-delivery"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := Run(context.Background(), cfg, cases)
	if len(rep.Results) != 2 || rep.Results[0].Sent == "nothing" || rep.Diagnosis == nil {
		t.Fatalf("Run() with a nil Now and Entropy = %+v", rep)
	}
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if len(id) != 26 {
			t.Errorf("id %q is no ULID", id)
		}
		seen[id] = true
	}
	if len(seen) < 3 {
		t.Errorf("%d distinct ids, want one per fresh delivery", len(seen))
	}
}
