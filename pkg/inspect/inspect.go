// Package inspect reads any bytes as a Hospitable delivery without failing:
// the envelope (id, action, created, version, triggers, data), warnings
// about what is odd, a short digest of facts per action, and a copy of the
// body with personal data masked for display.
//
// It reads raw bytes with gjson rather than decoding into Go values: a
// lookup walks the bytes once without allocating the whole document, never
// reorders keys, and skips nested values iteratively, so a body nested
// 100,000 deep costs a scan, not a stack. Only gjson's path lookups and
// one-level iteration are used here; its recursive helpers (Valid, Value,
// modifiers) are not, with one bounded exception: validity is checked by
// Valid, which measures the nesting with the iterative Depth first and
// hands gjson's faster (recursive) validator only bodies no deeper than
// MaxDepth, so it answers exactly as encoding/json's json.Valid does.
package inspect

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// Received is what a received body says about itself, read without
// failing: every field is empty when the body does not have it. (The
// delivery a command builds and sends is event.Delivery.)
type Received struct {
	// JSON says whether the body is one valid JSON value.
	JSON bool
	// Wrapped names the key the envelope was found under when the body wraps
	// it in another object, such as {"body": {...}}; "" when it is not.
	Wrapped string
	// ID is the envelope's `id` when it is a string.
	ID string
	// Action is the envelope's `action` when it is a string.
	Action string
	// Created is the envelope's `created` as sent.
	Created string
	// Version is the envelope's `version` as sent.
	Version string
	// Triggers is the envelope's `triggers`, as an array or a single string.
	Triggers []string
	// DataKind is the JSON type of `data`: "object", "array", "string",
	// "number", "boolean", "null", or "" when there is none.
	DataKind string
	// Warnings lists what is odd about the body; none of it is fatal.
	Warnings []Warning

	data gjson.Result
	// facts is the digest, computed by Detach, which drops data.
	facts    []Fact
	detached bool
}

// Warning is one odd thing about a body, with a stable code for machines
// and a sentence for people.
type Warning struct {
	// Code identifies the kind of oddity, e.g. "data_array".
	Code string `json:"code"`
	// Message says what is odd and, where useful, what Hospitable sends.
	Message string `json:"message"`
}

// Warning codes.
const (
	WarnNotJSON        = "not_json"
	WarnNotUTF8        = "not_utf8"
	WarnTooDeep        = "too_deep"
	WarnNotObject      = "not_object"
	WarnWrapped        = "wrapped"
	WarnMissing        = "missing_field"
	WarnWrongType      = "wrong_type"
	WarnIDNotULID      = "id_not_ulid"
	WarnCreatedNotUTC  = "created_not_utc"
	WarnCreatedBad     = "created_not_time"
	WarnTriggersString = "triggers_string"
	WarnDataArray      = "data_array"
	WarnDataEmpty      = "data_empty"
	WarnDataNotObject  = "data_not_object"
)

// MaxDepth is the deepest nesting read as JSON: encoding/json's own limit.
// Deeper bodies are reported, not parsed.
const MaxDepth = 10000

// Valid reports whether body is exactly one JSON value, with the answer of
// encoding/json's json.Valid (which refuses nesting deeper than MaxDepth)
// at a fraction of its cost: a listener checks every body it gets. The
// nesting is measured first, iteratively, so that gjson's recursive
// validator never recurses deeper than MaxDepth.
func Valid(body []byte) bool {
	return Depth(body) <= MaxDepth && gjson.ValidBytes(body)
}

// Parse reads body as a delivery. It never fails and never panics: what is
// missing stays empty and what is odd becomes a Warning.
func Parse(body []byte) Received {
	var d Received
	if !Valid(body) {
		if depth := Depth(body); depth > MaxDepth {
			d.warn(WarnTooDeep, "the body nests %d levels deep; JSON deeper than %d is not read", depth, MaxDepth)
			return d
		}
		d.warn(WarnNotJSON, "the body is not JSON (%d bytes)", len(body))
		return d
	}
	d.JSON = true
	if !utf8.Valid(body) {
		d.warn(WarnNotUTF8, "the body is not valid UTF-8; Hospitable sends UTF-8, with non-ASCII escaped as \\uXXXX")
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		d.warn(WarnNotObject, "the body is a JSON %s, not an object with id, action and data", Kind(root))
		return d
	}
	env := scanEnvelope(root)
	if !env.action.Exists() && !env.data.Exists() {
		if key, inner, ok := findWrapped(root); ok {
			d.Wrapped = key
			env = scanEnvelope(inner)
			d.warn(WarnWrapped, "the envelope is wrapped in {%q: …}; Hospitable sends id, action and data at the top level", key)
		}
	}
	d.readEnvelope(&env)
	return d
}

// envFields holds the top-level fields of an envelope object, found in one
// walk over its members: a listener under load reads every body once for
// validity and once here, not once per field.
type envFields struct {
	id, action, data, created, version, triggers gjson.Result
}

