package event

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// Override is one change to an envelope: set a value at a path, or remove
// what is there. Overrides apply in the order given.
//
// A path is dot-separated, from the envelope's top: "data.guests.total",
// "data.properties.0.name", "version". A segment under an array is an index;
// under an object it is a key, even when it looks like a number. Write a
// literal dot in a key as `\.`. Every segment but the last must exist; the
// last may be a new key, or the index just past an array's end (append).
type Override struct {
	// Path is where the change applies.
	Path string
	// Value is the JSON to put there; unused when Unset is set.
	Value json.RawMessage
	// Unset removes the key or array element at Path.
	Unset bool

	segments []string
}

// ParseSet reads `path=value`. The value is taken as JSON when it is valid
// JSON (4, null, true, "4", {"a":1}) and as a string otherwise (Ana, or an
// empty value for ""), so numbers, null and objects keep their types.
func ParseSet(arg string) (Override, error) {
	path, value, ok := strings.Cut(arg, "=")
	if !ok {
		return Override{}, fmt.Errorf("bad --set %q: write path=value, like data.guests.total=4 or data.guest.first_name=Ana", arg)
	}
	segs, err := splitPath(path)
	if err != nil {
		return Override{}, err
	}
	raw := json.RawMessage(value)
	if !json.Valid(raw) {
		raw, _ = json.Marshal(value)
	}
	return Override{Path: path, Value: raw, segments: segs}, nil
}

// ParseUnset reads the path of an `--unset`.
func ParseUnset(path string) (Override, error) {
	segs, err := splitPath(path)
	if err != nil {
		return Override{}, err
	}
	return Override{Path: path, Unset: true, segments: segs}, nil
}

// String writes the override as its flag: `--set path=value` or `--unset path`.
func (o Override) String() string {
	if o.Unset {
		return "--unset " + o.Path
	}
	return "--set " + o.Path + "=" + string(o.Value)
}

// PathError reports an override path that is malformed or does not fit the
// document it is applied to.
type PathError struct {
	// Path is the path as given.
	Path string
	// Reason says what is wrong and what to write instead.
	Reason string
	// Err is ErrNotFound for an --unset of a path that holds nothing, else nil.
	Err error
}

// Error says which path is wrong and why.
func (e *PathError) Error() string { return fmt.Sprintf("bad path %q: %s", e.Path, e.Reason) }

// Unwrap returns Err.
func (e *PathError) Unwrap() error { return e.Err }

// ErrNotFound is wrapped by the error of an --unset whose path holds
// nothing.
var ErrNotFound = errors.New("nothing there")

