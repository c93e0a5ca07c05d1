package inspect

import (
	"bytes"

	"github.com/tidwall/gjson"
)

// Kind names a value's JSON type: "object", "array", "string", "number",
// "boolean" or "null", and "missing" when there is no value at all.
func Kind(v gjson.Result) string {
	switch {
	case !v.Exists():
		return "missing"
	case v.IsObject():
		return "object"
	case v.IsArray():
		return "array"
	}
	switch v.Type {
	case gjson.String:
		return "string"
	case gjson.Number:
		return "number"
	case gjson.True, gjson.False:
		return "boolean"
	default:
		return "null"
	}
}

// count returns the number of members of an object or array, walking one
// level only.
func count(v gjson.Result) int {
	n := 0
	v.ForEach(func(_, _ gjson.Result) bool { n++; return true })
	return n
}

// empty reports whether an object or array has no members, stopping at
// the first.
func empty(v gjson.Result) bool {
	none := true
	v.ForEach(func(_, _ gjson.Result) bool { none = false; return false })
	return none
}

// Depth returns how deeply the JSON in body nests (0 for a scalar). It scans
// iteratively, so any input is safe; printers use it to refuse indenting
// a body too deep to show.
func Depth(body []byte) int {
	depth, deepest := 0, 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '"':
			// Jump to the closing quote: the next one not escaped by an
			// odd run of backslashes. IndexByte scans strings, most of a
			// body, many bytes at a time.
			for {
				j := bytes.IndexByte(body[i+1:], '"')
				if j < 0 {
					return deepest
				}
				i += 1 + j
				n := 0
				for k := i - 1; body[k] == '\\'; k-- {
					n++
				}
				if n%2 == 0 {
					break
				}
			}
		case '{', '[':
			depth++
			deepest = max(deepest, depth)
		case '}', ']':
			depth--
		}
	}
	return deepest
}
