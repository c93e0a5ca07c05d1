package inspect

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

func codes(d Received) []string {
	var c []string
	for _, w := range d.Warnings {
		c = append(c, w.Code)
	}
	return c
}

func TestParseFixturesHaveNoWarnings(t *testing.T) {
	for _, action := range fixture.Actions() {
		d := Parse(fixturetest.Envelope(t, action, "01KB2Y5X0Q3W7F8G9H0J1K2M3N"))
		if len(d.Warnings) > 0 || d.Action != action || d.ID != "01KB2Y5X0Q3W7F8G9H0J1K2M3N" || d.DataKind != "object" {
			t.Errorf("Parse(%s) = %+v, want a clean envelope", action, d)
		}
		if len(d.Digest()) == 0 {
			t.Errorf("Parse(%s).Digest() is empty", action)
		}
	}
}

func TestParseOddPayloads(t *testing.T) {
	tests := []struct {
		file   string
		want   []string
		action string
		id     string
	}{
		{"synthetic-fieldstay-reservation-changed-partial.json", []string{WarnMissing, WarnIDNotULID}, "reservation.changed", "delivery_only_id_never_the_reservation"},
		{"synthetic-opscentral-smoke-empty-data.json", []string{WarnMissing, WarnIDNotULID, WarnDataEmpty}, "reservation.created", "smoke-1"},
		{"synthetic-flinty-message-created-minimal.json", []string{WarnMissing}, "message.created", ""},
		{"synthetic-thenafi-wrapped-property-changed.json", []string{WarnWrapped, WarnIDNotULID}, "property.changed", "497f6eca-6276-4993-bfeb-53cbbbba6f08"},
		{"synthetic-thenafi-wrapped-property-merged.json", []string{WarnWrapped, WarnIDNotULID}, "property.merged", "497f6eca-6276-4993-bfeb-53cbbbba6f08"},
		{"official-doc-reservation.json", []string{WarnIDNotULID, WarnTriggersString}, "reservation.created", "497f6eca-6276-4993-bfeb-53cbbbba6f08"},
		{"real-mirror-fieldstay-message-created-inquiry.json", []string{WarnMissing, WarnIDNotULID}, "message.created", "a28b8ffd-1a84-487c-92e0-0a161b8b86d1"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			d := Parse(body)
			if !slices.Equal(codes(d), tt.want) || d.Action != tt.action || d.ID != tt.id {
				t.Errorf("Parse(%s) = action %q id %q warnings %v, want %q %q %v", tt.file, d.Action, d.ID, d.Warnings, tt.action, tt.id, tt.want)
			}
		})
	}
}

func TestParseNotUTF8(t *testing.T) {
	d := Parse([]byte("{\"id\":\"01KB2Y5X0Q3W7F8G9H0J1K2M3N\",\"action\":\"message.created\",\"data\":{\"body\":\"Jos\xe9\"},\"created\":\"2026-11-28T09:35:24Z\",\"version\":\"1.0\"}"))
	if !d.JSON || !slices.Equal(codes(d), []string{WarnNotUTF8}) || d.Action != "message.created" {
		t.Errorf("Parse(JSON with a Latin-1 byte) = JSON %v action %q warnings %v, want JSON, read, and warned %s", d.JSON, d.Action, d.Warnings, WarnNotUTF8)
	}
}

func TestParseEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"not json", `hello`, []string{WarnNotJSON}},
		{"empty", ``, []string{WarnNotJSON}},
		{"array body", `[1,2]`, []string{WarnNotObject}},
		{"data array", `{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"reservation.changed","data":[{"id":"a"},{"id":"b"}],"created":"2026-11-28T09:35:24Z","version":"v2"}`, []string{WarnDataArray}},
		{"created with offset", `{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"x","data":{"a":1},"created":"2026-11-28T10:35:24+01:00","version":"v2"}`, []string{WarnCreatedNotUTC}},
		{"created garbage", `{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"x","data":{"a":1},"created":"yesterday","version":"v2"}`, []string{WarnCreatedBad}},
		{"numeric id", `{"id":7,"action":"x","data":{"a":1},"created":"2026-11-28T09:35:24Z","version":"v2"}`, []string{WarnWrongType}},
		{"data string", `{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"x","data":"hi","created":"2026-11-28T09:35:24Z","version":"v2"}`, []string{WarnDataNotObject}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := codes(Parse([]byte(tt.body))); !slices.Equal(got, tt.want) {
				t.Errorf("Parse(%q) warnings = %v, want %v", tt.body, got, tt.want)
			}
		})
	}
}

