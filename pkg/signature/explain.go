package signature

import (
	"bytes"
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
)

// Candidate is a secret Explain may try, with a name for messages.
type Candidate struct {
	// Name says where the secret came from ("--secret", "HOSPITABLE_EMAIL").
	Name string
	// Secret is the key text.
	Secret string
}

// Suspect is one difference between the bytes that were signed and the bytes
// being verified (or the key, or the signature's form) that explains a
// mismatch.
type Suspect struct {
	// Code is a stable identifier, for `--json` and tests.
	Code string `json:"code"`
	// What says in plain words what differs.
	What string `json:"what"`
	// Fix says what to change.
	Fix string `json:"fix"`
}

// Finding is the result of Explain.
type Finding struct {
	// Valid is true when the signature matches the bytes and a candidate as
	// given, in Hospitable's exact form.
	Valid bool `json:"valid"`
	// Explained is true when a variant matched: Suspects say which.
	Explained bool `json:"explained"`
	// Suspects lists the differences that make the signature match, one per
	// kind (signature form, body bytes, key), simplest explanation first.
	Suspects []Suspect `json:"suspects,omitempty"`
	// Candidate names the secret that matched.
	Candidate string `json:"candidate,omitempty"`
	// Tried counts the variants tried.
	Tried int `json:"tried"`
	// Skipped says which variants were not tried, and why, when the body
	// is too large or nested too deep for the forensics' bounds.
	Skipped string `json:"skipped,omitempty"`
}

// Sentence states the finding in one plain sentence.
func (f Finding) Sentence() string {
	switch {
	case f.Valid:
		return "the signature matches the body and the secret"
	case f.Explained:
		whats := make([]string, len(f.Suspects))
		for i, s := range f.Suspects {
			whats[i] = s.What
		}
		return "the signature does not match these bytes, but it does once this is undone: " + strings.Join(whats, "; and ")
	case f.Skipped != "":
		return fmt.Sprintf("the signature matches none of %d variants tried (%s): it was computed with a different secret, or over different bytes", f.Tried, f.Skipped)
	default:
		return fmt.Sprintf("the signature matches none of %d variants tried (trailing newlines, line endings, JSON layout and escaping, secret whitespace and encoding): it was computed with a different secret, or over different bytes", f.Tried)
	}
}

// Fix says what to do about the finding, or "" when it is valid.
func (f Finding) Fix() string {
	switch {
	case f.Valid:
		return ""
	case f.Explained:
		fixes := make([]string, len(f.Suspects))
		for i, s := range f.Suspects {
			fixes[i] = s.Fix
		}
		return strings.Join(fixes, "; ")
	default:
		return "check that the secret is the one Hospitable uses (vendors: the Partner Portal; hosts: `hospitable-hook secret YOUR_PRIMARY_EMAIL`) and that you verify the raw request body, before any parsing"
	}
}

type variant struct {
	value   []byte
	suspect *Suspect
}

type keyVariant struct {
	key     string
	suspect *Suspect
}

// Explain works out why a received signature does not match body with any
// of the candidate secrets, by trying the mutations webhook developers hit
// most and naming the one that makes it match. The signature form, the body
// and the key are varied together, so a combined mistake (a pretty-printed
// body checked with a secret that has a trailing newline) is found too.
//
// The work is bounded whatever the body (see MaxExplainBody and
// MaxExplainDepth): past the bounds, the variants that would cost too much
// are skipped and Finding.Skipped says so.
func Explain(body []byte, received string, candidates []Candidate) Finding {
	sigs := signatureVariants(received)
	bodies, skipped := bodyVariants(body)
	f := Finding{Skipped: skipped}
	best := -1
	for _, c := range candidates {
		for _, k := range keyVariants(c.Secret) {
			for _, b := range bodies {
				sum := mac(b.value, []byte(k.key))
				for _, s := range sigs {
					f.Tried++
					if !hmac.Equal(sum, s.value) {
						continue
					}
					var suspects []Suspect
					for _, sp := range []*Suspect{s.suspect, b.suspect, k.suspect} {
						if sp != nil {
							suspects = append(suspects, *sp)
						}
					}
					if best == -1 || len(suspects) < best {
						best = len(suspects)
						f.Suspects, f.Candidate = suspects, c.Name
					}
				}
			}
		}
	}
	f.Valid = best == 0
	f.Explained = best > 0
	return f
}

