package event

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

var fixedNow = time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC)

func newTestBuilder() *Builder {
	return NewBuilder(func() time.Time { return fixedNow }, bytes.NewReader(bytes.Repeat([]byte{7}, 4096)))
}

func hmacHex(body []byte, key string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func TestBuildEnvelope(t *testing.T) {
	b := newTestBuilder()
	d, err := b.Build(Spec{Action: "x.y", Data: []byte(`{"b":1,"a":"https://é.example/😀"}`), Triggers: []string{"t"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"` + d.ID + `","action":"x.y","data":{"b":1,"a":"https:\/\/\u00e9.example\/\ud83d\ude00"},"created":"2026-11-28T09:35:24Z","version":"1.0","triggers":["t"]}`
	if string(d.Body) != want {
		t.Errorf("Build body =\n%s\nwant\n%s", d.Body, want)
	}
	if _, err := ulid.ParseStrict(d.ID); err != nil {
		t.Errorf("id %q is not a ULID: %v", d.ID, err)
	}
	if got := ulid.MustParse(d.ID).Timestamp(); !got.Equal(fixedNow) {
		t.Errorf("ULID time = %v, want %v", got, fixedNow)
	}
	if d.Action != "x.y" || d.Signature != "" || d.Header != nil {
		t.Errorf("Build = action %q signature %q headers %v, want x.y, unsigned", d.Action, d.Signature, d.Header)
	}
	body := string(d.Body)
	d = d.Signed(signature.NewKey("secret"))
	if string(d.Body) != body || d.Signature != hmacHex(d.Body, "secret") {
		t.Errorf("Signed = body %s signature %q, want the same body and %q", d.Body, d.Signature, hmacHex(d.Body, "secret"))
	}
	if d.Header.Get("Content-Type") != "application/json" || d.Header.Get("Signature") != d.Signature {
		t.Errorf("Signed headers = %v", d.Header)
	}

	compact, err := b.Build(Spec{Action: "x.y", Data: []byte(`{"a":"https://é.example/😀"}`), Encoding: Compact, Version: "v2", ID: "fixed", Created: "then"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"fixed","action":"x.y","data":{"a":"https://é.example/😀"},"created":"then","version":"v2"}`; string(compact.Body) != want {
		t.Errorf("compact body = %s, want %s", compact.Body, want)
	}
}

func TestBuildFreshIDs(t *testing.T) {
	b := newTestBuilder()
	seen := map[string]bool{}
	prev := ""
	for range 20 {
		d, err := b.Build(Spec{Action: "a", Data: []byte(`{}`)})
		if err != nil {
			t.Fatal(err)
		}
		if seen[d.ID] || d.ID <= prev {
			t.Fatalf("id %q repeats or sorts before %q", d.ID, prev)
		}
		seen[d.ID], prev = true, d.ID
	}
}

func TestBuildBadData(t *testing.T) {
	b := newTestBuilder()
	for _, data := range []string{"", "  ", "{", `{"a":1} x`} {
		if _, err := b.Build(Spec{Action: "a", Data: []byte(data)}); err == nil {
			t.Errorf("Build(data %q) error = nil, want one", data)
		}
	}
}

func TestEveryFixtureBuilds(t *testing.T) {
	set := fixture.New(fixtures.FS)
	b := newTestBuilder()
	for _, action := range fixture.Actions() {
		spec, err := FromFixture(set, action)
		if err != nil {
			t.Fatal(err)
		}
		for _, enc := range []Encoding{PHP, Compact} {
			spec.Encoding = enc
			d, err := b.Build(spec)
			if err != nil {
				t.Fatalf("Build(%s, %s): %v", action, enc, err)
			}
			var env struct {
				Action string          `json:"action"`
				Data   json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(d.Body, &env); err != nil || env.Action != action {
				t.Errorf("Build(%s) body does not decode to its action: %v", action, err)
			}
			if bytes.HasSuffix(d.Body, []byte("\n")) {
				t.Errorf("Build(%s) body ends with a newline", action)
			}
			if enc == PHP && (bytes.ContainsRune(d.Body, '/') && !bytes.Contains(d.Body, []byte(`\/`)) || hasNonASCII(d.Body)) {
				t.Errorf("Build(%s, php) has a raw / or non-ASCII byte", action)
			}
		}
	}
	if _, err := FromFixture(set, "reservation.create"); !errors.As(err, new(*fixture.UnknownActionError)) {
		t.Errorf("FromFixture(unknown) error = %v, want *fixture.UnknownActionError", err)
	}
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func TestWrap(t *testing.T) {
	body := []byte("{\"id\":\"X1\",\"action\":\"a.b\" , \"data\":{}}\n")
	d := Wrap(body, "k")
	if !bytes.Equal(d.Body, body) || d.ID != "X1" || d.Action != "a.b" || d.Signature != hmacHex(body, "k") {
		t.Errorf("Wrap = %+v", d)
	}
	if d := Wrap([]byte("not json"), "k"); d.ID != "" || d.Action != "" || d.Signature != hmacHex([]byte("not json"), "k") {
		t.Errorf("Wrap(not json) = %+v", d)
	}
}

func TestParseEncoding(t *testing.T) {
	for in, want := range map[string]Encoding{"": PHP, "php": PHP, "compact": Compact} {
		if got, err := ParseEncoding(in); got != want || err != nil {
			t.Errorf("ParseEncoding(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	if _, err := ParseEncoding("pretty"); err == nil || !strings.Contains(err.Error(), "php") {
		t.Errorf("ParseEncoding(pretty) error = %v, want one naming php", err)
	}
}

const doc = `{"id":"I","data":{"guests":{"total":3,"adult_count":2},"guest":{"first_name":"José"},"status":"accepted","list":[{"n":1},{"n":2}],"odd":{"a.b":1,"*":2,"0":3,":c":4,"#":5},"empty":[]},"version":"1.0"}`

func TestOverrides(t *testing.T) {
	tests := []struct {
		name string
		set  string // path=value, or "-path" to unset
		want string
	}{
		{"number", "data.guests.total=4", `{"id":"I","data":{"guests":{"total":4,"adult_count":2},`},
		{"string", "data.guest.first_name=Ana", `"guest":{"first_name":"Ana"}`},
		{"null", "data.status=null", `"status":null,`},
		{"quoted number stays a string", `data.status="4"`, `"status":"4",`},
		{"empty is the empty string", "data.status=", `"status":"",`},
		{"object", `data.guest={"a":[1,2]}`, `"guest":{"a":[1,2]},`},
		{"array index", "data.list.1.n=9", `"list":[{"n":1},{"n":9}]`},
		{"array append", "data.list.2=true", `"list":[{"n":1},{"n":2},true]`},
		{"append to empty", "data.empty.0=1", `"empty":[1]`},
		{"new key goes last", "data.guests.pet_count=1", `"guests":{"total":3,"adult_count":2,"pet_count":1}`},
		{"top level", "version=v2", `"version":"v2"}`},
		{"escaped dot", `data.odd.a\.b=7`, `"a.b":7,`},
		{"wildcard key", "data.odd.*=7", `"*":7,`},
		{"numeric key in an object", "data.odd.0=7", `"0":7,`},
		{"colon key", "data.odd.:c=7", `":c":7,`},
		{"hash key", "data.odd.#=7", `"#":7}`},
		{"value with =", "data.status=a=b", `"status":"a=b"`},
		{"unset key", "-data.status", `"guest":{"first_name":"José"},"list"`},
		{"unset element", "-data.list.0", `"list":[{"n":2}]`},
		{"unset odd key", "-data.odd.*", `"odd":{"a.b":1,"0":3,`},
		{"unset top level", "-version", `"empty":[]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parse(tt.set)
			if err != nil {
				t.Fatal(err)
			}
			got, err := o.Apply([]byte(doc))
			if err != nil {
				t.Fatalf("%s: %v", o, err)
			}
			if !strings.Contains(string(got), tt.want) || !json.Valid(got) {
				t.Errorf("%s =\n%s\nwant it to contain %s", o, got, tt.want)
			}
		})
	}
}

func parse(s string) (Override, error) {
	if path, ok := strings.CutPrefix(s, "-"); ok {
		return ParseUnset(path)
	}
	return ParseSet(s)
}

func TestOverrideErrors(t *testing.T) {
	tests := []struct {
		set      string
		want     string
		notFound bool
	}{
		{"data..x=1", "segment 2 is empty", false},
		{".x=1", "segment 1 is empty", false},
		{"=1", "it is empty", false},
		{"novalue", "write path=value", false},
		{"data.status.x=1", "data.status is a string, not an object or array", false},
		{"data.guests.total.x=1", "data.guests.total is a number", false},
		{"data.list.x=1", "data.list is an array: index it with a number from 0 to 1", false},
		{"data.list.-1=1", "index it with a number", false},
		{"data.list.01=1", "index it with a number", false},
		{"data.list.3=1", "index 3 is out of range (use 0 to 1, or 2 to append)", false},
		{"data.gests.total=4", `data has no key "gests" (did you mean "guests"?)`, false},
		{"-data.gests", `data has no key "gests" (did you mean "guests"?), so there is nothing to unset`, true},
		{"-data.list.2", "index 2 is out of range (use 0 to 1)", true},
		{"-data.empty.0", "it is empty", true},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			o, err := parse(tt.set)
			if err == nil {
				_, err = o.Apply([]byte(doc))
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("%q error = %v, want one containing %q", tt.set, err, tt.want)
			}
			if errors.Is(err, ErrNotFound) != tt.notFound {
				t.Errorf("%q: errors.Is(ErrNotFound) = %v, want %v", tt.set, !tt.notFound, tt.notFound)
			}
		})
	}
}

func TestOverridesKeepOrderThroughBuild(t *testing.T) {
	b := newTestBuilder()
	var ovs []Override
	for _, s := range []string{"data.z=1", "-data.m", "data.a=null", "id=fixed"} {
		o, err := parse(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	d, err := b.Build(Spec{Action: "a", Data: []byte(`{"z":0,"m":0,"a":0}`), Overrides: ovs})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"fixed","action":"a","data":{"z":1,"a":null},"created":"2026-11-28T09:35:24Z","version":"1.0"}`; string(d.Body) != want || d.ID != "fixed" {
		t.Errorf("body = %s (id %q), want %s", d.Body, d.ID, want)
	}
}

func FuzzOverride(f *testing.F) {
	f.Add("data.list.0.n", `5`, false)
	f.Add(`data.odd.a\.b`, `x`, true)
	f.Add("data.*.#", `{"a":1}`, false)
	f.Fuzz(func(t *testing.T, path, value string, unset bool) {
		var o Override
		var err error
		if unset {
			o, err = ParseUnset(path)
		} else {
			o, err = ParseSet(path + "=" + value)
		}
		if err != nil {
			return
		}
		got, err := o.Apply([]byte(doc))
		if err != nil {
			return
		}
		if !json.Valid(got) {
			t.Fatalf("%s gave invalid JSON: %s", o, got)
		}
		if unset {
			return
		}
		// The value must land exactly where the path says, whatever the key's characters.
		var tree, want any
		_ = json.Unmarshal(got, &tree)
		_ = json.Unmarshal(o.Value, &want)
		for _, seg := range o.segments {
			switch node := tree.(type) {
			case map[string]any:
				tree = node[seg]
			case []any:
				i, _ := strconv.Atoi(seg)
				tree = node[i]
			}
		}
		if !reflect.DeepEqual(tree, want) {
			t.Errorf("%s put %v there, want %v:\n%s", o, tree, want, got)
		}
	})
}
