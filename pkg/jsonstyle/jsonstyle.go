// Package jsonstyle re-encodes JSON bytes in a chosen surface style while
// keeping what matters to a receiver: key order, duplicate keys and the exact
// text of numbers. Only whitespace and string escapes change.
//
// Webhook signatures cover bytes, not values, so the same event encoded by
// PHP (`{"url":"https:\/\/x"}`) and by Go or JavaScript (`{"url":"https://x"}`)
// has two different signatures. Send uses this package to produce the bytes
// Hospitable most likely produces; the signature forensics use it to rebuild
// the bytes a receiver's framework may have produced instead.
package jsonstyle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Style describes the surface of an encoding.
type Style struct {
	// EscapeSlash writes "/" as "\/", as PHP's json_encode does by default.
	EscapeSlash bool
	// EscapeUnicode writes every non-ASCII character as \uXXXX (a surrogate
	// pair above U+FFFF), as PHP's json_encode and Python's json.dumps do.
	EscapeUnicode bool
	// Indent, when set, pretty-prints with this indent per level.
	Indent string
	// Spaced separates items with ", " and keys with ": " on one line, as
	// Python's json.dumps does by default. Ignored when Indent is set.
	Spaced bool
}

// PHP is the encoding of PHP's json_encode with default flags: compact,
// "/" escaped, non-ASCII escaped. It is what Hospitable most likely sends.
var PHP = Style{EscapeSlash: true, EscapeUnicode: true}

// Compact is plain compact JSON: no spaces, raw UTF-8, "/" unescaped, as
// Go (without HTML escaping) and JavaScript's JSON.stringify produce.
var Compact = Style{}

// ErrNotJSON is returned for input that is not exactly one JSON value.
var ErrNotJSON = errors.New("not valid JSON")

// Encode re-encodes one JSON value in the given style. Input that is not a
// single valid JSON value yields an error wrapping ErrNotJSON.
func Encode(raw []byte, s Style) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	e := encoder{style: s, out: make([]byte, 0, len(raw)+len(raw)/8)}
	// Each frame records whether we are in an object and how many tokens
	// (keys and values alike) it has seen, which decides the separators.
	type frame struct {
		object bool
		n      int
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if len(stack) > 0 {
				return nil, fmt.Errorf("%w: unexpected end of input", ErrNotJSON)
			}
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotJSON, err)
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.n > 0 {
				e.newline(len(stack))
			}
			e.out = append(e.out, byte(d))
			continue
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			switch {
			case top.object && top.n%2 == 1:
				e.colon()
			case top.n > 0:
				e.comma(len(stack))
			default:
				e.newline(len(stack))
			}
			top.n++
		} else if len(e.out) > 0 {
			return nil, fmt.Errorf("%w: more than one value", ErrNotJSON)
		}
		switch v := tok.(type) {
		case json.Delim:
			e.out = append(e.out, byte(v))
			stack = append(stack, frame{object: v == '{'})
		case string:
			e.str(v)
		case json.Number:
			e.out = append(e.out, v...)
		case bool:
			if v {
				e.out = append(e.out, "true"...)
			} else {
				e.out = append(e.out, "false"...)
			}
		case nil:
			e.out = append(e.out, "null"...)
		}
	}
	if len(e.out) == 0 {
		return nil, fmt.Errorf("%w: empty input", ErrNotJSON)
	}
	return e.out, nil
}

type encoder struct {
	style Style
	out   []byte
}

func (e *encoder) newline(depth int) {
	if e.style.Indent == "" {
		return
	}
	e.out = append(e.out, '\n')
	for range depth {
		e.out = append(e.out, e.style.Indent...)
	}
}

func (e *encoder) comma(depth int) {
	e.out = append(e.out, ',')
	if e.style.Indent != "" {
		e.newline(depth)
	} else if e.style.Spaced {
		e.out = append(e.out, ' ')
	}
}

func (e *encoder) colon() {
	e.out = append(e.out, ':')
	if e.style.Indent != "" || e.style.Spaced {
		e.out = append(e.out, ' ')
	}
}

const hexDigits = "0123456789abcdef"

func (e *encoder) str(s string) {
	e.out = append(e.out, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"':
				e.out = append(e.out, '\\', '"')
			case c == '\\':
				e.out = append(e.out, '\\', '\\')
			case c == '/' && e.style.EscapeSlash:
				e.out = append(e.out, '\\', '/')
			case c == '\b':
				e.out = append(e.out, '\\', 'b')
			case c == '\f':
				e.out = append(e.out, '\\', 'f')
			case c == '\n':
				e.out = append(e.out, '\\', 'n')
			case c == '\r':
				e.out = append(e.out, '\\', 'r')
			case c == '\t':
				e.out = append(e.out, '\\', 't')
			case c < 0x20:
				e.u(rune(c))
			default:
				e.out = append(e.out, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if e.style.EscapeUnicode {
			if r >= 0x10000 {
				r -= 0x10000
				e.u(0xD800 + (r>>10)&0x3FF)
				e.u(0xDC00 + r&0x3FF)
			} else {
				e.u(r)
			}
		} else {
			e.out = append(e.out, s[i:i+size]...)
		}
		i += size
	}
	e.out = append(e.out, '"')
}

func (e *encoder) u(r rune) {
	e.out = append(e.out, '\\', 'u',
		hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}