func signatureVariants(received string) []variant {
	var out []variant
	add := func(text string, s *Suspect) {
		if b, err := hex.DecodeString(text); err == nil && len(b) == 32 {
			out = append(out, variant{b, s})
		}
	}
	if isLowerHex(received) {
		add(received, nil)
	}
	trimmed := strings.TrimSpace(received)
	if trimmed != received {
		add(strings.ToLower(trimmed), &Suspect{"signature-whitespace",
			"the signature has surrounding whitespace",
			"trim the header value before comparing"})
		received = trimmed
	}
	lower := strings.ToLower(received)
	for _, p := range []string{"sha256=", "sha256:", "hmac-sha256="} {
		if strings.HasPrefix(lower, p) {
			add(lower[len(p):], &Suspect{"signature-prefix",
				fmt.Sprintf("the signature carries a %q prefix; Hospitable sends bare hex", received[:len(p)]),
				"compare against the bare 64-character hex digest, with no prefix"})
			return out
		}
	}
	if received != lower && isLowerHex(lower) {
		add(lower, &Suspect{"signature-uppercase",
			"the signature is upper-case hex; Hospitable sends lower-case, and hash_equals or compare_digest compare the text",
			"lower-case the hex digest (or compare decoded bytes)"})
	}
	return out
}

func isLowerHex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

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

// MaxExplainBody is the largest body whose bytes Explain varies: every
// variant is a copy of the body, hashed once per key. A larger body is
// checked as it is, with the signature's and the secret's variants only.
const MaxExplainBody = 1 << 20

// MaxExplainDepth is the deepest JSON Explain re-encodes: real deliveries
// nest about 5 levels, and a pretty-printed copy grows with the depth times
// the number of values, which a forged `[[[…]]]` makes quadratic.
const MaxExplainDepth = 100

// explainMaxBytes bounds each JSON re-encoding of a body of n bytes.
// Indented output of real JSON is a few times its compact size; the
// allowance is generous, and the depth bound keeps any one line short.
func explainMaxBytes(n int) int { return 16*n + 64<<10 }

