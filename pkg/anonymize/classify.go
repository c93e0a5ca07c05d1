package anonymize

import "strings"

var (
	personParents = []string{"guest", "user", "sender", "host", "owner", "recipient", "contact", "co_hosts", "guests", "author", "reviewer", "team", "teammate"}
	nameKeys      = []string{"first_name", "last_name", "full_name", "firstname", "lastname", "fullname", "middle_name", "nickname", "display_name", "guest_name", "host_name", "platform_name"}
	addressKeys   = []string{"number", "street", "street2", "line1", "line2", "address1", "address2", "postcode", "zip", "zipcode", "postal_code", "display", "latitude", "longitude", "apartment", "unit"}
	textKeys      = []string{"body", "review", "response", "feedback", "comment", "note", "notes", "message", "text", "private_note"}
	scanKeys      = []string{"guest_access", "house_manual", "other_details", "additional_rules", "space_overview", "neighborhood_description", "getting_around", "checkin_instructions", "check_in_instructions", "directions"}
)

// place is what classify knows of where a value is: its key and its
// parent's, in lower case.
type place struct {
	key, parent string
	// inAddress says the value is part of an address (or its coordinates).
	inAddress bool
	// messages is Options.Messages.
	messages bool
}

// person reports whether the value belongs to a person (a guest, a host…).
func (p place) person() bool { return has(personParents, p.parent) }

// keyRules say from its place what a non-empty string is; the first that
// matches wins, so the order matters.
var keyRules = []struct {
	kind  string
	match func(p place) bool
}{
	{KindEmail, func(p place) bool { return strings.Contains(p.key, "email") }},
	{KindPhone, func(p place) bool { return strings.Contains(p.key, "phone") }},
	{KindWiFi, func(p place) bool { return containsAny(p.key, "wifi", "password", "passcode") }},
	{KindCode, func(p place) bool {
		return containsAny(p.key, "door", "lock", "keypad", "access_code", "gate_code", "entry_code") || p.key == "pin"
	}},
	{KindName, func(p place) bool { return has(nameKeys, p.key) || p.key == "name" && p.person() }},
	// An address's display line is scanned after the parts it is made of
	// are faked.
	{kindScan, func(p place) bool { return p.inAddress && p.key == "display" }},
	{KindAddress, func(p place) bool { return p.inAddress && has(addressKeys, p.key) }},
	{KindLocation, func(p place) bool { return p.key == "location" && (p.person() || p.parent == "") }},
	{KindPicture, func(p place) bool {
		return p.key == "avatar" || p.person() && containsAny(p.key, "picture", "thumbnail")
	}},
	{KindText, func(p place) bool { return p.messages && has(textKeys, p.key) }},
	{kindScan, func(p place) bool { return has(scanKeys, p.key) }},
}

// classify says what kind of personal data a value is, from its keys; ""
// for none. A string no key explains is an email when it is one whole.
func (a *anonymizer) classify(l leaf) string {
	parent := strings.ToLower(l.last(2))
	p := place{key: strings.ToLower(l.last(1)), parent: parent, messages: a.opts.Messages,
		inAddress: parent == "address" || parent == "coordinates" && strings.ToLower(l.last(3)) == "address"}
	switch {
	case !l.str:
		if p.inAddress && (p.key == "latitude" || p.key == "longitude") {
			return KindAddress
		}
		return ""
	case l.value == "":
		return ""
	}
	for _, r := range keyRules {
		if r.match(p) {
			return r.kind
		}
	}
	if emailRe.MatchString(l.value) && emailRe.FindString(l.value) == l.value {
		return KindEmail
	}
	return ""
}

func has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