// splitPath splits a path on dots, honouring `\.` for a literal dot.
func splitPath(path string) ([]string, error) {
	if path == "" {
		return nil, &PathError{Path: path, Reason: "it is empty; name a field, like data.guests.total"}
	}
	if !utf8.ValidString(path) {
		return nil, &PathError{Path: path, Reason: "it is not valid UTF-8"}
	}
	var segs []string
	var cur strings.Builder
	for i := 0; i < len(path); i++ {
		switch {
		case path[i] == '\\' && i+1 < len(path) && path[i+1] == '.':
			cur.WriteByte('.')
			i++
		case path[i] == '.':
			segs = append(segs, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(path[i])
		}
	}
	segs = append(segs, cur.String())
	for i, s := range segs {
		if s == "" {
			return nil, &PathError{Path: path, Reason: fmt.Sprintf("segment %d is empty; separate names with single dots, like data.guest.first_name", i+1)}
		}
	}
	return segs, nil
}

// Apply returns doc with the override applied. doc must be a JSON object;
// key order and every byte outside the changed value are kept.
func (o Override) Apply(doc []byte) ([]byte, error) {
	segs := o.segments
	if segs == nil {
		var err error
		if segs, err = splitPath(o.Path); err != nil {
			return nil, err
		}
	}
	if !o.Unset && !json.Valid(o.Value) {
		return nil, fmt.Errorf("%s: the value is not JSON", o)
	}
	sjsonPath, err := o.resolve(doc, segs)
	if err != nil {
		return nil, err
	}
	if o.Unset {
		return sjson.DeleteBytes(doc, sjsonPath)
	}
	return sjson.SetRawBytes(doc, sjsonPath, o.Value)
}

// resolve walks doc along segs, checking each step against what is really
// there, and returns the equivalent sjson path with every key escaped, so
// that sjson's own syntax (wildcards, '#', '@', '|', a leading ':', numeric
// keys) never changes what a path means.
func (o Override) resolve(doc []byte, segs []string) (string, error) {
	fail := func(format string, args ...any) error {
		return &PathError{Path: o.Path, Reason: fmt.Sprintf(format, args...)}
	}
	cur := gjson.ParseBytes(doc)
	parts := make([]string, 0, len(segs))
	for i, seg := range segs {
		last := i == len(segs)-1
		here := strings.Join(segs[:i], ".")
		if here == "" {
			here = "the envelope"
		}
		switch {
		case cur.IsArray():
			n := len(cur.Array())
			idx, err := strconv.Atoi(seg)
			if err != nil || idx < 0 || seg != strconv.Itoa(idx) {
				return "", fail("%s is an array: index it with a number from 0 to %d, like %s.0", here, n-1, strings.Join(segs[:i], "."))
			}
			limit := n - 1
			if last && !o.Unset {
				limit = n // one past the end appends
			}
			if idx > limit {
				err := fail("%s has %d elements: index %d is out of range (%s)", here, n, idx, indexRange(n, last && !o.Unset))
				if o.Unset && last {
					err.(*PathError).Err = ErrNotFound
				}
				return "", err
			}
			parts = append(parts, seg)
			if idx < n {
				cur = cur.Array()[idx]
			} else {
				cur = gjson.Result{}
			}
		case cur.IsObject():
			var child gjson.Result
			var keys []string
			found := false
			cur.ForEach(func(k, v gjson.Result) bool {
				keys = append(keys, k.String())
				if k.String() == seg {
					child, found = v, true
					return false
				}
				return true
			})
			if !found && (!last || o.Unset) {
				hint := ""
				if s := fixture.Suggest(seg, keys); s != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", s)
				}
				if o.Unset {
					return "", &PathError{Path: o.Path, Err: ErrNotFound,
						Reason: fmt.Sprintf("%s has no key %q%s, so there is nothing to unset", here, seg, hint)}
				}
				return "", fail("%s has no key %q%s; only the last segment may be new: to add an object, set it whole, like --set '%s={\"key\":1}'",
					here, seg, hint, strings.Join(segs[:i+1], "."))
			}
			parts = append(parts, escapeKey(seg))
			cur = child
		default:
			return "", fail("%s is %s, not an object or array, so it has no %q", here, describe(cur), seg)
		}
	}
	return strings.Join(parts, "."), nil
}

func indexRange(n int, canAppend bool) string {
	switch {
	case canAppend && n == 0:
		return "use 0 to append"
	case canAppend:
		return fmt.Sprintf("use 0 to %d, or %d to append", n-1, n)
	case n == 0:
		return "it is empty"
	default:
		return fmt.Sprintf("use 0 to %d", n-1)
	}
}

// escapeKey makes a key safe as one sjson path component: gjson.Escape
// handles the wildcard and modifier characters; a leading ':' (sjson's
// "treat as key" marker) is escaped too; and a key made of digits gets that
// marker, so that sjson never reads an object key as an array index.
func escapeKey(key string) string {
	esc := gjson.Escape(key)
	if strings.HasPrefix(esc, ":") {
		esc = `\` + esc
	}
	if _, err := strconv.Atoi(key); err == nil || key == "-1" {
		esc = ":" + esc
	}
	return esc
}

func describe(r gjson.Result) string {
	switch r.Type {
	case gjson.String:
		return "a string"
	case gjson.Number:
		return "a number"
	case gjson.True, gjson.False:
		return "a boolean"
	case gjson.Null:
		return "null"
	default:
		return "missing"
	}
}
