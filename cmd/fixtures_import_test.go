package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// piiBody is a delivery full of personal data, PHP-escaped as Hospitable
// most likely sends it.
const piiBody = `{"id":"01JF3S8XG7T4ZC3VQ2Y6M9N0PB","action":"reservation.changed","data":{"id":"39906056","guest":{"first_name":"Jos\u00e9","last_name":"Carvalho","email":"jose.carvalho@gmail.com","phone_numbers":["+351912000417"],"location":"Lisbon, Portugal","profile_picture":"https:\/\/a0.muscache.com\/im\/pictures\/user\/User-482133771.jpg"},"user":{"id":"u","email":"marta@redrockhideaway.com","name":"Marta Okafor"},"properties":[{"id":"p","address":{"number":"4127","street":"Calle Encanto Azul","postcode":"86336","display":"4127 Calle Encanto Azul, 86336"},"details":{"wifi_name":"OkaforHome5G","wifi_password":"Sunsets&Cactus2024!","guest_access":"Lockbox code 4821, ring Marta"}}],"note":"Jos\u00e9 called from +351 912 000 417"},"created":"2026-05-08T19:47:03Z","version":"v2","triggers":["status_changed"]}`

var piiStrings = []string{"Jos\\u00e9", "José", "Carvalho", "jose.carvalho@gmail.com", "351912000417", "912 000 417", "Lisbon", "User-482133771",
	"marta@redrockhideaway.com", "Marta", "Okafor", "4127", "Calle Encanto Azul", "86336", "OkaforHome5G", "Sunsets&Cactus2024!", "4821"}

