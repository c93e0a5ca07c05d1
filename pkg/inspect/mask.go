package inspect

import (
	"encoding/json"
	"strings"
)

// Masked replaces a personal value in displayed JSON.
const Masked = "[masked]"

// IsPersonalKey reports whether values under this object key are personal
// data or secrets that a display masks: email addresses, phone numbers,
// passwords (the Wi-Fi password in property details) and access codes.
func IsPersonalKey(key string) bool {
	k := strings.ToLower(key)
	for _, part := range []string{"email", "phone", "password", "passcode"} {
		if strings.Contains(k, part) {
			return true
		}
	}
	switch k {
	case "door_code", "access_code", "lock_code", "security_code", "secret", "token":
		return true
	}
	return false
}

// MaskPII returns a copy of the JSON body with every string or number under
// a personal key (see IsPersonalKey), at any depth and inside arrays such as
// phone_numbers, replaced by "[masked]". Everything else keeps its exact
// bytes and order. A body that is not valid JSON comes back unchanged.
//
// It walks the bytes with an explicit stack rather than recursion, so any
// nesting is safe.
func MaskPII(body []byte) []byte {
	if !json.Valid(body) {
		return body
	}
	type frame struct {
		object bool
		mask   bool // inside a value under a personal key
		key    bool // in an object, the next string is a key
	}
	out := make([]byte, 0, len(body))
	var stack []frame
	maskNext := false // the next value belongs to a personal key
	inMask := func() bool { return maskNext || len(stack) > 0 && stack[len(stack)-1].mask }
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '{' || c == '[':
			stack = append(stack, frame{object: c == '{', mask: inMask(), key: c == '{'})
			maskNext = false
			out = append(out, c)
			i++
		case c == '}' || c == ']':
			stack = stack[:len(stack)-1]
			out = append(out, c)
			i++
		case c == ',':
			if top := len(stack) - 1; top >= 0 && stack[top].object {
				stack[top].key = true
			}
			out = append(out, c)
			i++
		case c == '"':
			end := stringEnd(body, i)
			s := body[i:end]
			top := len(stack) - 1
			if top >= 0 && stack[top].object && stack[top].key {
				stack[top].key = false
				maskNext = IsPersonalKey(unquote(s))
				out = append(out, s...)
			} else {
				if inMask() && len(s) > 2 {
					out = append(out, '"')
					out = append(out, Masked...)
					out = append(out, '"')
				} else {
					out = append(out, s...)
				}
				maskNext = false
			}
			i = end
		case c == '-' || c >= '0' && c <= '9':
			j := i
			for j < len(body) && strings.IndexByte("+-.0123456789eE", body[j]) >= 0 {
				j++
			}
			if inMask() {
				out = append(out, '"')
				out = append(out, Masked...)
				out = append(out, '"')
			} else {
				out = append(out, body[i:j]...)
			}
			maskNext = false
			i = j
		case c == 't' || c == 'f' || c == 'n':
			j := i
			for j < len(body) && body[j] >= 'a' && body[j] <= 'z' {
				j++
			}
			out = append(out, body[i:j]...)
			maskNext = false
			i = j
		default: // whitespace and ':'
			out = append(out, c)
			i++
		}
	}
	return out
}

// stringEnd returns the index just past the JSON string starting at i.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

func unquote(s []byte) string {
	if strings.IndexByte(string(s), '\\') < 0 {
		return string(s[1 : len(s)-1])
	}
	var out string
	if json.Unmarshal(s, &out) != nil {
		return ""
	}
	return out
}
