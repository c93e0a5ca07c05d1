package signature

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
)

// jsonVariant is one way a framework may re-encode the same JSON.
type jsonVariant struct {
	name  string
	style jsonstyle.Style
}

var jsonStyles = []jsonVariant{
	{"compact with PHP escaping", jsonstyle.PHP},
	{"compact", jsonstyle.Compact},
	{"compact with \\/ only", jsonstyle.Style{EscapeSlash: true}},
	{"compact with \\uXXXX only", jsonstyle.Style{EscapeUnicode: true}},
	{"Python json.dumps", jsonstyle.Style{Spaced: true, EscapeUnicode: true}},
	{"spaced", jsonstyle.Style{Spaced: true}},
	{"pretty-printed (2 spaces)", jsonstyle.Style{Indent: "  "}},
	{"pretty-printed (4 spaces)", jsonstyle.Style{Indent: "    "}},
	{"pretty-printed with PHP escaping", jsonstyle.Style{Indent: "    ", EscapeSlash: true, EscapeUnicode: true}},
}

// MaxExplainDepth is the deepest JSON Explain re-encodes: real deliveries
// nest about 5 levels, and a pretty-printed copy grows with the depth times
// the number of values, which a forged `[[[…]]]` makes quadratic.
const MaxExplainDepth = 100

// explainMaxBytes bounds each JSON re-encoding of a body of n bytes.
// Indented output of real JSON is a few times its compact size; the
// allowance is generous, and the depth bound keeps any one line short.
func explainMaxBytes(n int) int { return 16*n + 64<<10 }

// addJSONVariants adds the body re-encoded in every style of jsonStyles
// and as PHP's decode-to-arrays round trip, each described against the
// style the body is in. It returns why they were skipped, or "".
func addJSONVariants(set *bodySet, body []byte) string {
	doc, err := jsonstyle.Parse(body, MaxExplainDepth)
	if err != nil {
		return limitSkipped(err)
	}
	maxBytes := explainMaxBytes(len(body))
	current, crlf := currentStyle(body, doc)
	rel := relevantEscapes(doc, maxBytes)
	for _, v := range jsonStyles {
		b, err := doc.Encode(v.style, maxBytes)
		if err != nil {
			return limitSkipped(err)
		}
		s := describeReencoding(current, v, rel)
		if crlf {
			s = *withCRLF(&s)
		}
		set.add(b, s)
	}
	if b, s, ok := phpArrays(doc); ok {
		set.add(b, *s)
	}
	return ""
}

// currentStyle finds the style body is in, and whether it is in it only
// once its CRLF line endings are read as LF; nil for a mix of styles.
func currentStyle(body []byte, doc *jsonstyle.Doc) (*jsonVariant, bool) {
	if current := jsonStyleOf(body, doc); current != nil {
		return current, false
	}
	if c := crlfStyle(body, doc); c != nil {
		return c, true
	}
	return nil, false
}

// limitSkipped words why the JSON variants were not made: "" when the body
// is simply not JSON, which needs no word.
func limitSkipped(err error) string {
	if !errors.Is(err, jsonstyle.ErrLimit) {
		return ""
	}
	if errors.Is(err, jsonstyle.ErrTooDeep) {
		return fmt.Sprintf("trailing newlines, line endings, secret whitespace and encoding; the body is nested deeper than %d levels, so its JSON layout forensics were skipped", MaxExplainDepth)
	}
	return "trailing newlines, line endings, secret whitespace and encoding; re-encoding the body's JSON would have produced too many bytes, so its JSON layout forensics were skipped"
}

// escapes says which escaping choices change these particular bytes: a body
// with no "/" in its strings reads the same with or without \/ escaping, and
// naming that difference would mislead.
type escapes struct{ slash, unicode bool }

func relevantEscapes(doc *jsonstyle.Doc, maxBytes int) escapes {
	php, _ := doc.Encode(jsonstyle.PHP, maxBytes)
	noSlash, _ := doc.Encode(jsonstyle.Style{EscapeUnicode: true}, maxBytes)
	noUnicode, _ := doc.Encode(jsonstyle.Style{EscapeSlash: true}, maxBytes)
	return escapes{slash: !bytes.Equal(php, noSlash), unicode: !bytes.Equal(php, noUnicode)}
}

// jsonStyleOf finds which style body is already in (ignoring trailing
// whitespace, as jq and editors add a newline), or nil for a mix.
func jsonStyleOf(body []byte, doc *jsonstyle.Doc) *jsonVariant {
	body = bytes.TrimRight(body, " \t\r\n")
	for _, layout := range []jsonstyle.Style{{}, {Spaced: true}, {Indent: "  "}, {Indent: "    "}, {Indent: "\t"}} {
		for _, slash := range []bool{true, false} {
			for _, unicode := range []bool{true, false} {
				st := layout
				st.EscapeSlash, st.EscapeUnicode = slash, unicode
				// An encoding longer than the body cannot equal it: stop there.
				b, err := doc.Encode(st, len(body))
				if err != nil {
					continue
				}
				if bytes.Equal(b, body) {
					return &jsonVariant{name: "current", style: st}
				}
			}
		}
	}
	return nil
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

// phpArrays is the body as PHP's json_encode(json_decode($raw, true))
// writes it: json_decode with true makes objects PHP arrays, so an empty
// object comes back as [], with json_encode's default escaping. doc is the
// body, parsed within Explain's bounds; ok is false if it cannot be encoded.
func phpArrays(doc *jsonstyle.Doc) ([]byte, *Suspect, bool) {
	out, err := doc.Encode(jsonstyle.PHPArrays, 0)
	if err != nil {
		return nil, nil, false
	}
	return out, &Suspect{"body-php-arrays",
		"the JSON was decoded into PHP arrays and encoded again, json_encode(json_decode($raw, true)), which turns every empty object {} into [] (and escapes \\/ and \\uXXXX)",
		"sign and verify the raw body: file_get_contents('php://input') in plain PHP, $request->getContent() in Laravel, before any json_decode"}, true
}