func captureFile(t *testing.T, bodies ...string) string {
	t.Helper()
	var b strings.Builder
	for _, body := range bodies {
		rec := capture.Record{Method: "POST", Path: "/webhooks/hospitable", Headers: map[string][]string{"Content-Type": {"application/json"}}, Status: 200}
		rec.SetBody([]byte(body))
		line, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return writeFile(t, "capture.jsonl", b.String())
}

// A capture's delivery becomes a fixture without its personal data, and is
// then used by name like a built-in one.
func TestFixturesImport(t *testing.T) {
	capturePath := captureFile(t, `{"id":"a","action":"message.created","data":{"body":"hi"}}`, piiBody)
	dir := filepath.Join(t.TempDir(), "fx")
	out := importProdCancel(t, capturePath, dir)
	env := map[string]string{fixture.EnvDir: dir}
	sent := listAndSendByName(t, env, out)
	checkWithFixture(t, env, sent)
	importDefaultsAndMistakes(t, env, capturePath, dir)
}

// importProdCancel imports the second record of capturePath as
// prod-cancel into dir and returns the fixture, checked for personal data
// and shape.
func importProdCancel(t *testing.T, capturePath, dir string) []byte {
	t.Helper()
	r := runCLI(t, nil, "", "fixtures", "import", capturePath, "--record", "2", "--name", "prod-cancel", "--fixtures-dir", dir)
	if r.code != 0 {
		t.Fatalf("fixtures import = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out, err := os.ReadFile(filepath.Join(dir, "prod-cancel.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range piiStrings {
		if strings.Contains(string(out), s) {
			t.Errorf("the fixture still holds %q:\n%s", s, out)
		}
	}
	if !json.Valid(out) || !strings.Contains(string(out), `https:\/\/`) || len(out) < len(piiBody)/2 ||
		!strings.HasPrefix(string(out), `{"id":"01JF3S8XG7T4ZC3VQ2Y6M9N0PB","action":"reservation.changed","data":{"id":"39906056","guest":{"first_name":"`) ||
		!strings.HasSuffix(string(out), `,"created":"2026-05-08T19:47:03Z","version":"v2","triggers":["status_changed"]}`) {
		t.Errorf("the fixture lost its shape or escaping:\n%s", out)
	}
	if !strings.Contains(r.stdout, "line 2 of") || !strings.Contains(r.stdout, "prod-cancel") {
		t.Errorf("import output:\n%s", r.stdout)
	}
	return out
}

// listAndSendByName lists the fixture prod-cancel (written as out) from
// the environment's directory and sends it; it returns what was sent.
func listAndSendByName(t *testing.T, env map[string]string, out []byte) gjson.Result {
	t.Helper()
	r := runCLI(t, env, "", "fixtures", "list")
	if !strings.Contains(r.stdout, "prod-cancel") || !strings.Contains(r.stdout, "reservation.changed") {
		t.Errorf("fixtures list:\n%s", r.stdout)
	}
	r = runCLI(t, env, "", "fixtures", "list", "--json")
	if last := gjson.Parse(lastLine(r.stdout)); last.Get("name").String() != "prod-cancel" || last.Get("sources.0").String() != "user" {
		t.Errorf("fixtures list --json ends with %s", lastLine(r.stdout))
	}
	srv, hits := endpoint(t, answer(200, ""))
	r = runCLI(t, env, "", "send", "prod-cancel", "--to", srv.URL)
	got := hits()
	if r.code != 0 || len(got) != 1 {
		t.Fatalf("send prod-cancel = %d, %d hits: %s", r.code, len(got), r.stderr)
	}
	sent := gjson.ParseBytes(got[0].body)
	if sent.Get("action").String() != "reservation.changed" || sent.Get("triggers").Raw != `["status_changed"]` ||
		sent.Get("data.guest.first_name").String() != gjson.GetBytes(out, "data.guest.first_name").String() || sent.Get("id").String() == "01JF3S8XG7T4ZC3VQ2Y6M9N0PB" {
		t.Errorf("send prod-cancel posted %s", got[0].body)
	}
	return sent
}

// checkWithFixture runs check with the fixture prod-cancel (sent before as
// sent), and with a typo of its name.
func checkWithFixture(t *testing.T, env map[string]string, sent gjson.Result) {
	t.Helper()
	srv, hits := endpoint(t, answer(200, ""))
	r := runCLI(t, env, "", "check", srv.URL, "--only", "signed-review-created", "--fixture", "prod-cancel")
	got := hits()
	posted := 0
	for _, h := range got { // check runs cases concurrently: any order
		if gjson.GetBytes(h.body, "data.guest.email").String() == sent.Get("data.guest.email").String() {
			posted++
		}
	}
	if r.code != 0 || len(got) != 2 || posted != 1 || !strings.Contains(r.stdout, "fixture-prod-cancel") {
		t.Errorf("check --fixture = %d, %d hits, %d of the fixture:\n%s%s", r.code, len(got), posted, r.stdout, r.stderr)
	}
	if r := runCLI(t, env, "", "check", srv.URL, "--fixture", "prod-cancle"); r.code != 2 || !strings.Contains(r.stderr, `did you mean "prod-cancel"`) {
		t.Errorf("check --fixture with a typo = %d %q", r.code, r.stderr)
	}
}

// importDefaultsAndMistakes imports with the default record and name,
// then makes every mistake import refuses, then replaces with --force.
func importDefaultsAndMistakes(t *testing.T, env map[string]string, capturePath, dir string) {
	t.Helper()
	// The default record is the last delivery; the default name says what it is.
	r := runCLI(t, env, "", "fixtures", "import", capturePath)
	if r.code != 0 || !fileExists(filepath.Join(dir, "reservation.changed-m9n0pb.json")) {
		t.Errorf("import with defaults = %d: %s%s", r.code, r.stdout, r.stderr)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"fixtures", "import", capturePath, "--record", "2", "--name", "prod-cancel"}, "pass --force to replace it"},
		{[]string{"fixtures", "import", capturePath, "--record", "9"}, "no record on that line"},
		{[]string{"fixtures", "import", capturePath, "--name", "../evil"}, "bad fixture name"},
		{[]string{"fixtures", "import", filepath.Join(dir, "missing.jsonl")}, "read "},
		{[]string{"fixtures", "import", writeFile(t, "x.json", `{"a":1}`)}, "not a Hospitable delivery"},
	} {
		if r := runCLI(t, env, "", tt.args...); r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v = %d %q, want 2 with %q", tt.args[2:], r.code, r.stderr, tt.want)
		}
	}
	if r := runCLI(t, env, "", "fixtures", "import", capturePath, "--record", "2", "--name", "prod-cancel", "--force"); r.code != 0 {
		t.Errorf("--force = %d: %s", r.code, r.stderr)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestCompleteUserFixtures(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.json"), []byte(`{"action":"a","data":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"__complete", "send", "--fixtures-dir", dir, ""},
		{"__complete", "fixtures", "show", "--fixtures-dir", dir, ""},
	} {
		r := runCLI(t, nil, "", args...)
		if !strings.Contains(r.stdout, "reservation.created\n") || !strings.Contains(r.stdout, "mine\n") {
			t.Errorf("%v completes:\n%s", args, r.stdout)
		}
	}
}
