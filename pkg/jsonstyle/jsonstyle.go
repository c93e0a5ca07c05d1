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
	"strconv"
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
	// EmptyObjectsAsArrays writes every empty object {} as [], as PHP does
	// once json_decode($raw, true) has made its objects arrays.
	EmptyObjectsAsArrays bool
}

// PHP is the encoding of PHP's json_encode with default flags: compact,
// "/" escaped, non-ASCII escaped. It is what Hospitable most likely sends.
var PHP = Style{EscapeSlash: true, EscapeUnicode: true}

// PHPArrays is PHP's json_encode(json_decode($raw, true)), the round trip
// a PHP receiver makes when it decodes a body to arrays and encodes it
// again: PHP's escaping, and every empty object written as [].
var PHPArrays = Style{EscapeSlash: true, EscapeUnicode: true, EmptyObjectsAsArrays: true}

// Compact is plain compact JSON: no spaces, raw UTF-8, "/" unescaped, as
// Go (without HTML escaping) and JavaScript's JSON.stringify produce.
var Compact = Style{}

// ErrNotJSON is returned for input that is not exactly one JSON value.
var ErrNotJSON = errors.New("not valid JSON")

// ErrLimit is returned by EncodeLimited when the input nests deeper, or the
// output grows larger, than the limits allow: ErrTooDeep and ErrTooLarge
// say which, and both match ErrLimit with errors.Is.
var ErrLimit = errors.New("over the limit")

// ErrTooDeep is ErrLimit for input nested deeper than Limits.MaxDepth.
var ErrTooDeep = fmt.Errorf("nested too deep: %w", ErrLimit)

// ErrTooLarge is ErrLimit for output larger than Limits.MaxBytes.
var ErrTooLarge = fmt.Errorf("output too large: %w", ErrLimit)

// Limits bound what one encoding may cost. Indenting is what makes them
// necessary: each line of pretty-printed JSON repeats the indent once per
// level, so a forged `[[[…]]]` 10,000 deep (20 KB) pretty-prints to 200 MB.
type Limits struct {
	// MaxDepth is the deepest nesting encoded; 0 means no limit.
	MaxDepth int
	// MaxBytes is the largest output produced; 0 means no limit.
	MaxBytes int
}

// Encode re-encodes one JSON value in the given style. Input that is not a
// single valid JSON value yields an error wrapping ErrNotJSON.
func Encode(raw []byte, s Style) ([]byte, error) {
	return EncodeLimited(raw, s, Limits{})
}

// EncodeLimited is Encode with bounds on the nesting and on the output
// size: past either it stops at once with an error wrapping ErrLimit, having
// spent no more than the limits allow. Callers on outside input use it.
func EncodeLimited(raw []byte, s Style, lim Limits) ([]byte, error) {
	d, err := Parse(raw, lim.MaxDepth)
	if err != nil {
		return nil, err
	}
	return d.Encode(s, lim.MaxBytes)
}

// Doc is one JSON value read into its tokens, to be encoded in several
// styles without decoding it again each time.
type Doc struct {
	toks []json.Token
	size int
}

// Parse reads one JSON value. Input that is not a single valid JSON value
// yields an error wrapping ErrNotJSON; nesting deeper than maxDepth (when
// it is not 0) one wrapping ErrLimit, found before anything is encoded.
func Parse(raw []byte, maxDepth int) (*Doc, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	d := &Doc{size: len(raw)}
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if depth > 0 {
				return nil, fmt.Errorf("%w: unexpected end of input", ErrNotJSON)
			}
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotJSON, err)
		}
		if depth == 0 && len(d.toks) > 0 {
			return nil, fmt.Errorf("%w: more than one value", ErrNotJSON)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			if maxDepth > 0 && depth > maxDepth {
				return nil, fmt.Errorf("%w: deeper than %d levels", ErrTooDeep, maxDepth)
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		d.toks = append(d.toks, tok)
	}
	if len(d.toks) == 0 {
		return nil, fmt.Errorf("%w: empty input", ErrNotJSON)
	}
	return d, nil
}

// Encode writes the value in the given style. Past maxBytes of output (when
// it is not 0) it stops with an error wrapping ErrLimit.
func (d *Doc) Encode(s Style, maxBytes int) ([]byte, error) {
	capacity := d.size + d.size/8
	if maxBytes > 0 {
		capacity = min(capacity, maxBytes)
	}
	e := encoder{style: s, out: make([]byte, 0, capacity)}
	for _, tok := range d.toks {
		if maxBytes > 0 && len(e.out) > maxBytes {
			return nil, fmt.Errorf("%w: past %d bytes", ErrTooLarge, maxBytes)
		}
		e.token(tok)
	}
	if maxBytes > 0 && len(e.out) > maxBytes {
		return nil, fmt.Errorf("%w: past %d bytes", ErrTooLarge, maxBytes)
	}
	return e.out, nil
}

// frame is one open object or array: whether it is an object, and how many
// tokens (keys and values alike) it has seen, which decides the separators.
type frame struct {
	object bool
	n      int
}

type encoder struct {
	style Style
	out   []byte
	stack []frame
}

// token writes one token with the separator before it.
func (e *encoder) token(tok json.Token) {
	if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
		e.close(byte(d))
		return
	}
	e.separate()
	e.value(tok)
}

// close ends the innermost object or array, on its own line when it holds
// anything.
func (e *encoder) close(d byte) {
	top := e.stack[len(e.stack)-1]
	e.stack = e.stack[:len(e.stack)-1]
	if top.object && top.n == 0 && e.style.EmptyObjectsAsArrays {
		e.out[len(e.out)-1] = '[' // the '{' just written
		e.out = append(e.out, ']')
		return
	}
	if top.n > 0 {
		e.newline(len(e.stack))
	}
	e.out = append(e.out, d)
}

// separate writes what goes before a token inside an object or array: a
// colon after a key, a comma between members, a line break before the first.
func (e *encoder) separate() {
	if len(e.stack) == 0 {
		return
	}
	top := &e.stack[len(e.stack)-1]
	switch {
	case top.object && top.n%2 == 1:
		e.colon()
	case top.n > 0:
		e.comma(len(e.stack))
	default:
		e.newline(len(e.stack))
	}
	top.n++
}

// value writes a scalar, or opens an object or array.
func (e *encoder) value(tok json.Token) {
	switch v := tok.(type) {
	case json.Delim:
		e.out = append(e.out, byte(v))
		e.stack = append(e.stack, frame{object: v == '{'})
	case string:
		e.str(v)
	case json.Number:
		e.out = append(e.out, v...)
	case bool:
		e.out = strconv.AppendBool(e.out, v)
	case nil:
		e.out = append(e.out, "null"...)
	}
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
