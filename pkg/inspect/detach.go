package inspect

import (
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// Detach returns d holding no memory of the body it was read from: its
// digest is computed now and every string is copied. Parse's fields share
// the memory of a copy of the whole body, so a Received kept for later (a
// display queue, a remembered id) would otherwise keep megabytes alive for
// a few short facts.
func (d Received) Detach() Received {
	if d.detached {
		return d
	}
	facts := d.Digest()
	d.facts = make([]Fact, len(facts))
	for i, f := range facts {
		d.facts[i] = Fact{Label: strings.Clone(f.Label), Value: strings.Clone(f.Value)}
	}
	d.detached, d.data = true, gjson.Result{}
	d.Wrapped, d.ID, d.Action = strings.Clone(d.Wrapped), strings.Clone(d.ID), strings.Clone(d.Action)
	d.Created, d.Version = strings.Clone(d.Created), strings.Clone(d.Version)
	d.Triggers = slices.Clone(d.Triggers)
	for i := range d.Triggers {
		d.Triggers[i] = strings.Clone(d.Triggers[i])
	}
	d.Warnings = slices.Clone(d.Warnings)
	for i, w := range d.Warnings {
		d.Warnings[i] = Warning{Code: w.Code, Message: strings.Clone(w.Message)}
	}
	return d
}
