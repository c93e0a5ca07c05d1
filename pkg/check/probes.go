package check

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// Probe is a delivery signed one of the usual wrong ways. Hospitable never
// sends it, so a correct endpoint refuses it; an endpoint that accepts it
// has the bug it names. Each probe differs from a valid delivery in one
// way only, so that it isolates one bug.
type Probe struct {
	// Name is stable and kebab-case.
	Name string
	// Sent says what is sent.
	Sent string
	// Cause says what an endpoint that accepts it does wrong.
	Cause string
	// Fix says what to change.
	Fix string
	// Lenient marks a probe an endpoint may harmlessly accept as well as
	// the valid form (a case-insensitive comparison, a second header).
	Lenient bool
	// make turns a valid PHP-encoded body into what the probe posts.
	make func(in probeInput) (body []byte, sig string, header http.Header)
}

type probeInput struct {
	body           []byte
	secret, email  string
	previousSecret string
}

func hmacHex(body []byte, key string) string { return signature.Sign(body, key) }

// signedWith is a probe that signs the body as it is with another key.
func signedWith(key func(probeInput) string) func(probeInput) ([]byte, string, http.Header) {
	return func(in probeInput) ([]byte, string, http.Header) { return in.body, hmacHex(in.body, key(in)), nil }
}

// signedOver is a probe that posts the body as it is, signed over other
// bytes: what an endpoint that changes the body before verifying computes.
func signedOver(f func([]byte) ([]byte, error)) func(probeInput) ([]byte, string, http.Header) {
	return func(in probeInput) ([]byte, string, http.Header) {
		b, err := f(in.body)
		if err != nil {
			return nil, "", nil
		}
		return in.body, hmacHex(b, in.secret), nil
	}
}

// inHeader is a probe whose valid signature comes in another header, and
// none in Signature.
func inHeader(name, prefix string) func(probeInput) ([]byte, string, http.Header) {
	return func(in probeInput) ([]byte, string, http.Header) {
		return in.body, "", http.Header{http.CanonicalHeaderKey(name): {prefix + hmacHex(in.body, in.secret)}}
	}
}

const rawFix = "verify the signature on the raw request bytes (Express express.raw() or the verify hook of express.json, Flask request.get_data(), Django request.body, PHP file_get_contents('php://input'), Rails request.raw_post, Go io.ReadAll(r.Body)) before any JSON parsing"