// bodyVariants returns the body and the variants of it to try, and, when
// the bounds stopped some from being made, a phrase saying which and why.
func bodyVariants(body []byte) ([]variant, string) {
	out := []variant{{value: body}}
	if len(body) > MaxExplainBody {
		return out, fmt.Sprintf("the body is larger than %d KiB, so only the signature's form and the secret's were varied; forensics of the body skipped", MaxExplainBody>>10)
	}
	seen := map[string]bool{string(body): true}
	add := func(b []byte, s Suspect) {
		if !seen[string(b)] {
			seen[string(b)] = true
			out = append(out, variant{b, &s})
		}
	}
	if b, sp := trailingCR(body); sp != nil {
		add(b, *sp)
	}
	switch {
	case bytes.HasSuffix(body, []byte("\r\n")):
		add(body[:len(body)-2], Suspect{"body-trailing-newline-added",
			"the body ends with a line break (\\r\\n) that was not signed",
			"verify the exact bytes received; do not append a newline when saving or forwarding the body"})
	case bytes.HasSuffix(body, []byte("\n")):
		add(body[:len(body)-1], Suspect{"body-trailing-newline-added",
			"the body ends with a newline that was not signed (an editor, `echo` or a logger added it)",
			"verify the exact bytes received; save bodies with `printf %s` or `--data-binary`, not `echo`"})
	}
	add(append(append([]byte{}, body...), '\n'), Suspect{"body-trailing-newline-removed",
		"the signed body ended with a newline that this body lacks (something trimmed it)",
		"do not trim the body before verifying"})
	if bytes.Contains(body, []byte("\r\n")) {
		add(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), Suspect{"body-crlf",
			"line endings were converted from LF to CRLF after signing",
			"keep the body's bytes as received; open files in binary mode"})
	} else if bytes.Contains(body, []byte("\n")) {
		add(bytes.ReplaceAll(body, []byte("\n"), []byte("\r\n")), Suspect{"body-lf",
			"line endings were converted from CRLF to LF after signing",
			"keep the body's bytes as received; open files in binary mode"})
	}
	doc, err := jsonstyle.Parse(body, MaxExplainDepth)
	if err != nil {
		return out, limitSkipped(err)
	}
	maxBytes := explainMaxBytes(len(body))
	current := jsonStyleOf(body, doc)
	crlf := false
	if current == nil {
		if c := crlfStyle(body, doc); c != nil {
			current, crlf = c, true
		}
	}
	rel := relevantEscapes(doc, maxBytes)
	for _, v := range jsonStyles {
		b, err := doc.Encode(v.style, maxBytes)
		if err != nil {
			return out, limitSkipped(err)
		}
		s := describeReencoding(current, v, rel)
		if crlf {
			s = *withCRLF(&s)
		}
		add(b, s)
	}
	if b, s, ok := phpArrays(doc); ok {
		add(b, *s)
	}
	return out, ""
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

// describeReencoding names what differs between the body's JSON style and
// the style the signed bytes had.
func describeReencoding(current *jsonVariant, signed jsonVariant, rel escapes) Suspect {
	fix := "verify the raw request body before any JSON parsing or re-serialising (Flask: request.get_data(); Express: express.raw(); Laravel: $request->getContent())"
	if current == nil {
		return Suspect{"body-reserialised",
			fmt.Sprintf("the JSON was re-serialised after signing: the signed bytes were %s JSON", signed.name), fix}
	}
	var diffs []string
	code := "body-reserialised"
	cur, sig := current.style, signed.style
	layout := func(s jsonstyle.Style) string {
		switch {
		case s.Indent != "":
			return "pretty-printed"
		case s.Spaced:
			return "spaced (\", \" and \": \")"
		}
		return "compact"
	}
	if layout(cur) != layout(sig) {
		diffs = append(diffs, fmt.Sprintf("the body is %s but the signature covers %s JSON", layout(cur), layout(sig)))
		if layout(sig) == "compact" {
			code = "body-pretty-printed"
		}
	}
	if rel.slash && cur.EscapeSlash != sig.EscapeSlash {
		if sig.EscapeSlash {
			diffs = append(diffs, `the signed bytes escaped "/" as "\/" (PHP's json_encode) and this body has plain "/"`)
		} else {
			diffs = append(diffs, `this body escapes "/" as "\/" but the signed bytes had plain "/"`)
		}
		if code == "body-reserialised" {
			code = "body-slash-escaping"
		}
	}
	if rel.unicode && cur.EscapeUnicode != sig.EscapeUnicode {
		if sig.EscapeUnicode {
			diffs = append(diffs, `the signed bytes wrote non-ASCII as \uXXXX escapes and this body has raw UTF-8`)
		} else {
			diffs = append(diffs, `this body writes non-ASCII as \uXXXX escapes but the signed bytes had raw UTF-8`)
		}
		if code == "body-reserialised" {
			code = "body-unicode-escaping"
		}
	}
	if len(diffs) > 1 {
		code = "body-reserialised"
	}
	if len(diffs) == 0 {
		diffs = append(diffs, "the bytes differ only in whitespace around the JSON value")
	}
	return Suspect{code, "the JSON was re-serialised after signing: " + strings.Join(diffs, ", and "), fix}
}

