package capture

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendRecord appends rec as one capture line, newline included, byte
// for byte as Marshal's encoding/json would write it (fields in order,
// header names sorted, HTML characters kept, invalid UTF-8 as \ufffd,
// U+2028 and U+2029 escaped). A listener writes one line per delivery
// before answering; encoding/json's reflection, its sorted-map copy and a
// fresh buffer each time cost more than the write itself. It reports false
// for what only encoding/json can say (a time outside years 0-9999, which
// it refuses), so the caller falls back to Marshal and its error.
// FuzzAppendRecord holds it to Marshal's bytes.
func appendRecord(b []byte, rec *Record) ([]byte, bool) {
	if y := rec.ReceivedAt.Year(); y < 0 || y > 9999 {
		return b, false
	}
	b = append(b, `{"received_at":"`...)
	b = rec.ReceivedAt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","method":`...)
	b = appendString(b, rec.Method)
	b = append(b, `,"path":`...)
	b = appendString(b, rec.Path)
	b = append(b, `,"remote_addr":`...)
	b = appendString(b, rec.RemoteAddr)
	b = append(b, `,"headers":`...)
	b = appendHeaders(b, rec.Headers)
	b = appendBody(b, rec)
	b = append(b, `,"verified":`...)
	b = strconv.AppendBool(b, rec.Verified)
	for _, f := range []struct{ key, v string }{{`,"reason":`, rec.Reason}, {`,"action":`, rec.Action}, {`,"id":`, rec.ID}} {
		if f.v != "" {
			b = append(b, f.key...)
			b = appendString(b, f.v)
		}
	}
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(rec.Status), 10)
	return append(b, "}\n"...), true
}

// appendHeaders writes the headers as encoding/json writes a map: names
// sorted, a nil list as null.
func appendHeaders(b []byte, h map[string][]string) []byte {
	if h == nil {
		return append(b, "null"...)
	}
	b = append(b, '{')
	names := make([]string, 0, 16)
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	for i, k := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendStrings(b, h[k])
	}
	return append(b, '}')
}

// appendStrings writes vs as a JSON array, or null when it is nil.
func appendStrings(b []byte, vs []string) []byte {
	if vs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for j, v := range vs {
		if j > 0 {
			b = append(b, ',')
		}
		b = appendString(b, v)
	}
	return append(b, ']')
}

// appendBody writes the body fields, each omitted when empty as its
// omitempty tag says.
func appendBody(b []byte, rec *Record) []byte {
	if rec.Body != nil {
		b = append(b, `,"body":`...)
		b = appendString(b, *rec.Body)
	}
	if rec.BodyBase64 != "" {
		b = append(b, `,"body_base64":`...)
		b = appendString(b, rec.BodyBase64)
	}
	if rec.BodyTruncated {
		b = append(b, `,"body_truncated":true`...)
	}
	if rec.BodySize != 0 {
		b = append(b, `,"body_size":`...)
		b = strconv.AppendInt(b, rec.BodySize, 10)
	}
	return b
}

const hexDigits = "0123456789abcdef"

// shortEscape is the letter encoding/json escapes an ASCII byte with after
// a backslash, or 0 for a control byte written as \u00XX.
var shortEscape = [utf8.RuneSelf]byte{'"': '"', '\\': '\\', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't'}

// appendString writes s as encoding/json does with HTML escaping off.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			if e := shortEscape[c]; e != 0 {
				b = append(b, '\\', e)
			} else {
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
