package check

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/tidwall/sjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
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
	return mapOutsideStrings(c, func(tok []byte) []byte {
		f, err := strconv.ParseFloat(string(tok), 64)
		if err != nil {
			return tok
		}
		return []byte(strconv.FormatFloat(f, 'f', -1, 64))
	}, nil), nil
}

// phpRoundTrip is PHP's json_encode(json_decode($raw, true)): PHP escapes,
// and every {} an empty array, [].
func phpRoundTrip(b []byte) ([]byte, error) {
	c, err := jsonstyle.Encode(b, jsonstyle.PHP)
	if err != nil {
		return nil, err
	}
	return mapOutsideStrings(c, nil, func(out []byte) []byte {
		if bytes.HasSuffix(out, []byte("{}")) {
			out[len(out)-2], out[len(out)-1] = '[', ']'
		}
		return out
	}), nil
}

// mapOutsideStrings rewrites compact JSON: num maps each number token;
// after is called with the output after each structural byte.
func mapOutsideStrings(c []byte, num func([]byte) []byte, after func([]byte) []byte) []byte {
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
		case num != nil && (ch == '-' || ch >= '0' && ch <= '9'):
			j := i
			for j < len(c) && strings.IndexByte("+-.eE0123456789", c[j]) >= 0 {
				j++
			}
			out = append(out, num(c[i:j])...)
			i = j - 1
		default:
			out = append(out, ch)
			if after != nil {
				out = after(out)
			}
		}
	}
	return out
}

// ProbeResult is what one probe got.
type ProbeResult struct {
	// Name is the probe's name ("valid" and "random-key" for the two
	// references).
	Name string `json:"name"`
	// Sent says what was sent.
	Sent string `json:"sent"`
	// Got says what came back.
	Got string `json:"got"`
	// Status is the HTTP status; 0 without an answer.
	Status int `json:"status"`
	// Accepted says the endpoint answered 2xx.
	Accepted bool `json:"accepted"`
	// Excerpt is the start of the answer's body.
	Excerpt string `json:"body_excerpt,omitempty"`
}

// Verdict sums up the probes.
type Verdict string

// The verdicts of a diagnosis.
const (
	// VerdictFound: valid deliveries are refused and a probe was accepted.
	VerdictFound Verdict = "found"
	// VerdictUnknown: valid deliveries are refused and no probe was accepted.
	VerdictUnknown Verdict = "unknown"
	// VerdictNoCheck: a delivery signed with a random key was accepted.
	VerdictNoCheck Verdict = "no-check"
	// VerdictClean: valid deliveries are accepted, every probe refused.
	VerdictClean Verdict = "clean"
	// VerdictLenient: valid deliveries are accepted, and so are some probes.
	VerdictLenient Verdict = "lenient"
	// VerdictInconclusive: the probe delivery got neither 2xx nor a
	// refusal, or no answer.
	VerdictInconclusive Verdict = "inconclusive"
)

// Diagnosis is what the probes found: one line (Cause and Fix) and the
// detail.
type Diagnosis struct {
	// Verdict sums it up.
	Verdict Verdict
	// Cause says what the endpoint does wrong (or that it is right).
	Cause string
	// Fix says what to change; "" when nothing needs to.
	Fix string
	// Accepted names the probes the endpoint accepted.
	Accepted []string
	// Valid and Control are the reference deliveries: validly signed, and
	// signed with a random key.
	Valid, Control ProbeResult
	// Results holds every probe's result, in Probes order.
	Results []ProbeResult

	unreachable *deliver.TransportError
}

// Found reports whether the probes named the cause of refused deliveries.
func (d Diagnosis) Found() bool { return d.Verdict == VerdictFound }

// Failed reports whether the diagnosis shows the endpoint wrong.
func (d Diagnosis) Failed() bool {
	return d.Verdict == VerdictFound || d.Verdict == VerdictUnknown || d.Verdict == VerdictNoCheck
}

// Diagnose sends the valid reference delivery, one signed with a random
// key, and every probe, and says which the endpoint accepts.
func Diagnose(ctx context.Context, cfg Config) Diagnosis {
	r := newRunner(cfg, nil)
	probes := Probes(cfg.Secret, cfg.PreviousSecret)
	base, err := r.probeBody()
	if err != nil {
		return Diagnosis{Verdict: VerdictInconclusive, Cause: "hospitable-hook could not build the probes: " + err.Error(), Fix: "report this as a bug in hospitable-hook"}
	}
	email, _ := decodeEmail(cfg.Secret)
	total := len(probes) + 2
	var mu sync.Mutex
	done := 0
	send := func(name, sent string, make func(probeInput) ([]byte, string, http.Header)) ProbeResult {
		body, err := r.freshID(base)
		if err != nil {
			return ProbeResult{Name: name, Sent: sent, Got: "not sent: " + err.Error()}
		}
		in := probeInput{body: body, secret: cfg.Secret, email: email, previousSecret: cfg.PreviousSecret}
		b, sig, extra := make(in)
		d := event.Wrap(b, cfg.Secret)
		d = withSignatures(d)
		if sig != "" {
			d = withSignatures(d, sig)
		}
		a := r.postTo(ctx, cfg.URL, d, extra)
		mu.Lock()
		done++
		if cfg.Progress != nil {
			cfg.Progress(done, total, "probe "+name)
		}
		mu.Unlock()
		s := a.status()
		return ProbeResult{Name: name, Sent: sent, Got: a.String(), Status: s, Accepted: a.err == nil && s >= 200 && s < 300, Excerpt: a.excerpt()}
	}
	diag := Diagnosis{}
	diag.Valid = send("valid", "validly signed", signedWith(func(in probeInput) string { return in.secret }))
	diag.Control = send("random-key", "signed with a random key", signedWith(func(probeInput) string { return "hospitable-hook random key 7f3a" }))
	diag.Results = make([]ProbeResult, len(probes))
	sem := make(chan struct{}, max(1, cfg.Concurrency))
	var wg sync.WaitGroup
	for i, p := range probes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			diag.Results[i] = send(p.Name, p.Sent, p.make)
		}()
	}
	wg.Wait()
	diag.unreachable = r.unreachable
	judgeProbes(&diag, probes)
	return diag
}

