// Package replay turns the records of a capture file (`listen --save`) back
// into deliveries: the exact body bytes, the original headers and the
// original Signature, or a fresh signature when re-signing.
//
// Only the headers that describe the original connection rather than the
// delivery are left out (see Dropped): the transport sets them again for the
// new connection.
package replay

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// Dropped returns the captured headers a replay does not send: the
// hop-by-hop headers of RFC 9110 (they belonged to the original
// connection), and those the HTTP client computes for the new request
// (Host from the target URL, Content-Length from the body, Accept-Encoding,
// which Go sets itself so that it can decode the answer, and Expect).
func Dropped() []string {
	return append(deliver.HopByHop(), "Host", "Content-Length", "Accept-Encoding", "Expect")
}

// Filter selects records by envelope id and action. Within one list any
// entry matches; when both lists are set a record must match both. Empty
// lists match everything. Deliveries that were forged when captured (not
// verified) are selected only with Forged.
type Filter struct {
	// IDs are the envelope ids to replay.
	IDs []string
	// Actions are the actions to replay.
	Actions []string
	// Forged selects deliveries that were not verified when captured too
	// (replay --all).
	Forged bool
}

// Match reports whether rec is selected by id and action; Load applies
// Forged.
func (f Filter) Match(rec capture.Record) bool {
	return (len(f.IDs) == 0 || slices.Contains(f.IDs, rec.ID)) &&
		(len(f.Actions) == 0 || slices.Contains(f.Actions, rec.Action))
}

// IsDelivery reports whether rec is a delivery worth replaying: a POST
// that carried a body. A GET of the status page, or a POST refused before
// its body was read (413, 403), is not.
func IsDelivery(rec capture.Record) bool {
	if rec.Method != http.MethodPost {
		return false
	}
	body, err := rec.BodyBytes()
	return err == nil && len(body) > 0
}

// Item is one delivery to replay.
type Item struct {
	// Line is the record's line in the capture file.
	Line int
	// Record is the captured request.
	Record capture.Record
	// Delivery holds the exact body and the headers to send.
	Delivery event.Delivery
	// Resigned says whether the Signature is fresh rather than captured.
	Resigned bool
	// ExpectRefusal says that the right answer is a refusal (4xx), not
	// 200: the delivery was forged when captured and goes out with its
	// captured signature.
	ExpectRefusal bool
}

// NewItem makes the delivery of a captured record: its exact body and its
// headers less Dropped, with the captured Signature; or, when resign is
// not empty, signed again with resign as the secret.
func NewItem(line int, rec capture.Record, resign string) (Item, error) {
	body, err := rec.BodyBytes()
	if err != nil {
		return Item{}, fmt.Errorf("line %d: %w", line, err)
	}
	h := http.Header{}
	for name, values := range rec.Headers {
		canon := http.CanonicalHeaderKey(name)
		if slices.Contains(Dropped(), canon) {
			continue
		}
		h[canon] = append(h[canon], values...)
	}
	d := event.FromBody(body)
	d.Header = h
	d.Signature = h.Get(signature.Header)
	if resign != "" {
		d.Signature = signature.Sign(body, resign)
		h.Set(signature.Header, d.Signature)
	}
	if d.ID == "" {
		d.ID = rec.ID
	}
	if d.Action == "" {
		d.Action = rec.Action
	}
	return Item{Line: line, Record: rec, Delivery: d, Resigned: resign != "", ExpectRefusal: !rec.Verified && resign == ""}, nil
}

// Extra returns the headers to pass to deliver.Client.Post along with the
// item's Delivery: the captured User-Agent (which Post would otherwise
// replace with its own), then the user's own -H headers, which win.
func (it Item) Extra(user http.Header) http.Header {
	out := http.Header{}
	if ua := it.Delivery.Header.Values("User-Agent"); len(ua) > 0 {
		out["User-Agent"] = slices.Clone(ua)
	}
	for name, values := range user {
		out[http.CanonicalHeaderKey(name)] = slices.Clone(values)
	}
	return out
}

// Describe says what the filter asked for, for a message about no match:
// `--id 01K… --action reservation.created`.
func (f Filter) Describe() string {
	var parts []string
	if len(f.IDs) > 0 {
		parts = append(parts, "--id "+strings.Join(f.IDs, ","))
	}
	if len(f.Actions) > 0 {
		parts = append(parts, "--action "+strings.Join(f.Actions, ","))
	}
	return strings.Join(parts, " ")
}
