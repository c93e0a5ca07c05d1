package signature

import (
	"bytes"

	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
)

// More body variants for Explain, each a mistake seen against real
// receivers: kept apart from explain.go so that file's search stays as it is.

// trailingCR is the variant of a body that ends with a lone carriage
// return (a Windows tool or a paste added it), and the suspect naming it.
func trailingCR(body []byte) ([]byte, *Suspect) {
	if !bytes.HasSuffix(body, []byte("\r")) {
		return nil, nil
	}
	return body[:len(body)-1], &Suspect{"body-trailing-cr-added",
		`the body ends with a carriage return (\r) that was not signed (a Windows tool or a paste added it)`,
		"verify the exact bytes received; save bodies in binary mode and do not add line endings"}
}

// crlfStyle finds the JSON style of a body whose line endings are CRLF:
// jsonStyleOf knows only LF layouts, so a pretty-printed body with CRLF
// endings would otherwise be described as a mix of styles.
func crlfStyle(body []byte, doc *jsonstyle.Doc) *jsonVariant {
	if !bytes.Contains(body, []byte("\r\n")) {
		return nil
	}
	return jsonStyleOf(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), doc)
}

// withCRLF adds to a re-serialisation suspect that the body's line endings
// are CRLF as well, so both changes are named.
func withCRLF(s *Suspect) *Suspect {
	c := *s
	c.What += `, and its line endings are CRLF (\r\n)`
	c.Fix += "; keep the body's bytes as received (open files in binary mode)"
	return &c
}

// phpArrays is the body as PHP's json_encode(json_decode($raw, true))
// writes it: json_decode with true makes objects PHP arrays, so an empty
// object comes back as [], with json_encode's default escaping. doc is the
// body, parsed within Explain's bounds; ok is false if it cannot be encoded.
func phpArrays(doc *jsonstyle.Doc) ([]byte, *Suspect, bool) {
	b, err := doc.Encode(jsonstyle.PHP, 0)
	if err != nil {
		return nil, nil, false
	}
	return EmptyObjectsAsArrays(b), &Suspect{"body-php-arrays",
		"the JSON was decoded into PHP arrays and encoded again, json_encode(json_decode($raw, true)), which turns every empty object {} into [] (and escapes \\/ and \\uXXXX)",
		"sign and verify the raw body: file_get_contents('php://input') in plain PHP, $request->getContent() in Laravel, before any json_decode"}, true
}

// EmptyObjectsAsArrays rewrites every empty object {} of compact JSON b as
// an empty array [], as PHP's json_decode($raw, true) then json_encode
// does; strings are left alone. check's probes sign that round trip too.
func EmptyObjectsAsArrays(b []byte) []byte {
	out := make([]byte, 0, len(b))
	inString, escaped := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inString:
			inString = escaped || c != '"'
			escaped = !escaped && c == '\\'
		case c == '"':
			inString = true
		case c == '{' && i+1 < len(b) && b[i+1] == '}':
			out = append(out, '[', ']')
			i++
			continue
		}
		out = append(out, c)
	}
	return out
}
