package check

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// LargeSize is about how big the large-delivery case's body is.
const LargeSize = 1 << 20

// largeProperty returns the property.changed fixture grown to about
// LargeSize, the way a real property gets big: a long description in
// several languages and many calendar imports, each with a URL (escaped as
// \/ by PHP) and a name with non-ASCII text. It stays a valid property.
func (r *runner) largeProperty() ([]byte, string, error) {
	data, err := r.set.Data("property.changed")
	if err != nil {
		return nil, "", err
	}
	para := "A light-filled adobe casita on a quiet lane, ten minutes' walk from the Soldier Pass trailhead. " +
		"Café, piñon fires and stargazing from the hot tub; señal Wi-Fi rápida in every room. "
	description := strings.Repeat(para, 200)
	if data, err = sjson.SetBytes(data, "description", description); err != nil {
		return nil, "", err
	}
	n := 0
	var imports strings.Builder
	imports.WriteByte('[')
	for len(data)+imports.Len() < LargeSize {
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