func TestDigest(t *testing.T) {
	tests := []struct {
		action string
		want   []string
	}{
		{"reservation.created", []string{"code HMZ4TQ8KXN", "platform airbnb", "status accepted", "guest José", "stay 2026-05-08 → 2026-05-12 (4 nights)", "property Sedona Casita"}},
		{"message.created", []string{"from guest José Carvalho", `says "Olá! We just landed ✈️ — is early check-in possible? 🙂"`}},
		{"review.created", []string{"rating ★★★★★", "platform airbnb", "property Sedona Casita"}},
		{"property.changed", []string{"property Sedona Casita", "city Sedona"}},
		{"property.merged", []string{"merged 96c9f949-111f-48ef-a90f-c92897901d46 → 0eca3295-3d56-4bd7-83c1-41b7d315d569"}},
		{"property.deleted", []string{"property 9559199f-0d38-4e3a-a3b2-e2719902ac03"}},
		{"integration.disconnected", []string{"user ac17b7a8-8b97-491f-b64b-2794885d7fc8", "at 2026-06-02T09:14:51Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			var got []string
			for _, f := range Parse(fixturetest.Envelope(t, tt.action, "01KB2Y5X0Q3W7F8G9H0J1K2M3N")).Digest() {
				got = append(got, f.Label+" "+f.Value)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Digest(%s) = %q, lacks %q", tt.action, got, w)
				}
			}
		})
	}
	got := Parse([]byte(`{"id":"x","action":"task.created","data":{"id":"t1","title":"Clean","secret_note":"x"}}`)).Digest()
	if len(got) != 2 || got[0] != (Fact{"id", "t1"}) || got[1] != (Fact{"keys", "id, title, secret_note"}) {
		t.Errorf("generic Digest = %v", got)
	}
	got = Parse([]byte(`{"action":"reservation.changed","data":[{"code":"A1"},{"code":"B2"}]}`)).Digest()
	if len(got) != 2 || got[1] != (Fact{"code", "A1"}) {
		t.Errorf("Digest of an array = %v, want the first element's", got)
	}
}