// Probes returns every probe that applies to these secrets, in report
// order: keys, signature forms, headers, then bodies.
func Probes(secret, previousSecret string) []Probe {
	email, isEmail := decodeEmail(secret)
	var ps []Probe
	if isEmail {
		ps = append(ps, Probe{Name: "key-decoded-email", Sent: "signed with the decoded email as key",
			Cause: fmt.Sprintf("your endpoint uses the decoded email %q as the HMAC key; the key is the base64 text itself", email),
			Fix:   "use the secret text (the base64 of the email) as the key, without decoding it",
			make:  signedWith(func(in probeInput) string { return in.email })})
	}
	ps = append(ps,
		Probe{Name: "key-trailing-newline", Sent: "signed with the secret plus \"\\n\"",
			Cause: "your endpoint's secret ends with a newline (read from a file or `echo`ed into an env var)",
			Fix:   "trim the secret where you load it (.strip(), trim(), strings.TrimSpace)",
			make:  signedWith(func(in probeInput) string { return in.secret + "\n" })},
		Probe{Name: "key-trailing-crlf", Sent: "signed with the secret plus \"\\r\\n\"",
			Cause: "your endpoint's secret ends with \\r\\n (a .env or secret file saved with Windows line endings)",
			Fix:   "trim the secret where you load it, and save the file with LF endings",
			make:  signedWith(func(in probeInput) string { return in.secret + "\r\n" })},
		Probe{Name: "key-surrounding-spaces", Sent: "signed with \" secret \" (spaces around it)",
			Cause: "your endpoint's secret has spaces around it (a quoted or pasted value)",
			Fix:   "trim the secret where you load it",
			make:  signedWith(func(in probeInput) string { return " " + in.secret + " " })},
	)
	if isEmail {
		ps = append(ps, Probe{Name: "key-echo-base64", Sent: "signed with base64 of the email plus a newline (`echo EMAIL | base64`)",
			Cause: "your endpoint's secret was made with `echo EMAIL | base64`, which encodes a trailing newline",
			Fix:   "make it with `printf %s EMAIL | base64` or `hospitable-hook secret EMAIL`",
			make:  signedWith(func(in probeInput) string { return base64.StdEncoding.EncodeToString([]byte(in.email + "\n")) })})
	}
	if previousSecret != "" && previousSecret != secret {
		ps = append(ps, Probe{Name: "key-previous-secret", Sent: "signed with the previous secret (--previous-secret)",
			Cause: fmt.Sprintf("your endpoint still verifies with the previous secret %s", signature.Mask(previousSecret)),
			Fix:   "deploy the current secret to the endpoint (keep the old one beside it only while senders switch)",
			make:  signedWith(func(in probeInput) string { return in.previousSecret })})
	}
	ps = append(ps,
		Probe{Name: "hex-upper-case", Sent: "the valid signature in upper-case hex", Lenient: true,
			Cause: "your endpoint computes the signature in upper-case hex, and Hospitable sends lower-case",
			Fix:   "compare lower-case hex (hexdigest(), hash_hmac(), digest('hex') are lower-case; drop the .upper()/strtoupper)",
			make: func(in probeInput) ([]byte, string, http.Header) {
				return in.body, strings.ToUpper(hmacHex(in.body, in.secret)), nil
			}},
		Probe{Name: "sha256-prefix", Sent: "the valid signature as \"sha256=<hex>\"", Lenient: true,
			Cause: "your endpoint expects a \"sha256=\" prefix (GitHub's convention); Hospitable sends the bare hex",
			Fix:   "compare the bare lower-case hex, with no prefix",
			make: func(in probeInput) ([]byte, string, http.Header) {
				return in.body, "sha256=" + hmacHex(in.body, in.secret), nil
			}},
	)
	for _, h := range []struct{ name, prefix string }{
		{"X-Hospitable-Signature", ""}, {"X-Signature", ""}, {"Hospitable-Signature", ""}, {"X-Hub-Signature-256", "sha256="},
	} {
		ps = append(ps, Probe{Name: "header-" + strings.ToLower(h.name), Sent: "the valid signature in " + h.name + ", no Signature header", Lenient: true,
			Cause: "your endpoint reads the signature from " + h.name + "; Hospitable sends it in Signature",
			Fix:   "read the Signature header (request.headers['signature'], $_SERVER['HTTP_SIGNATURE'], r.Header.Get(\"Signature\"))",
			make:  inHeader(h.name, h.prefix)})
	}
	return append(ps,
		Probe{Name: "body-compact", Sent: "signed over the body re-encoded as plain compact JSON (\"/\" and UTF-8 unescaped)",
			Cause: "your endpoint re-encodes the parsed JSON compactly before verifying (Ruby JSON.generate, json_encode with JSON_UNESCAPED_*): PHP's \\/ and \\uXXXX escapes are lost",
			Fix:   rawFix, make: signedOver(func(b []byte) ([]byte, error) { return jsonstyle.Encode(b, jsonstyle.Compact) })},
		Probe{Name: "body-go-marshal", Sent: "signed over the body as Go's json.Marshal of a map (keys sorted)",
			Cause: "your endpoint verifies json.Marshal of the decoded body: keys get sorted, escapes and numbers change",
			Fix:   rawFix, make: signedOver(goMarshal)},
		Probe{Name: "body-python-dumps", Sent: "signed over the body as Python's json.dumps writes it (\", \" and \": \")",
			Cause: "your endpoint verifies json.dumps(request.json) (or request.get_json()), not the raw bytes",
			Fix:   rawFix, make: signedOver(func(b []byte) ([]byte, error) {
				return jsonstyle.Encode(b, jsonstyle.Style{Spaced: true, EscapeUnicode: true})
			})},
		Probe{Name: "body-js-stringify", Sent: "signed over the body as JavaScript's JSON.stringify writes it",
			Cause: "your endpoint verifies JSON.stringify(req.body), not the raw bytes: escapes and numbers like 1.0 change",
			Fix:   rawFix, make: signedOver(stringify)},
		Probe{Name: "body-php-roundtrip", Sent: "signed over json_encode(json_decode($raw, true)) ({} becomes [])",
			Cause: "your endpoint verifies json_encode(json_decode($raw, true)), which turns {} into []",
			Fix:   "verify file_get_contents('php://input') itself, before json_decode", make: signedOver(phpRoundTrip)},
		Probe{Name: "body-newline-added", Sent: "signed over the body plus a trailing newline",
			Cause: "your endpoint adds a newline to the body before verifying (reads it line by line, or as text with a newline)",
			Fix:   rawFix, make: signedOver(func(b []byte) ([]byte, error) { return append(append([]byte{}, b...), '\n'), nil })},
		Probe{Name: "body-trimmed", Sent: "the body plus a trailing newline, signed without it", Lenient: true,
			Cause: "your endpoint trims the body before verifying",
			Fix:   rawFix, make: func(in probeInput) ([]byte, string, http.Header) {
				return append(append([]byte{}, in.body...), '\n'), hmacHex(in.body, in.secret), nil
			}},
	)
}
