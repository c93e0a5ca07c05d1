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
	"unicode"
	"unicode/utf8"

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
	return b.Bytes(), a.rep, nil
}

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

var (
	personParents = []string{"guest", "user", "sender", "host", "owner", "recipient", "contact", "co_hosts", "guests", "author", "reviewer", "team", "teammate"}
	nameKeys      = []string{"first_name", "last_name", "full_name", "firstname", "lastname", "fullname", "middle_name", "nickname", "display_name", "guest_name", "host_name", "platform_name"}
	addressKeys   = []string{"number", "street", "street2", "line1", "line2", "address1", "address2", "postcode", "zip", "zipcode", "postal_code", "display", "latitude", "longitude", "apartment", "unit"}
	textKeys      = []string{"body", "review", "response", "feedback", "comment", "note", "notes", "message", "text", "private_note"}
	scanKeys      = []string{"guest_access", "house_manual", "other_details", "additional_rules", "space_overview", "neighborhood_description", "getting_around", "checkin_instructions", "check_in_instructions", "directions"}
)

func has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// classify says what kind of personal data a value is, from its keys; ""
// for none.
func (a *anonymizer) classify(l leaf) string {
	key, parent := strings.ToLower(l.last(1)), strings.ToLower(l.last(2))
	inAddress := parent == "address" || parent == "coordinates" && strings.ToLower(l.last(3)) == "address"
	switch {
	case !l.str:
		if inAddress && (key == "latitude" || key == "longitude") {
			return KindAddress
		}
		return ""
	case l.value == "":
		return ""
	case strings.Contains(key, "email"):
		return KindEmail
	case strings.Contains(key, "phone"):
		return KindPhone
	case strings.Contains(key, "wifi") || strings.Contains(key, "password") || strings.Contains(key, "passcode"):
		return KindWiFi
	case strings.Contains(key, "door") || strings.Contains(key, "lock") || strings.Contains(key, "keypad") ||
		strings.Contains(key, "access_code") || strings.Contains(key, "gate_code") || strings.Contains(key, "entry_code") || key == "pin":
		return KindCode
	case has(nameKeys, key), key == "name" && has(personParents, parent):
		return KindName
	case inAddress && key == "display":
		return kindScan // after the parts it is made of are faked
	case inAddress && has(addressKeys, key):
		return KindAddress
	case key == "location" && has(personParents, parent), key == "location" && parent == "":
		return KindLocation
	case strings.Contains(key, "picture") && has(personParents, parent), strings.Contains(key, "thumbnail") && has(personParents, parent), key == "avatar":
		return KindPicture
	case a.opts.Messages && has(textKeys, key):
		return KindText
	case has(scanKeys, key):
		return kindScan
	case emailRe.MatchString(l.value) && emailRe.FindString(l.value) == l.value:
		return KindEmail
	}
	return ""
}

// replace returns the new token for a value of a known kind.
func (a *anonymizer) replace(l leaf, kind string) string {
	a.rep.Count[kind]++
	if !l.str {
		return fakeNumber(l.value, a.next())
	}
	v := l.value
	switch kind {
	case KindEmail:
		return a.encode(a.fake(v, func() string { return fmt.Sprintf("guest%d@example.com", a.next()) }))
	case KindPhone:
		return a.encode(a.fake(v, func() string { return fakeDigits(v, a.next()) }))
	case KindName:
		return a.encode(a.fakeName(v, strings.Contains(strings.ToLower(l.last(1)), "last")))
	case KindAddress:
		return a.encode(a.fake(v, func() string { return fakeAddress(strings.ToLower(l.last(1)), v, a.next()) }))
	case KindLocation:
		return a.encode(a.fake(v, func() string { return fmt.Sprintf("Fakeville %d", a.next()) }))
	case KindPicture:
		return a.encode(a.fake(v, func() string { return fmt.Sprintf("https://example.com/picture-%d.jpg", a.next()) }))
	case KindWiFi:
		if strings.Contains(strings.ToLower(l.last(1)), "name") {
			return a.encode(a.fake(v, func() string { return fmt.Sprintf("GuestWiFi-%d", a.next()) }))
		}
		return a.encode(a.fake(v, func() string { return fakeSecret(v, a.next()) }))
	case KindCode:
		return a.encode(a.fake(v, func() string { return fakeDigits(fakeLetters(v, a.next()), a.next()) }))
	case KindText:
		return a.encode(lorem(v))
	}
	return a.encode(v)
}

func (a *anonymizer) next() int { a.n++; return a.n }

// fake returns the fake of v, making one with mk the first time.
func (a *anonymizer) fake(v string, mk func() string) string {
	if f, ok := a.fakes[v]; ok {
		return f
	}
	f := mk()
	a.fakes[v] = f
	a.made[f] = true
	return f
}

var (
	firstNames = []string{"Alex", "Sam", "Robin", "Jamie", "Casey", "Morgan", "Taylor", "Jordan", "Riley", "Avery"}
	lastNames  = []string{"Smith", "Jones", "Brown", "Miller", "Davis", "Wilson", "Moore", "Clark", "Lewis", "Walker"}
)

// fakeName replaces each word of a name by a fake word, the same word
// always by the same fake, so "José" and "José Carvalho" agree.
func (a *anonymizer) fakeName(v string, last bool) string {
	words := strings.Fields(v)
	for i, w := range words {
		isLast := last || i > 0
		words[i] = a.fake(w, func() string {
			n := a.next()
			if isLast {
				return lastNames[n%len(lastNames)]
			}
			return firstNames[n%len(firstNames)]
		})
	}
	return strings.Join(words, " ")
}