// judgeProbes writes the diagnosis's verdict and its one line.
func judgeProbes(d *Diagnosis, probes []Probe) {
	var accepted []Probe
	for i, res := range d.Results {
		if res.Accepted {
			accepted = append(accepted, probes[i])
			d.Accepted = append(d.Accepted, probes[i].Name)
		}
	}
	tried := len(probes)
	refused := d.Valid.Status == http.StatusUnauthorized || d.Valid.Status == http.StatusForbidden
	unknownFix := "capture a real delivery (`hospitable-hook listen --save c.jsonl`, or log the raw body and the Signature your app computed), then run `hospitable-hook verify --file body.json --signature <the signature your app computed>`: it names the difference"
	switch {
	case d.Control.Accepted:
		d.Verdict = VerdictNoCheck
		d.Cause = "your endpoint accepts a delivery signed with a random key: it does not verify signatures (a token in the URL or an IP allow-list is no substitute), so probing cannot tell more"
		d.Fix = signatureFix
	case !d.Valid.Accepted && len(accepted) > 0:
		d.Verdict = VerdictFound
		p := accepted[0]
		d.Cause = p.Cause + " (it accepted: " + p.Sent + ")"
		d.Fix = p.Fix
		if len(accepted) > 1 {
			var names []string
			for _, q := range accepted[1:] {
				names = append(names, q.Name)
			}
			d.Cause += "; it also accepted " + strings.Join(names, ", ")
		}
	case !d.Valid.Accepted && !refused:
		d.Verdict = VerdictInconclusive
		d.Cause = fmt.Sprintf("the probe delivery itself got %s, neither accepted nor refused as badly signed (401 or 403), and no probe was accepted: the probes cannot tell what the endpoint checks", d.Valid.Got)
		d.Fix = "fix the failures below first, then run check --diagnose again"
	case !d.Valid.Accepted:
		d.Verdict = VerdictUnknown
		d.Cause = fmt.Sprintf("your endpoint refuses valid deliveries (%s), and none of the %d usual wrong signatures: most likely it has another secret", d.Valid.Got, tried)
		d.Fix = "check the secret the endpoint loads (`hospitable-hook secret --explain`); " + unknownFix
	case len(accepted) == 0:
		d.Verdict = VerdictClean
		d.Cause = fmt.Sprintf("valid deliveries accepted and all %d wrongly signed ones refused: the signature check matches Hospitable's", tried)
	default:
		d.Verdict = VerdictLenient
		var parts []string
		for _, p := range accepted {
			parts = append(parts, p.Name)
		}
		d.Cause = "valid deliveries accepted; it also accepts " + strings.Join(parts, ", ")
		if accepted[0].Lenient {
			d.Cause += " (harmless while the right form is accepted too)"
		} else {
			d.Cause += ": " + accepted[0].Cause
			d.Fix = accepted[0].Fix
		}
		if accepted[0].Name == "key-previous-secret" {
			d.Cause = "valid deliveries accepted, and so is the previous secret: fine while senders switch; remove it afterwards"
			d.Fix = ""
		}
	}
}

// probeBody is a reservation.created delivery whose data carries what
// tells the re-encodings apart: "/" and non-ASCII (PHP escapes), an emoji
// (surrogate pairs), a {} (PHP's round trip), a 1.0 (JavaScript), and the
// envelope's key order (Go sorts keys).
func (r *runner) probeBody() ([]byte, error) {
	data, err := r.set.Data("reservation.created")
	if err != nil {
		return nil, err
	}
	data, err = sjson.SetRawBytes(data, "custom_fields", []byte(`{"arrival_note":"Llegada tardía 🌙, ver https://example.com/llegada","deposit_rate":1.0,"extras":{}}`))
	if err != nil {
		return nil, err
	}
	d, err := r.build("reservation.created", data, event.PHP)
	return d.Body, err
}

// freshID gives a probe body its own id, so that an endpoint that drops
// repeats judges every probe.
func (r *runner) freshID(body []byte) ([]byte, error) {
	r.mu.Lock()
	id, err := r.builder.NewID(r.cfg.Now())
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return sjson.SetBytes(body, "id", id)
}
