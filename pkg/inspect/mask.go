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
	m := masker{body: body, out: make([]byte, 0, len(body))}
	for m.i < len(body) {
		m.step(body[m.i])
	}
	return m.out
}

// masker is MaskPII's walk: the bytes read so far (i), those written, and
// the open objects and arrays.
type masker struct {
	body, out []byte
	i         int
	stack     []maskFrame
	// maskNext is set when the next value belongs to a personal key.
	maskNext bool
}

// maskFrame is one open object or array.
type maskFrame struct {
	object bool
	mask   bool // inside a value under a personal key
	key    bool // in an object, the next string is a key
}

// step handles the byte at m.i and what it starts: structure is copied as
// it is, strings and scalars go through str and scalar.
func (m *masker) step(c byte) {
	switch {
	case c == '{' || c == '[':
		m.open(c)
	case c == '}' || c == ']':
		m.stack = m.stack[:len(m.stack)-1]
		m.copyTo(m.i + 1)
	case c == ',':
		m.comma()
	case c == '"':
		m.str()
	case c == '-' || c >= '0' && c <= '9':
		m.scalar(m.scan("+-.0123456789eE"), true)
	case c == 't' || c == 'f' || c == 'n':
		m.scalar(m.scan("abcdefghijklmnopqrstuvwxyz"), false)
	default: // whitespace and ':'
		m.copyTo(m.i + 1)
	}
}

// comma copies a separator; in an object, a key comes next.
func (m *masker) comma() {
	if top := len(m.stack) - 1; top >= 0 && m.stack[top].object {
		m.stack[top].key = true
	}
	m.copyTo(m.i + 1)
}

// inMask reports whether the value at hand is masked.
func (m *masker) inMask() bool {
	return m.maskNext || len(m.stack) > 0 && m.stack[len(m.stack)-1].mask
}

// copyTo writes the bytes up to end as they are and moves past them.
func (m *masker) copyTo(end int) {
	m.out = append(m.out, m.body[m.i:end]...)
	m.i = end
}

// open enters an object or array, masked whole when its key is personal.
func (m *masker) open(c byte) {
	m.stack = append(m.stack, maskFrame{object: c == '{', mask: m.inMask(), key: c == '{'})
	m.maskNext = false
	m.copyTo(m.i + 1)
}

// str handles a string: a key decides whether its value is masked; a
// value under a personal key is masked unless it is empty.
func (m *masker) str() {
	end := stringEnd(m.body, m.i)
	if top := len(m.stack) - 1; top >= 0 && m.stack[top].object && m.stack[top].key {
		m.stack[top].key = false
		m.maskNext = IsPersonalKey(unquote(m.body[m.i:end]))
		m.copyTo(end)
		return
	}
	m.scalar(end, end-m.i > 2)
}

// scan returns the index past the run of chars starting at i.
func (m *masker) scan(chars string) int {
	j := m.i
	for j < len(m.body) && strings.IndexByte(chars, m.body[j]) >= 0 {
		j++
	}
	return j
}

// scalar writes the value up to end, or "[masked]" in its place when it
// is maskable and under a personal key.
func (m *masker) scalar(end int, maskable bool) {
	if maskable && m.inMask() {
		m.out = append(m.out, '"')
		m.out = append(m.out, Masked...)
		m.out = append(m.out, '"')
		m.i = end
	} else {
		m.copyTo(end)
	}
	m.maskNext = false
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