var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// A phone number in text: international (+…), or digits broken up by
	// spaces or parentheses; never a date (2026-05-08) or a time.
	phoneRe = regexp.MustCompile(`\+[0-9][0-9 ().\-]{6,}[0-9]|\(?[0-9]{2,4}\)?[ .][0-9]{2,4}[ .\-][0-9]{3,4}`)
	digitRe = regexp.MustCompile(`[0-9]{3,}`)
)

// scrub replaces, inside free text, every original faked in the first
// pass (whole words only, longest first), every email and every phone-like
// number; codes (runs of 3 or more digits) too when scanCodes is set.
func (a *anonymizer) scrub(v string, scanCodes bool) string {
	if a.known == nil {
		a.known = a.knownPattern()
	}
	if a.known != nil {
		v = replaceWords(v, a.known, a.fakes)
	}
	if !strings.ContainsAny(v, " \n") {
		return v // an id, a code, a URL: not text that could hide a phone number
	}
	v = emailRe.ReplaceAllStringFunc(v, func(m string) string {
		if a.made[m] {
			return m
		}
		return a.fake(m, func() string { return fmt.Sprintf("guest%d@example.com", a.next()) })
	})
	v = phoneRe.ReplaceAllStringFunc(v, func(m string) string {
		if a.made[m] {
			return m
		}
		return a.fake(m, func() string { return fakeDigits(m, a.next()) })
	})
	if scanCodes {
		v = digitRe.ReplaceAllStringFunc(v, func(m string) string {
			if a.made[m] {
				return m
			}
			return a.fake(m, func() string { return fakeDigits(m, a.next()) })
		})
	}
	return v
}

// knownPattern matches any original faked so far, longest first; nil
// when there is none. It is built once, after the values whose keys say
// what they are have been faked.
func (a *anonymizer) knownPattern() *regexp.Regexp {
	originals := make([]string, 0, len(a.fakes))
	for o := range a.fakes {
		if len([]rune(o)) >= 2 {
			originals = append(originals, o)
		}
	}
	if len(originals) == 0 {
		return nil
	}
	sort.Slice(originals, func(i, j int) bool {
		if len(originals[i]) != len(originals[j]) {
			return len(originals[i]) > len(originals[j])
		}
		return originals[i] < originals[j]
	})
	for i, o := range originals {
		originals[i] = regexp.QuoteMeta(o)
	}
	return regexp.MustCompile(strings.Join(originals, "|"))
}

// replaceWords replaces the whole-word matches of re in s by their fakes.
func replaceWords(s string, re *regexp.Regexp, fakes map[string]string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		if !wordEdge(s[:m[0]], true) || !wordEdge(s[m[1]:], false) {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(fakes[s[m[0]:m[1]]])
		last = m[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// wordEdge reports whether the text next to a match ends (or starts) a
// word: the match is not part of a longer word.
func wordEdge(s string, before bool) bool {
	if s == "" {
		return true
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(s)
	} else {
		r, _ = utf8.DecodeRuneInString(s)
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// fakeDigits keeps v's shape (length, '+', separators) and replaces every
// digit, from a sequence seeded by n.
func fakeDigits(v string, n int) string {
	x := uint32(n)*2654435761 + 12345
	return strings.Map(func(r rune) rune {
		if r < '0' || r > '9' {
			return r
		}
		x = x*1664525 + 1013904223
		return '0' + rune(x>>16%10)
	}, v)
}

// fakeLetters replaces every letter of v, keeping case.
func fakeLetters(v string, n int) string {
	i := n
	return strings.Map(func(r rune) rune {
		i++
		switch {
		case r >= 'a' && r <= 'z', r > 0x7f && unicode.IsLower(r):
			return 'a' + rune(i%26)
		case r >= 'A' && r <= 'Z', r > 0x7f && unicode.IsLetter(r):
			return 'A' + rune(i%26)
		}
		return r
	}, v)
}

// fakeSecret makes a password of v's length.
func fakeSecret(v string, n int) string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	out := make([]byte, len([]rune(v)))
	x := uint32(n*2654435761 + 1)
	for i := range out {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		out[i] = alphabet[x%uint32(len(alphabet))]
	}
	return string(out)
}

// fakeAddress fakes one part of an address.
func fakeAddress(key, v string, n int) string {
	switch key {
	case "street", "line1", "address1":
		return fmt.Sprintf("Example Street %d", n)
	case "street2", "line2", "address2", "apartment", "unit":
		return fmt.Sprintf("Unit %d", n)
	}
	return fakeDigits(fakeLetters(v, n), n) // number, postcode: same shape
}

// fakeNumber replaces the fraction digits of a coordinate, keeping the
// integer part (the region) and the number of digits.
func fakeNumber(raw string, n int) string {
	whole, frac, ok := strings.Cut(raw, ".")
	if !ok {
		return raw
	}
	digits := len(frac) - len(strings.TrimLeft(frac, "0123456789"))
	return whole + "." + fakeDigits(frac[:digits], n) + frac[digits:]
}

// lorem returns neutral text of v's length in runes.
func lorem(v string) string {
	const text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. "
	n := len([]rune(v))
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(text)
	}
	return strings.TrimRight(b.String()[:n], " ")
}