func TestMaskPII(t *testing.T) {
	body := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	masked := string(MaskPII(body))
	for _, leak := range []string{"jose.carvalho@example.com", "+351912000417", "marta@redrockhideaway.example"} {
		if strings.Contains(masked, leak) {
			t.Errorf("MaskPII left %q in the body", leak)
		}
	}
	if !strings.Contains(masked, `"phone_numbers":["[masked]"]`) || !strings.Contains(masked, `"first_name":"José"`) {
		t.Errorf("MaskPII masked the wrong things: %s", masked)
	}
	prop := string(MaskPII(fixturetest.Envelope(t, "property.changed", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")))
	if strings.Contains(prop, "saguaro-sunset-2291") || !strings.Contains(prop, `"wifi_name":"RedRockCasita"`) {
		t.Errorf("MaskPII must hide the Wi-Fi password and keep the rest")
	}
	tests := map[string]string{
		`{"a":1,"email":"x@y","n":{"phone":12345,"b":[true,null]}}`: `{"a":1,"email":"[masked]","n":{"phone":"[masked]","b":[true,null]}}`,
		`{ "Guest_Email" : "x" , "email":"" }`:                      `{ "Guest_Email" : "[masked]" , "email":"" }`,
		`{"em\u0061il":"x","k":"email"}`:                            `{"em\u0061il":"[masked]","k":"email"}`,
		`{"email":{"work":"a","n":[1,{"x":"b"}]},"after":"c"}`:      `{"email":{"work":"[masked]","n":["[masked]",{"x":"[masked]"}]},"after":"c"}`,
		`not json`: `not json`,
	}
	for in, want := range tests {
		if got := string(MaskPII([]byte(in))); got != want {
			t.Errorf("MaskPII(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestDeepNestingIsSafe(t *testing.T) {
	for _, n := range []int{5000, 100_000, 1 << 20} {
		deep := `{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"a.b","data":` + strings.Repeat(`[`, n) + strings.Repeat(`]`, n) + `}`
		d := Parse([]byte(deep))
		if n < MaxDepth && (d.Action != "a.b" || d.DataKind != "array") {
			t.Errorf("Parse(deep %d) = %+v", n, d)
		}
		if n > MaxDepth && (d.JSON || !slices.Equal(codes(d), []string{WarnTooDeep})) {
			t.Errorf("Parse(deep %d) warnings = %v, want too_deep", n, d.Warnings)
		}
		_ = d.Digest()
		if got := Depth([]byte(deep)); got != n+1 {
			t.Errorf("Depth = %d, want %d", got, n+1)
		}
		if len(MaskPII([]byte(deep))) != len(deep) {
			t.Errorf("MaskPII changed a deep body with nothing to mask")
		}
		unclosed := strings.Repeat(`{"a":`, n)
		if Parse([]byte(unclosed)).JSON {
			t.Errorf("an unclosed body parsed as JSON")
		}
	}
}

func TestIsULID(t *testing.T) {
	for s, want := range map[string]bool{
		"01KB2Y5X0Q3W7F8G9H0J1K2M3N": true, "01kb2y5x0q3w7f8g9h0j1k2m3n": true,
		"81KB2Y5X0Q3W7F8G9H0J1K2M3N": false, "01KB2Y5X0Q3W7F8G9H0J1K2M3U": false, "smoke-1": false, "": false,
	} {
		if got := IsULID(s); got != want {
			t.Errorf("IsULID(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzInspect(f *testing.F) {
	for _, s := range []string{``, `{}`, `[]`, `{"data":[[]]}`, `{"body":{"action":"a","data":{}}}`, `{"email":["x",{"phone":1}]}`, `{"a":"\"`, `{"triggers":"x","created":"2026-01-01T00:00:00+01:00"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		d := Parse(body)
		_ = d.Digest()
		_ = Depth(body)
		masked := MaskPII(body)
		if json.Valid(body) && !json.Valid(masked) {
			t.Errorf("MaskPII(%q) = %q, not JSON", body, masked)
		}
	})
}

func TestParseOnePassKeepsFirstDuplicate(t *testing.T) {
	d := Parse([]byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"a.b","id":"x","data":{},"created":"2026-11-28T09:35:24Z","version":"1.0","action":7}`))
	if d.ID != "01KB2Y5X0Q3W7F8G9H0J1K2M3N" || d.Action != "a.b" || d.DataKind != "object" {
		t.Errorf("Parse(duplicates) = id %q action %q data %q; want the first of each", d.ID, d.Action, d.DataKind)
	}
	if len(d.Warnings) != 1 || d.Warnings[0].Code != WarnDataEmpty {
		t.Errorf("warnings = %+v, want only data_empty", d.Warnings)
	}
}

func TestValidAgreesWithEncodingJSON(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	for _, in := range []string{
		``, ` `, `{}`, `[]`, `1`, `-0`, `01`, `1.`, `1e5`, `1E+5`, `-`, `"\u00e9"`, `"\x"`, "\"a\tb\"", `"\ud83d"`,
		"\"\xff\"", `{"a":1,}`, `[1,]`, `{"a" 1}`, `nul`, `null `, ` true`, `[1] [2]`, `{"a":{"b":[null,false]}}`,
		deep(MaxDepth), deep(MaxDepth + 1), `"[[[[["`, "\t{\r\n}\n",
	} {
		if got, want := Valid([]byte(in)), json.Valid([]byte(in)); got != want {
			t.Errorf("Valid(%.40q) = %v, json.Valid = %v", in, got, want)
		}
	}
}

func FuzzValid(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,"x\u00e9"]}`, `[`, `"\ud800"`, `0.0e-0`, "\"\x7f\"", `{"a":tru}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := Valid(b), json.Valid(b); got != want {
			t.Fatalf("Valid(%q) = %v, json.Valid = %v", b, got, want)
		}
	})
}

func TestDepth(t *testing.T) {
	for in, want := range map[string]int{
		``: 0, `1`: 0, `[]`: 1, `{"a":[{}]}`: 3, `"[["`: 0, `["\"[["]`: 1, `["\\\\"]`: 1, `["\\\\",[]]`: 2,
		`["\\\"[",[]]`: 2, `"unterminated [`: 0, `[[[`: 3, `]]][`: 0,
	} {
		if got := Depth([]byte(in)); got != want {
			t.Errorf("Depth(%s) = %d, want %d", in, got, want)
		}
	}
}
