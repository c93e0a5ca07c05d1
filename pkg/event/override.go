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
	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
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
	cur := gjson.ParseBytes(doc)
	parts := make([]string, 0, len(segs))
	for i := range segs {
		var part string
		var err error
		switch {
		case cur.IsArray():
			part, cur, err = o.indexStep(cur, segs, i)
		case cur.IsObject():
			part, cur, err = o.keyStep(cur, segs, i)
		default:
			err = o.fail("%s is %s, not an object or array, so it has no %q", where(segs, i), describe(cur), segs[i])
		}
		if err != nil {
			return "", err
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "."), nil
}

// fail is a PathError for this override's path.
func (o Override) fail(format string, args ...any) *PathError {
	return &PathError{Path: o.Path, Reason: fmt.Sprintf(format, args...)}
}

// where names the value segs[i] is looked up in, for messages.
func where(segs []string, i int) string {
	if i == 0 {
		return "the envelope"
	}
	return strings.Join(segs[:i], ".")
}

// indexStep steps into array arr at the index segs[i]. The last segment of
// a --set may be one past the end, which appends (the child is then empty).
func (o Override) indexStep(arr gjson.Result, segs []string, i int) (string, gjson.Result, error) {
	seg, last := segs[i], i == len(segs)-1
	elems := arr.Array()
	n := len(elems)
	idx, err := strconv.Atoi(seg)
	if err != nil || idx < 0 || seg != strconv.Itoa(idx) {
		return "", gjson.Result{}, o.fail("%s is an array: index it with a number from 0 to %d, like %s.0", where(segs, i), n-1, strings.Join(segs[:i], "."))
	}
	appending := last && !o.Unset
	limit := n - 1
	if appending {
		limit = n // one past the end appends
	}
	if idx > limit {
		perr := o.fail("%s has %d elements: index %d is out of range (%s)", where(segs, i), n, idx, indexRange(n, appending))
		if o.Unset && last {
			perr.Err = ErrNotFound
		}
		return "", gjson.Result{}, perr
	}
	if idx < n {
		return seg, elems[idx], nil
	}
	return seg, gjson.Result{}, nil
}

// keyStep steps into object obj at the key segs[i]. Only the last segment
// of a --set may name a key that is not there.
func (o Override) keyStep(obj gjson.Result, segs []string, i int) (string, gjson.Result, error) {
	seg, last := segs[i], i == len(segs)-1
	child, keys, found := lookupKey(obj, seg)
	if !found && (!last || o.Unset) {
		return "", gjson.Result{}, o.missingKey(segs, i, keys)
	}
	return escapeKey(seg), child, nil
}

// lookupKey finds key among obj's members, and lists the keys it passed on
// the way (all of them when it is not there), for a suggestion.
func lookupKey(obj gjson.Result, key string) (child gjson.Result, keys []string, found bool) {
	obj.ForEach(func(k, v gjson.Result) bool {
		keys = append(keys, k.String())
		if k.String() == key {
			child, found = v, true
			return false
		}
		return true
	})
	return child, keys, found
}

// missingKey says that segs[i] is not a key of the object it names, with
// the nearest key there as a suggestion.
func (o Override) missingKey(segs []string, i int, keys []string) error {
	seg := segs[i]
	hint := ""
	if s := fixture.Suggest(seg, keys); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	if o.Unset {
		return &PathError{Path: o.Path, Err: ErrNotFound,
			Reason: fmt.Sprintf("%s has no key %q%s, so there is nothing to unset", where(segs, i), seg, hint)}
	}
	return o.fail("%s has no key %q%s; only the last segment may be new: to add an object, set it whole, like --set '%s={\"key\":1}'",
		where(segs, i), seg, hint, strings.Join(segs[:i+1], "."))
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

// describe names r's JSON type with its article, for messages: "a string",
// "null", "missing" when there is no value.
func describe(r gjson.Result) string {
	switch k := inspect.Kind(r); k {
	case "null", "missing":
		return k
	case "array", "object":
		return "an " + k
	default:
		return "a " + k
	}
}