// envMember is one field of envFields, by its key.
type envMember struct {
	key string
	// required is set for the fields every delivery has (triggers is new
	// and optional).
	required bool
	slot     *gjson.Result
}

// members lists e's fields, in the order a missing one is named.
func (e *envFields) members() [6]envMember {
	return [...]envMember{
		{"id", true, &e.id}, {"action", true, &e.action}, {"data", true, &e.data},
		{"created", true, &e.created}, {"version", true, &e.version}, {"triggers", false, &e.triggers},
	}
}

// scanEnvelope walks obj's members once. Like gjson's Get, it keeps the
// first of duplicate keys.
func scanEnvelope(obj gjson.Result) envFields {
	var e envFields
	members := e.members()
	obj.ForEach(func(k, v gjson.Result) bool {
		for _, m := range members {
			if m.key == k.Str {
				if !m.slot.Exists() {
					*m.slot = v
				}
				break
			}
		}
		return true
	})
	return e
}

// findWrapped looks one level down for an object that holds an envelope.
func findWrapped(root gjson.Result) (string, gjson.Result, bool) {
	var key string
	var inner gjson.Result
	root.ForEach(func(k, v gjson.Result) bool {
		if v.IsObject() && v.Get("action").Exists() && v.Get("data").Exists() {
			key, inner = k.String(), v
			return false
		}
		return true
	})
	return key, inner, key != ""
}

func (d *Received) readEnvelope(env *envFields) {
	var missing []string
	for _, m := range env.members() {
		if m.required && !m.slot.Exists() {
			missing = append(missing, m.key)
		}
	}
	if len(missing) > 0 {
		d.warn(WarnMissing, "the envelope has no %s", joinAnd(missing))
	}
	d.ID = d.stringField("id", env.id)
	d.Action = d.stringField("action", env.action)
	d.Created = d.stringField("created", env.created)
	d.Version = d.stringField("version", env.version)
	if d.ID != "" && !IsULID(d.ID) {
		hint := ""
		if looksLikeUUID(d.ID) {
			hint = " (a UUID, as Hospitable's schema example shows; the docs say ULID)"
		}
		d.warn(WarnIDNotULID, "id %q is not a ULID%s", clip(d.ID, 40), hint)
	}
	if d.Created != "" {
		d.checkCreated()
	}
	d.readTriggers(env.triggers)
	d.readData(env.data)
}

// readData keeps data, for the digest, and warns when it is not the
// non-empty object Hospitable sends.
func (d *Received) readData(data gjson.Result) {
	d.data = data
	if !data.Exists() {
		return
	}
	d.DataKind = Kind(data)
	switch {
	case data.IsArray():
		d.warn(WarnDataArray, "data is an array of %d, not an object (Hospitable's docs allow it; handle both)", count(data))
	case data.IsObject():
		if empty(data) {
			d.warn(WarnDataEmpty, "data is an empty object")
		}
	default:
		d.warn(WarnDataNotObject, "data is a JSON %s, not an object", d.DataKind)
	}
}

func (d *Received) stringField(name string, v gjson.Result) string {
	if !v.Exists() {
		return ""
	}
	if v.Type != gjson.String {
		d.warn(WarnWrongType, "%s is a JSON %s, not a string", name, Kind(v))
		return ""
	}
	return v.String()
}

func (d *Received) checkCreated() {
	t, err := time.Parse(time.RFC3339Nano, d.Created)
	if err != nil {
		d.warn(WarnCreatedBad, "created %q is not an ISO 8601 time like 2026-05-08T09:35:24Z", clip(d.Created, 40))
		return
	}
	if !strings.HasSuffix(d.Created, "Z") {
		d.warn(WarnCreatedNotUTC, "created %q is not UTC (Hospitable sends Zulu time, e.g. %s)", d.Created, t.UTC().Format(time.RFC3339))
	}
}

func (d *Received) readTriggers(v gjson.Result) {
	switch {
	case !v.Exists():
	case v.Type == gjson.String:
		d.Triggers = []string{v.String()}
		d.warn(WarnTriggersString, "triggers is a string, not an array (the schema says string, live deliveries send an array; accept both)")
	case v.IsArray():
		v.ForEach(func(_, t gjson.Result) bool {
			d.Triggers = append(d.Triggers, t.String())
			return len(d.Triggers) < 32
		})
	default:
		d.warn(WarnWrongType, "triggers is a JSON %s, not an array", Kind(v))
	}
}

func (d *Received) warn(code, format string, args ...any) {
	d.Warnings = append(d.Warnings, Warning{Code: code, Message: fmt.Sprintf(format, args...)})
}

// IsULID reports whether s has the form of a ULID: 26 characters of
// Crockford's base32, the first at most 7 (a ULID's time fits 48 bits).
func IsULID(s string) bool {
	if len(s) != 26 || s[0] > '7' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if !strings.ContainsRune("0123456789ABCDEFGHJKMNPQRSTVWXYZ", rune(c)) {
			return false
		}
	}
	return true
}

func looksLikeUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// clip shortens s to at most n runes, marking the cut with "…".
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
