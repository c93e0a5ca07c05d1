package anonymize

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
)

// captured is a delivery full of personal data, in every place Hospitable
// puts it, plus some in free text.
const captured = `{"id":"01JF3S8XG7T4ZC3VQ2Y6M9N0PB","action":"reservation.changed","data":{
"id":"39906056-40f6-4349-8e52-f0e79350e0df","code":"HMZ4TQ8KXN","nights":5,
"guest":{"id":"bf4a6823","first_name":"José","last_name":"Carvalho","email":"jose.carvalho@gmail.com",
 "phone_numbers":["+351 912 000 417","+351912000418"],"location":"Lisbon, Portugal",
 "profile_picture":"https://a0.muscache.com/im/pictures/user/User-482133771/original/f254.jpeg"},
"user":{"id":"ac17","email":"marta@redrockhideaway.com","name":"Marta Okafor"},
"properties":[{"id":"0eca","name":"Marta's Sedona Casita","address":{"number":"4127","street":"Calle Encanto Azul",
 "city":"Sedona","state":"AZ","country":"US","postcode":"86336","coordinates":{"latitude":34.8697123,"longitude":-111.7609876},
 "display":"4127 Calle Encanto Azul, Sedona, AZ 86336"},
 "details":{"wifi_name":"OkaforHome5G","wifi_password":"Sunsets&Cactus2024!","guest_access":"Lockbox by the blue door, code 4821. Gate: 7710#",
  "door_code":"4821"},
 "listings":[{"platform":"airbnb","platform_id":"1094772318856402117","platform_name":"Marta","platform_email":"marta.o@host.example"}]}],
"messages":[{"body":"Hi Marta, José here: call me on +351 912 000 417 or jose.carvalho@gmail.com. Our flight lands at 14:05.","sender":{"first_name":"José","full_name":"José Carvalho"}}],
"review":null,"guests":{"total":2,"adult_count":2},"total":154453}}`

var originals = []string{
	"José", "Carvalho", "jose.carvalho@gmail.com", "+351 912 000 417", "+351912000418", "912 000 417", "Lisbon",
	"User-482133771", "marta@redrockhideaway.com", "Marta", "Okafor", "4127", "Calle Encanto Azul", "86336",
	"34.8697123", "111.7609876", "OkaforHome5G", "Sunsets&Cactus2024!", "4821", "7710", "marta.o@host.example",
}

// shape lists every key and every value's type in document order.
func shape(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out []string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case string:
			if dec.More() || true {
				out = append(out, "s")
			}
		case json.Number:
			out = append(out, "n")
		case json.Delim:
			out = append(out, v.String())
		case bool:
			out = append(out, "b")
		case nil:
			out = append(out, "null")
		}
	}
	// Keys are strings too, so compare the keys themselves separately.
	return out
}

func keys(b []byte) []string {
	var out []string
	var walk func(r gjson.Result)
	walk = func(r gjson.Result) {
		r.ForEach(func(k, v gjson.Result) bool {
			if k.Exists() {
				out = append(out, k.String())
			}
			if v.IsObject() || v.IsArray() {
				walk(v)
			}
			return true
		})
	}
	walk(gjson.ParseBytes(b))
	return out
}

func TestBodyLeavesNoPersonalData(t *testing.T) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(captured)); err != nil {
		t.Fatal(err)
	}
	php, err := jsonstyle.Encode(compact.Bytes(), jsonstyle.PHP)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		in   []byte
	}{
		{"raw UTF-8, pretty", []byte(captured)},
		{"compact", compact.Bytes()},
		{"PHP escaped", php},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, rep, err := Body(tt.in, Options{Messages: tt.name != "compact"})
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(out) {
				t.Fatalf("result is not JSON: %s", out)
			}
			checkNoOriginals(t, out)
			checkShapeAndStyle(t, tt.name, tt.in, out)
			checkConsistentFakes(t, out)
			if rep.Total() < 15 {
				t.Errorf("Report = %s, want at least 15 values replaced", rep)
			}
		})
	}
}

// checkNoOriginals greps the bytes and the decoded text for every original.
func checkNoOriginals(t *testing.T, out []byte) {
	t.Helper()
	decoded, _ := jsonstyle.Encode(out, jsonstyle.Compact)
	for _, o := range originals {
		enc, _ := jsonstyle.Encode([]byte(`"`+o+`"`), jsonstyle.PHP)
		escaped := strings.Trim(string(enc), `"`)
		if bytes.Contains(out, []byte(o)) || bytes.Contains(decoded, []byte(o)) || bytes.Contains(out, []byte(escaped)) {
			t.Errorf("%q is still in the result:\n%s", o, decoded)
		}
	}
}

