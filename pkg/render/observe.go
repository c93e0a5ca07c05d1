package render

import (
	"fmt"
	"io"

	"github.com/hospitable-hook/hospitable-hook/pkg/observe"
)

// ObservedRecord is what --observe found, as --json prints it.
type ObservedRecord struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Count      int    `json:"count"`
	Deliveries int    `json:"deliveries"`
	Pass       bool   `json:"pass"`
	Verdict    string `json:"verdict,omitempty"`
	Error      string `json:"error,omitempty"`
}

// NewObservedRecord returns the JSON form of an observation: the app
// processed id count times after deliveries sends of it.
func NewObservedRecord(id string, count, deliveries int, err error) ObservedRecord {
	r := ObservedRecord{Type: "observed", ID: id, Count: count, Deliveries: deliveries}
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Verdict = observe.Verdict(count, deliveries)
	r.Pass = count <= 1
	return r
}

// Observed prints what --observe found about one delivery id: the work ran
// once (✓), more often (✗) or not at all (!).
func Observed(w io.Writer, st *Styles, r ObservedRecord) {
	switch {
	case r.Error != "":
		fmt.Fprintf(w, "%s %s\n", st.Bang(), st.Warn.Render("observer: "+Safe(r.Error)))
	case r.Verdict == "":
		fmt.Fprintf(w, "%s %s\n", st.Tick(), st.OK.Render(fmt.Sprintf("the app processed %s once over %s (--observe)", Safe(r.ID), countOf(r.Deliveries, "delivery", "deliveries"))))
	case r.Pass:
		fmt.Fprintf(w, "%s %s\n", st.Bang(), st.Warn.Render(Safe(r.Verdict)))
	default:
		fmt.Fprintf(w, "%s %s\n", st.Cross(), st.Fail.Render(Safe(r.Verdict)+"; deduplicate on the envelope id"))
	}
}
