// Package anonymize replaces the personal data in a captured webhook body
// with consistent fakes, so the payload that broke production can become a
// test fixture. Every shape is kept: key order, types, the length of codes
// and phone numbers, and the body's escaping style (PHP's `\/` and `\uXXXX`
// or raw UTF-8). Values are rewritten in place, byte by byte; the JSON is
// never re-marshalled, so nothing else changes.
//
// Consistent means the same original always gets the same fake within a
// body: the guest's first name in `guest.first_name`, in `sender.full_name`
// and inside a message's text all become the same fake name.
package anonymize

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
)

// Options says what is replaced besides the personal data always replaced.
type Options struct {
	// Messages replaces free text written by people (message bodies,
	// review text, notes) with neutral text of the same length. Without
	// it such text is kept, with the names, emails and phone numbers found
	// elsewhere in the body (or that look like them) replaced inside it.
	Messages bool
}

// Kinds of personal data, as Report counts them.
const (
	KindName     = "name"
	KindEmail    = "email"
	KindPhone    = "phone"
	KindAddress  = "address"
	KindLocation = "location"
	KindPicture  = "picture"
	KindWiFi     = "wifi"
	KindCode     = "code"
	KindText     = "text"
)

// Report says what was replaced.
type Report struct {
	// Count holds how many values of each kind were replaced.
	Count map[string]int
}

// Total is the number of values replaced.
func (r Report) Total() int {
	n := 0
	for _, c := range r.Count {
		n += c
	}
	return n
}

// String lists the counts, like "3 name, 2 email".
func (r Report) String() string {
	var kinds []string
	for k := range r.Count {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d %s", r.Count[k], k))
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// Body returns body with its personal data replaced. body must be valid
// JSON; the result is valid JSON of the same shape and style.
func Body(body []byte, opts Options) ([]byte, Report, error) {
	leaves, err := scan(body)
	if err != nil {
		return nil, Report{}, err
	}
	a := &anonymizer{
		opts:  opts,
		style: styleOf(body),
		fakes: map[string]string{},
		made:  map[string]bool{},
		rep:   Report{Count: map[string]int{}},
	}
	// First the values whose key says what they are, so that their fakes
	// are known when free text is searched for them.
	out := make([]string, len(leaves)) // new token text, "" for unchanged
	kinds := make([]string, len(leaves))
	for i, l := range leaves {
		kinds[i] = a.classify(l)
		if kinds[i] != "" && kinds[i] != kindScan {
			out[i] = a.replace(l, kinds[i])
		}
	}
	for i, l := range leaves {
		if l.str && (kinds[i] == "" || kinds[i] == kindScan) {
			if v := a.scrub(l.value, kinds[i] == kindScan); v != l.value {
				out[i] = a.encode(v)
				a.rep.Count[KindText]++
			}
		}
	}
	return splice(body, leaves, out), a.rep, nil
}

// splice returns body with each leaf whose out is not "" replaced by it.
func splice(body []byte, leaves []leaf, out []string) []byte {
	var b bytes.Buffer
	b.Grow(len(body))
	last := 0
	for i, l := range leaves {
		if out[i] == "" {
			continue
		}
		b.Write(body[last:l.start])
		b.WriteString(out[i])
		last = l.end
	}
	b.Write(body[last:])
	return b.Bytes()
}

// The package's files: anonymize.go the pass over a body, scan.go finds
// its values, classify.go says from its keys what a value is, fake.go makes
// the fakes, scrub.go replaces personal data inside free text.

// kindScan marks free text that is scanned for codes as well (property
// access instructions), not replaced whole.
const kindScan = "scan"

type anonymizer struct {
	opts  Options
	style jsonstyle.Style
	// fakes maps an original (a name word, an email, a phone, a street) to
	// its fake, for consistency and for finding originals in free text.
	fakes map[string]string
	// made holds every fake handed out, so text already faked is not faked
	// again by the patterns that look for personal data.
	made map[string]bool
	// known matches the originals in free text (see knownPattern).
	known *regexp.Regexp
	n     int
	rep   Report
}

// styleOf reads the escaping style of a body: `\/` for slashes, and
// \uXXXX for non-ASCII when the body has escapes and no raw non-ASCII.
func styleOf(body []byte) jsonstyle.Style {
	ascii := true
	for _, c := range body {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	return jsonstyle.Style{
		EscapeSlash:   bytes.Contains(body, []byte(`\/`)),
		EscapeUnicode: ascii && bytes.Contains(body, []byte(`\u`)),
	}
}

// encode writes s as a JSON string in the body's style.
func (a *anonymizer) encode(s string) string {
	raw, _ := json.Marshal(s)
	out, err := jsonstyle.Encode(raw, a.style)
	if err != nil {
		return string(raw)
	}
	return string(out)
}
