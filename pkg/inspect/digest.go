package inspect

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// Fact is one short fact of a digest, such as {"guest", "José"}.
type Fact struct {
	// Label names the fact.
	Label string `json:"label"`
	// Value is the fact, already shortened for one line.
	Value string `json:"value"`
}

// excerpt is how many characters of free text (a message, a review) a
// digest shows.
const excerpt = 60

// Digest returns the few facts that tell one delivery of this action from
// another: for a reservation its code, platform, status, guest's first
// name, dates and property; for a message its sender and an excerpt; and so
// on. Unknown actions get a generic digest of data's shape. The digest never
// holds contact details or secrets, so it needs no masking.
func (d Received) Digest() []Fact {
	if d.detached {
		return d.facts
	}
	if !d.data.Exists() {
		return nil
	}
	data := d.data
	var facts []Fact
	if data.IsArray() {
		n := count(data)
		facts = append(facts, Fact{"data", fmt.Sprintf("array of %d; the first:", n)})
		data = data.Get("0")
		if !data.IsObject() {
			return facts
		}
	}
	family, _, _ := strings.Cut(d.Action, ".")
	switch {
	case d.Action == "property.merged":
		facts = add(facts, "merged", arrow(data.Get("previous_id").String(), data.Get("new_id").String()))
	case d.Action == "property.deleted":
		facts = add(facts, "property", data.Get("id").String())
	case d.Action == "integration.disconnected":
		facts = add(facts, "user", data.Get("user").String())
		facts = add(facts, "at", data.Get("disconnected_at").String())
	case family == "reservation":
		facts = append(facts, orGeneric(reservation(data), data)...)
	case family == "message":
		facts = append(facts, orGeneric(message(data), data)...)
	case family == "review":
		facts = append(facts, orGeneric(review(data), data)...)
	case family == "property":
		facts = append(facts, orGeneric(property(data), data)...)
	default:
		facts = append(facts, generic(data)...)
	}
	return facts
}

func reservation(data gjson.Result) []Fact {
	var f []Fact
	code := first(data, "code", "platform_id")
	f = add(f, "code", code)
	f = add(f, "platform", data.Get("platform").String())
	f = add(f, "status", first(data, "reservation_status.current.category", "status"))
	f = add(f, "guest", clip(data.Get("guest.first_name").String(), 30))
	arrive, leave := day(data.Get("arrival_date").String()), day(data.Get("departure_date").String())
	stay := arrow(arrive, leave)
	if n := data.Get("nights"); n.Exists() && stay != "" {
		stay += fmt.Sprintf(" (%s night%s)", n.String(), plural(n.Int()))
	}
	f = add(f, "stay", stay)
	if stay == "" {
		f = add(f, "check-in", data.Get("check_in").String())
	}
	f = add(f, "property", clip(first(data, "properties.0.name", "property.name"), 40))
	return f
}

func message(data gjson.Result) []Fact {
	var f []Fact
	who := data.Get("sender_type").String()
	if name := first(data, "sender.full_name", "sender.first_name"); name != "" {
		who = strings.TrimSpace(who + " " + clip(name, 30))
	}
	f = add(f, "from", who)
	body := data.Get("body")
	switch {
	case body.Type == gjson.String:
		f = add(f, "says", fmt.Sprintf("%q", clip(body.String(), excerpt)))
	case body.Exists():
		f = add(f, "says", fmt.Sprintf("(no text, %d attachment%s)", count(data.Get("attachments")), plural(int64(count(data.Get("attachments"))))))
	}
	if data.Get("reservation_id").Type == gjson.Null && data.Get("reservation_id").Exists() {
		f = add(f, "reservation", "none (an inquiry)")
	}
	return f
}

func review(data gjson.Result) []Fact {
	var f []Fact
	if r := data.Get("public.rating"); r.Type == gjson.Number {
		n := int(r.Int())
		if n >= 0 && n <= 5 {
			f = add(f, "rating", strings.Repeat("★", n)+strings.Repeat("☆", 5-n))
		} else {
			f = add(f, "rating", r.Raw)
		}
	}
	f = add(f, "platform", data.Get("platform").String())
	if text := data.Get("public.review").String(); text != "" {
		f = add(f, "says", fmt.Sprintf("%q", clip(text, excerpt)))
	}
	f = add(f, "property", clip(data.Get("property.name").String(), 40))
	return f
}

func property(data gjson.Result) []Fact {
	var f []Fact
	f = add(f, "property", clip(data.Get("name").String(), 40))
	city := data.Get("address.city").String()
	if a := data.Get("address"); a.Type == gjson.String {
		city = a.String()
	}
	f = add(f, "city", clip(city, 40))
	return f
}

// orGeneric is f, or the generic digest of data when f found nothing.
func orGeneric(f []Fact, data gjson.Result) []Fact {
	if len(f) == 0 {
		return generic(data)
	}
	return f
}

// generic describes data by its shape: its id, when it has one, and its
// keys. It shows no values, so it cannot leak personal data.
func generic(data gjson.Result) []Fact {
	var f []Fact
	if id := data.Get("id"); id.Exists() && !id.IsObject() && !id.IsArray() {
		f = add(f, "id", clip(id.String(), 40))
	}
	if !data.IsObject() {
		return add(f, "data", Kind(data))
	}
	var keys []string
	n := 0
	data.ForEach(func(k, _ gjson.Result) bool {
		n++
		if len(keys) < 8 {
			keys = append(keys, clip(k.String(), 24))
		}
		return true
	})
	list := strings.Join(keys, ", ")
	if n > len(keys) {
		list += fmt.Sprintf(", … (%d in all)", n)
	}
	if n == 0 {
		list = "none"
	}
	return add(f, "keys", list)
}

func add(f []Fact, label, value string) []Fact {
	if value == "" {
		return f
	}
	return append(f, Fact{Label: label, Value: value})
}

// first returns the first of the paths that holds a non-empty scalar.
func first(data gjson.Result, paths ...string) string {
	for _, p := range paths {
		if v := data.Get(p); v.Exists() && !v.IsObject() && !v.IsArray() && v.Type != gjson.Null && v.String() != "" {
			return v.String()
		}
	}
	return ""
}

func arrow(from, to string) string {
	if from == "" && to == "" {
		return ""
	}
	return fmt.Sprintf("%s → %s", orDash(from), orDash(to))
}

func orDash(s string) string {
	if s == "" {
		return "?"
	}
	return clip(s, 40)
}

// day keeps the date of a timestamp: Hospitable sends arrival and departure
// as local midnight, where only the date matters.
func day(ts string) string {
	if len(ts) >= 10 && ts[4] == '-' && ts[7] == '-' {
		return ts[:10]
	}
	return clip(ts, 25)
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}