func keyVariants(secret string) []keyVariant {
	out := []keyVariant{{key: secret}}
	seen := map[string]bool{secret: true}
	add := func(k string, s Suspect) {
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, keyVariant{k, &s})
		}
	}
	if t := strings.TrimSpace(secret); t != secret {
		add(t, Suspect{"secret-whitespace",
			"the secret you gave has surrounding whitespace or a trailing newline (from a .env file, a paste or `echo`), but the signature was made without it",
			"trim the secret"})
	}
	add(secret+"\n", Suspect{"secret-trailing-newline-signer",
		"the signature was made with the secret plus a trailing newline",
		"the signer read its secret with a newline: trim it where the signature is made"})
	if strings.Contains(secret, "@") {
		add(SecretFromEmail(strings.TrimSpace(secret)), Suspect{"secret-is-email",
			"you gave the email itself as the secret, but the key is its base64 text",
			fmt.Sprintf("use %s (`hospitable-hook secret EMAIL` prints it)", Mask(SecretFromEmail(strings.TrimSpace(secret))))})
		if lower := strings.ToLower(strings.TrimSpace(secret)); lower != strings.TrimSpace(secret) {
			add(SecretFromEmail(lower), Suspect{"secret-is-email",
				"you gave the email itself as the secret, but the key is the base64 text of the lower-case email",
				"use `hospitable-hook secret` with the email exactly as your Hospitable account has it"})
		}
	}
	decoded, ok := decodeBase64(strings.TrimSpace(secret))
	if !ok {
		return out
	}
	add(decoded, Suspect{"key-decoded-email",
		fmt.Sprintf("the signature was made with the decoded email %q as the key; the key is the base64 text itself", withoutLineEnd(decoded)),
		"use the base64 text as the HMAC key, without decoding it"})
	if d := strings.TrimRight(decoded, "\r\n"); d != decoded {
		add(SecretFromEmail(d), Suspect{"secret-echo-newline",
			"your secret encodes the email plus a trailing newline (made with `echo EMAIL | base64`), but Hospitable encodes the email alone",
			"make it with `printf %s EMAIL | base64` or `hospitable-hook secret EMAIL`"})
	} else {
		add(SecretFromEmail(decoded+"\n"), Suspect{"key-echo-newline",
			"the signature was made with a key that encodes the email plus a trailing newline (`echo EMAIL | base64`)",
			"make the secret with `printf %s EMAIL | base64` or `hospitable-hook secret EMAIL`"})
	}
	if padded := SecretFromEmail(decoded); padded != strings.TrimSpace(secret) {
		add(padded, Suspect{"secret-padding",
			"your secret is not the standard padded base64 of the email (missing \"=\" padding or URL-safe letters), but the signature uses the standard form",
			fmt.Sprintf("use %s (`hospitable-hook secret EMAIL` prints it)", Mask(padded))})
	} else {
		add(base64.RawStdEncoding.EncodeToString([]byte(decoded)), Suspect{"key-unpadded",
			"the signature was made with the base64 secret without its \"=\" padding",
			"keep the padding: the key is the standard padded base64 text"})
	}
	if lower := strings.ToLower(decoded); lower != decoded {
		add(SecretFromEmail(lower), Suspect{"key-email-case",
			"the signature was made from the lower-case email; the secret depends on the email's exact bytes, case included",
			"encode the primary email exactly as your Hospitable account spells it"})
	}
	return out
}

// decodeBase64 decodes s when it is base64 of printable text, which is what
// a Hospitable personal secret decodes to.
func decodeBase64(s string) (string, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.Strict().DecodeString(s)
		if err != nil || len(b) == 0 {
			continue
		}
		for _, r := range string(b) {
			if !unicode.IsPrint(r) && r != '\n' && r != '\r' {
				return "", false
			}
		}
		return string(b), true
	}
	return "", false
}

// withoutLineEnd drops the newline a secret read from a file usually ends with.
func withoutLineEnd(s string) string { return strings.TrimRight(s, "\r\n") }
