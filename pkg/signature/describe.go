package signature

import (
	"fmt"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
)

// reserialisedFix is what to do about any re-serialised body.
const reserialisedFix = "verify the raw request body before any JSON parsing or re-serialising (Flask: request.get_data(); Express: express.raw(); Laravel: $request->getContent())"

// describeReencoding names what differs between the body's JSON style and
// the style the signed bytes had.
func describeReencoding(current *jsonVariant, signed jsonVariant, rel escapes) Suspect {
	if current == nil {
		return Suspect{"body-reserialised",
			fmt.Sprintf("the JSON was re-serialised after signing: the signed bytes were %s JSON", signed.name), reserialisedFix}
	}
	cur, sig := current.style, signed.style
	var diffs []styleDiff
	for _, d := range []styleDiff{layoutDiff(cur, sig), slashDiff(cur, sig, rel), unicodeDiff(cur, sig, rel)} {
		if d.what != "" {
			diffs = append(diffs, d)
		}
	}
	switch len(diffs) {
	case 0:
		return Suspect{"body-reserialised", "the JSON was re-serialised after signing: the bytes differ only in whitespace around the JSON value", reserialisedFix}
	case 1:
		return Suspect{diffs[0].code, "the JSON was re-serialised after signing: " + diffs[0].what, reserialisedFix}
	}
	whats := make([]string, len(diffs))
	for i, d := range diffs {
		whats[i] = d.what
	}
	return Suspect{"body-reserialised", "the JSON was re-serialised after signing: " + strings.Join(whats, ", and "), reserialisedFix}
}

// styleDiff is one way two JSON styles differ, with the suspect code it
// gets when it is the only difference; what is "" when they do not differ.
type styleDiff struct{ code, what string }

// layoutName names a style's layout.
func layoutName(s jsonstyle.Style) string {
	switch {
	case s.Indent != "":
		return "pretty-printed"
	case s.Spaced:
		return "spaced (\", \" and \": \")"
	}
	return "compact"
}

// layoutDiff compares the layouts: only a compact signature over a body
// laid out otherwise is "pretty-printed"; any other layout change is a
// plain re-serialisation.
func layoutDiff(cur, sig jsonstyle.Style) styleDiff {
	c, s := layoutName(cur), layoutName(sig)
	if c == s {
		return styleDiff{}
	}
	code := "body-reserialised"
	if s == "compact" {
		code = "body-pretty-printed"
	}
	return styleDiff{code, fmt.Sprintf("the body is %s but the signature covers %s JSON", c, s)}
}

// slashDiff compares the escaping of "/", when the body has one to escape.
func slashDiff(cur, sig jsonstyle.Style, rel escapes) styleDiff {
	return escapeDiff(rel.slash, cur.EscapeSlash, sig.EscapeSlash, "body-slash-escaping",
		`the signed bytes escaped "/" as "\/" (PHP's json_encode) and this body has plain "/"`,
		`this body escapes "/" as "\/" but the signed bytes had plain "/"`)
}

// unicodeDiff compares the escaping of non-ASCII, when the body has any.
func unicodeDiff(cur, sig jsonstyle.Style, rel escapes) styleDiff {
	return escapeDiff(rel.unicode, cur.EscapeUnicode, sig.EscapeUnicode, "body-unicode-escaping",
		`the signed bytes wrote non-ASCII as \uXXXX escapes and this body has raw UTF-8`,
		`this body writes non-ASCII as \uXXXX escapes but the signed bytes had raw UTF-8`)
}

// escapeDiff compares one escaping choice, when it changes these bytes
// (relevant): signedEscapes is said when only the signed bytes escaped,
// bodyEscapes when only the body does.
func escapeDiff(relevant, cur, sig bool, code, signedEscapes, bodyEscapes string) styleDiff {
	switch {
	case !relevant || cur == sig:
		return styleDiff{}
	case sig:
		return styleDiff{code, signedEscapes}
	}
	return styleDiff{code, bodyEscapes}
}

// withCRLF adds to a re-serialisation suspect that the body's line endings
// are CRLF as well, so both changes are named.
func withCRLF(s *Suspect) *Suspect {
	c := *s
	c.What += `, and its line endings are CRLF (\r\n)`
	c.Fix += "; keep the body's bytes as received (open files in binary mode)"
	return &c
}
