package check

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// LargeSize is about how big the large-delivery case's body is: 1.1 MB.
// Hospitable documents no limit; this is an assumption.
const LargeSize = 1100 << 10

// SmallLimit is the size below which refusing a delivery fails the
// large-delivery case; above it, a refusal is a warning.
const SmallLimit = 256 << 10

// largeProperty returns the property.changed fixture grown to about
// target bytes, the way a real property gets big: a long description in
// several languages and many calendar imports, each with a URL (escaped as
// \/ by PHP) and a name with non-ASCII text. It stays a valid property.
func (r *runner) largeProperty(target int) ([]byte, string, error) {
	data, err := r.set.Data("property.changed")
	if err != nil {
		return nil, "", err
	}
	para := "A light-filled adobe casita on a quiet lane, ten minutes' walk from the Soldier Pass trailhead. " +
		"Café, piñon fires and stargazing from the hot tub; señal Wi-Fi rápida in every room. "
	description := strings.Repeat(para, max(1, target/(len(para)*5)))
	if data, err = sjson.SetBytes(data, "description", description); err != nil {
		return nil, "", err
	}
	n := 0
	var imports strings.Builder
	imports.WriteByte('[')
	for len(data)+imports.Len() < target {
		if n > 0 {
			imports.WriteByte(',')
		}
		fmt.Fprintf(&imports, `{"platform":"vrbo","name":"Calendário %d · Sedona Casita","url":"https://www.vrbo.com/icalendar/%08x.ics?nonTentative","last_synced_at":"2026-05-08T19:%02d:03Z","status":"active"}`,
			n+1, 0x3b9aca00+n*7919, n%60)
		n++
	}
	imports.WriteByte(']')
	if data, err = sjson.SetRawBytes(data, "ical_imports", []byte(imports.String())); err != nil {
		return nil, "", err
	}
	return data, fmt.Sprintf("%d ical_imports and a %d KB description", n, len(description)>>10), nil
}

// oddVariant is one awkward but valid shape of reservation data.
type oddVariant struct {
	name, what string
	data       []byte
}

// oddEdit is one change to the reservation data: the value at path set
// to raw JSON, or the key removed when raw is "".
type oddEdit struct{ path, raw string }

// oddShape is a named list of edits.
type oddShape struct {
	name, what string
	edits      []oddEdit
}

// oddShapes are the shapes real deliveries take and naive handlers trip
// on, one oddity each.
func oddShapes() []oddShape {
	return []oddShape{
		{"{}", "empty objects", []oddEdit{{"reservation_status.current", `{}`}, {"custom_fields", `{}`}}},
		{"1.0", "floats written with a fraction", []oddEdit{{"nights", `4.0`}, {"guests.total", `2.0`}}},
		{"nulls", "deep nulls", []oddEdit{{"financials.guest", `null`}, {"reservation_status.history.0.changed_at", `null`}}},
		{"missing", "no platform_id, guest null", []oddEdit{{"platform_id", ""}, {"guest", `null`}}},
		{"rtl", "right-to-left text", []oddEdit{{"guest.first_name", `"سارة"`}, {"guest.last_name", `"כהן"`}}},
		{"astral", "text outside the BMP", []oddEdit{{"guest.first_name", `"Zoë 🏡𝒜"`}}},
	}
}

// oddVariants returns the reservation.created fixture in each of
// oddShapes.
func (r *runner) oddVariants() ([]oddVariant, error) {
	base, err := r.set.Data("reservation.created")
	if err != nil {
		return nil, err
	}
	var out []oddVariant
	for _, shape := range oddShapes() {
		b := append([]byte{}, base...)
		for _, e := range shape.edits {
			if e.raw == "" {
				b, err = sjson.DeleteBytes(b, e.path)
			} else {
				b, err = sjson.SetRawBytes(b, e.path, []byte(e.raw))
			}
			if err != nil {
				return nil, fmt.Errorf("odd payload %s: %w", shape.name, err)
			}
		}
		out = append(out, oddVariant{shape.name, shape.what, b})
	}
	return out, nil
}

// tamper changes data.guests.total in a signed body, the way an attacker
// would change a fact, leaving every other byte as it was.
func tamper(body []byte) (out []byte, from, to string, err error) {
	v := gjson.GetBytes(body, "data.guests.total")
	if v.Type != gjson.Number {
		return nil, "", "", errors.New("the reservation fixture has no data.guests.total")
	}
	changed := v.Int() + 7
	out, err = sjson.SetBytes(body, "data.guests.total", changed)
	return out, v.Raw, fmt.Sprint(changed), err
}
