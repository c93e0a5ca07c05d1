package check

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"

	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
)

// decodeEmail decodes a personal secret (base64 of an email) back to the
// email.
func decodeEmail(secret string) (string, bool) {
	b, err := base64.StdEncoding.Strict().DecodeString(secret)
	if err != nil || !bytes.Contains(b, []byte("@")) {
		return "", false
	}
	for _, r := range string(b) {
		if !unicode.IsPrint(r) {
			return "", false
		}
	}
	return string(b), true
}

func goMarshal(b []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// stringify is JSON.stringify(JSON.parse(b)): compact, raw UTF-8, numbers
// in their shortest form (1.0 → 1).
func stringify(b []byte) ([]byte, error) {
	c, err := jsonstyle.Encode(b, jsonstyle.Compact)
	if err != nil {
		return nil, err
	}
	return mapNumbers(c, func(tok []byte) []byte {
		f, err := strconv.ParseFloat(string(tok), 64)
		if err != nil {
			return tok
		}
		return []byte(strconv.FormatFloat(f, 'f', -1, 64))
	}), nil
}

// phpRoundTrip is PHP's json_encode(json_decode($raw, true)): PHP escapes,
// and every {} an empty array, [] (as verify's forensics name it).
func phpRoundTrip(b []byte) ([]byte, error) {
	return jsonstyle.Encode(b, jsonstyle.PHPArrays)
}

// mapNumbers rewrites compact JSON c with num applied to each number
// token; strings are left alone.
func mapNumbers(c []byte, num func([]byte) []byte) []byte {
	out := make([]byte, 0, len(c))
	inStr, esc := false, false
	for i := 0; i < len(c); i++ {
		ch := c[i]
		switch {
		case inStr:
			out = append(out, ch)
			switch {
			case esc:
				esc = false
			case ch == '\\':
				esc = true
			case ch == '"':
				inStr = false
			}
		case ch == '"':
			inStr = true
			out = append(out, ch)
		case ch == '-' || ch >= '0' && ch <= '9':
			j := i
			for j < len(c) && strings.IndexByte("+-.eE0123456789", c[j]) >= 0 {
				j++
			}
			out = append(out, num(c[i:j])...)
			i = j - 1
		default:
			out = append(out, ch)
		}
	}
	return out
}
