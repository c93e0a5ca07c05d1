package cmd

import (
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

func TestFixturesList(t *testing.T) {
	r := runCLI(t, nil, "", "fixtures", "list")
	if r.code != 0 {
		t.Fatalf("fixtures list = %d: %s", r.code, r.stderr)
	}
	for _, info := range fixture.Catalog() {
		if !strings.Contains(r.stdout, info.Action) || !strings.Contains(r.stdout, info.Description) {
			t.Errorf("fixtures list lacks %s:\n%s", info.Action, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "message.created           guide, v2 reference  A new message") ||
		!strings.Contains(r.stdout, "property.updated          guide                The guide's name") {
		t.Errorf("fixtures list does not say which source names each action:\n%s", r.stdout)
	}

	r = runCLI(t, nil, "", "fixtures", "list", "--json")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != len(fixture.Catalog()) {
		t.Fatalf("fixtures list --json printed %d lines", len(lines))
	}
	if first := gjson.Parse(lines[0]); first.Get("action").String() != "integration.disconnected" || first.Get("sources.0").String() != "v2 reference" || first.Get("triggers").Raw != "[]" {
		t.Errorf("fixtures list --json: %s", lines[0])
	}
}

func TestFixturesShow(t *testing.T) {
	r := runCLI(t, nil, "", "fixtures", "show", "message.created")
	if r.code != 0 || r.stdout != string(fixtureData(t, "message.created")) {
		t.Errorf("fixtures show = %d\n%s", r.code, r.stdout)
	}

	r = runCLI(t, nil, "", "fixtures", "show", "message.created", "--raw")
	body := r.stdout
	if r.code != 0 || strings.HasSuffix(body, "\n") || !strings.Contains(body, `"first_name":"Jos\u00e9"`) || !strings.HasPrefix(body, `{"id":"`) {
		t.Errorf("fixtures show --raw = %d %q", r.code, body)
	}
	// The bytes are those send would post, down to the id (same clock and entropy).
	srv, hits := endpoint(t, answer(200, ""))
	runCLI(t, nil, "", "send", "message.created", "--to", srv.URL)
	if got := hits(); len(got) != 1 || string(got[0].body) != body {
		t.Errorf("fixtures show --raw differs from what send posts")
	}

	r = runCLI(t, nil, "", "fixtures", "show", "message.created", "--raw", "--encoding", "compact", "--version", "v2")
	if !strings.Contains(r.stdout, `"first_name":"José"`) || !strings.HasSuffix(r.stdout, `"version":"v2"}`) {
		t.Errorf("--raw --encoding compact --version v2 = %q", r.stdout)
	}
	r = runCLI(t, nil, "", "fixtures", "show", "reservation.created", "--raw")
	if !strings.HasSuffix(r.stdout, `"version":"1.0","triggers":["status_changed"]}`) {
		t.Errorf("--raw lacks the triggers after version: %q", r.stdout[len(r.stdout)-60:])
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"fixtures", "show", "review.create"}, `did you mean "review.created"?`},
		{[]string{"fixtures", "show"}, "name one action"},
		{[]string{"fixtures", "show", "review.created", "--encoding", "compact"}, "`--encoding` goes with `--raw`"},
		{[]string{"fixtures", "show", "review.created", "--raw", "--encoding", "x"}, "unknown encoding"},
		{[]string{"fixtures", "list", "extra"}, "unknown command"},
	} {
		if r := runCLI(t, nil, "", tt.args...); r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v = %d %q, want 2 with %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}