// checkShapeAndStyle checks that types, keys, escaping, whitespace and
// untouched values are as in the input (name says which input it is).
func checkShapeAndStyle(t *testing.T, name string, in, out []byte) {
	t.Helper()
	if got, want := shape(t, out), shape(t, in); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("types changed:\n got %v\nwant %v", got, want)
	}
	if got, want := keys(out), keys(in); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("keys changed:\n got %v\nwant %v", got, want)
	}
	// Style: PHP input stays ASCII with \/; raw input keeps raw slashes.
	if bytes.Contains(in, []byte(`\/`)) != bytes.Contains(out, []byte(`\/`)) {
		t.Errorf("slash escaping changed")
	}
	if name == "PHP escaped" && bytes.ContainsFunc(out, func(r rune) bool { return r >= 0x80 }) {
		t.Fatalf("PHP-escaped input gave raw non-ASCII output")
	}
	// Whitespace and untouched values are byte-identical.
	for _, keep := range []string{`"id":"01JF3S8XG7T4ZC3VQ2Y6M9N0PB"`, `"id":"39906056-40f6-4349-8e52-f0e79350e0df"`, `"platform_id":"1094772318856402117"`, `"code":"HMZ4TQ8KXN"`, `"total":154453`, `"city":"Sedona"`} {
		if !bytes.Contains(out, []byte(keep)) {
			t.Errorf("%s was changed", keep)
		}
	}
	if lands := bytes.Contains(out, []byte("lands at 14:05")); lands != (name == "compact") {
		t.Errorf("message text kept = %v, want it kept only without Messages", lands)
	}
	if name == "raw UTF-8, pretty" && bytes.Count(out, []byte("\n")) != bytes.Count(in, []byte("\n")) {
		t.Errorf("line breaks changed")
	}
}

// checkConsistentFakes checks that the same original got the same fake,
// and that phone, code and coordinate fakes keep their shape.
func checkConsistentFakes(t *testing.T, out []byte) {
	t.Helper()
	r := gjson.ParseBytes(out)
	first := r.Get("data.guest.first_name").String()
	if r.Get("data.messages.0.sender.first_name").String() != first ||
		!strings.HasPrefix(r.Get("data.messages.0.sender.full_name").String(), first+" ") ||
		r.Get("data.messages.0.sender.full_name").String() != first+" "+r.Get("data.guest.last_name").String() {
		t.Errorf("names disagree: guest %q %q, sender %q %q", first, r.Get("data.guest.last_name"),
			r.Get("data.messages.0.sender.first_name"), r.Get("data.messages.0.sender.full_name"))
	}
	if r.Get("data.properties.0.listings.0.platform_name").String() != strings.Fields(r.Get("data.user.name").String())[0] {
		t.Errorf("host names disagree")
	}
	// Shapes kept: phone and code lengths, coordinate precision.
	for _, p := range []struct{ path, orig string }{
		{"data.guest.phone_numbers.0", "+351 912 000 417"},
		{"data.properties.0.details.door_code", "4821"},
		{"data.properties.0.details.wifi_password", "Sunsets&Cactus2024!"},
	} {
		if got := r.Get(p.path).String(); len(got) != len(p.orig) {
			t.Errorf("%s = %q: length %d, want %d", p.path, got, len(got), len(p.orig))
		}
	}
	if lat := r.Get("data.properties.0.address.coordinates.latitude"); lat.Type != gjson.Number || !strings.HasPrefix(lat.Raw, "34.") || len(lat.Raw) != len("34.8697123") {
		t.Errorf("latitude = %s, want a number 34.xxxxxxx", lat.Raw)
	}
}

// Without Messages, free text is kept but the personal data found in it is
// replaced.
func TestBodyKeepsMessagesUnlessAsked(t *testing.T) {
	out, _, err := Body([]byte(captured), Options{})
	if err != nil {
		t.Fatal(err)
	}
	body := gjson.GetBytes(out, "data.messages.0.body").String()
	if !strings.Contains(body, "Our flight lands at 14:05.") {
		t.Errorf("message text was not kept: %q", body)
	}
	for _, o := range []string{"José", "Marta", "jose.carvalho@gmail.com", "912 000 417"} {
		if strings.Contains(body, o) {
			t.Errorf("%q is still in the message: %q", o, body)
		}
	}
	// The same original gets the same fake everywhere.
	r := gjson.ParseBytes(out)
	for _, c := range []struct{ text, part string }{
		{"data.messages.0.body", "data.guest.phone_numbers.0"},
		{"data.messages.0.body", "data.guest.email"},
		{"data.messages.0.body", "data.user.name"}, // first word only below
		{"data.properties.0.address.display", "data.properties.0.address.number"},
		{"data.properties.0.address.display", "data.properties.0.address.street"},
		{"data.properties.0.address.display", "data.properties.0.address.postcode"},
		{"data.properties.0.details.guest_access", "data.properties.0.details.door_code"},
	} {
		part := r.Get(c.part).String()
		if c.part == "data.user.name" {
			part = strings.Fields(part)[0]
		}
		if !strings.Contains(r.Get(c.text).String(), part) {
			t.Errorf("%s = %q does not hold the fake of %s, %q", c.text, r.Get(c.text), c.part, part)
		}
	}
}

func TestBodyRejectsBadJSON(t *testing.T) {
	for _, in := range []string{``, `{`, `{"a":1}x`, "\xff"} {
		if _, _, err := Body([]byte(in), Options{}); err == nil {
			t.Errorf("Body(%q) gave no error", in)
		}
	}
}

func FuzzBody(f *testing.F) {
	f.Add([]byte(captured))
	f.Add([]byte(`{"guest":{"email":"a@b.co","phone":"+1 (555) 010-9999"},"x":[1,2.50,"\u00e9\/"]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, _, err := Body(in, Options{Messages: true})
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("Body(%q) = %q, not JSON", in, out)
		}
	})
}
