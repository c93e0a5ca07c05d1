package anonymize

import (
	"encoding/json"
	"errors"
)

// leaf is a string or number in a JSON document, with where it is.
type leaf struct {
	// start and end delimit the token's bytes (quotes included).
	start, end int
	// keys is the path of object keys down to the token; array indexes
	// are left out, so phone_numbers[0] has the path of phone_numbers.
	keys []string
	// str says the token is a string; value is then its decoded text, else
	// the number as written.
	str   bool
	value string
}

// last returns the n-th key from the end ("" when the path is shorter).
func (l leaf) last(n int) string {
	if len(l.keys) < n {
		return ""
	}
	return l.keys[len(l.keys)-n]
}

var errNotJSON = errors.New("not valid JSON")

// scan lists the strings and numbers of b, a valid JSON document, in order.
type scanner struct {
	b      []byte
	leaves []leaf
}

func scan(b []byte) ([]leaf, error) {
	if !json.Valid(b) {
		return nil, errNotJSON
	}
	s := &scanner{b: b}
	s.value(s.ws(0), nil)
	return s.leaves, nil
}

func (s *scanner) ws(i int) int {
	for i < len(s.b) && (s.b[i] == ' ' || s.b[i] == '\t' || s.b[i] == '\n' || s.b[i] == '\r') {
		i++
	}
	return i
}

// strEnd returns the index just past the string starting at i.
func (s *scanner) strEnd(i int) int {
	for j := i + 1; j < len(s.b); j++ {
		switch s.b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s.b)
}

func (s *scanner) decode(start, end int) string {
	var v string
	_ = json.Unmarshal(s.b[start:end], &v)
	return v
}

// value reads the value at i and returns the index just past it.
func (s *scanner) value(i int, keys []string) int {
	switch c := s.b[i]; {
	case c == '{':
		return s.object(i, keys)
	case c == '[':
		return s.array(i, keys)
	case c == '"':
		end := s.strEnd(i)
		s.leaves = append(s.leaves, leaf{start: i, end: end, keys: keys, str: true, value: s.decode(i, end)})
		return end
	case c == '-' || (c >= '0' && c <= '9'):
		end := i
		for end < len(s.b) && isNumByte(s.b[end]) {
			end++
		}
		s.leaves = append(s.leaves, leaf{start: i, end: end, keys: keys, value: string(s.b[i:end])})
		return end
	default: // true, false, null
		for i < len(s.b) && s.b[i] >= 'a' && s.b[i] <= 'z' {
			i++
		}
		return i
	}
}

// object reads the object at i, each value under its key.
func (s *scanner) object(i int, keys []string) int {
	i = s.ws(i + 1)
	if s.b[i] == '}' {
		return i + 1
	}
	for {
		kEnd := s.strEnd(i)
		key := s.decode(i, kEnd)
		i = s.ws(s.ws(kEnd) + 1) // past ':'
		i = s.ws(s.value(i, append(keys[:len(keys):len(keys)], key)))
		if s.b[i] == '}' {
			return i + 1
		}
		i = s.ws(i + 1) // past ','
	}
}

// array reads the array at i; its items keep the array's keys.
func (s *scanner) array(i int, keys []string) int {
	i = s.ws(i + 1)
	if s.b[i] == ']' {
		return i + 1
	}
	for {
		i = s.ws(s.value(i, keys))
		if s.b[i] == ']' {
			return i + 1
		}
		i = s.ws(i + 1) // past ','
	}
}

func isNumByte(c byte) bool {
	return c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || (c >= '0' && c <= '9')
}
