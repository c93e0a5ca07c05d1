package check

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestProbesNameTheBug(t *testing.T) {
	appendNewline := func(b []byte) ([]byte, bool) { return append(append([]byte{}, b...), '\n'), true }
	tests := []struct {
		ep       *endpoint
		previous string
		probe    string
		causeHas string
		fixHas   string
	}{
		{&endpoint{key: decodedEmail()}, "", "key-decoded-email", "decoded email", "without decoding"},
		{&endpoint{key: secret + "\n"}, "", "key-trailing-newline", "ends with a newline", "trim"},
		{&endpoint{key: secret + "\r\n"}, "", "key-trailing-crlf", `\r\n`, "LF endings"},
		{&endpoint{key: " " + secret + " "}, "", "key-surrounding-spaces", "spaces around", "trim"},
		{&endpoint{key: base64.StdEncoding.EncodeToString([]byte(decodedEmail() + "\n"))}, "", "key-echo-base64", "echo EMAIL | base64", "printf %s"},
		{&endpoint{key: "the-old-secret-2025"}, "the-old-secret-2025", "key-previous-secret", "still verifies with the previous secret", "deploy the current secret"},
		{&endpoint{upper: true}, "", "hex-upper-case", "upper-case hex", "lower-case"},
		{&endpoint{prefix: "sha256="}, "", "sha256-prefix", `"sha256=" prefix`, "bare"},
		{&endpoint{header: "X-Hospitable-Signature"}, "", "header-x-hospitable-signature", "reads the signature from X-Hospitable-Signature", "Signature header"},
		{&endpoint{header: "X-Signature"}, "", "header-x-signature", "from X-Signature", "Signature header"},
		{&endpoint{header: "Hospitable-Signature"}, "", "header-hospitable-signature", "from Hospitable-Signature", "Signature header"},
		{&endpoint{header: "X-Hub-Signature-256", prefix: "sha256="}, "", "header-x-hub-signature-256", "from X-Hub-Signature-256", "Signature header"},
		{&endpoint{transform: reencode(compact)}, "", "body-compact", "compactly", "raw request bytes"},
		{&endpoint{transform: reencode(goMarshal)}, "", "body-go-marshal", "json.Marshal", "io.ReadAll"},
		{&endpoint{transform: reencode(pythonDumps)}, "", "body-python-dumps", "json.dumps", "request.get_data()"},
		{&endpoint{transform: reencode(stringify)}, "", "body-js-stringify", "JSON.stringify", "express.raw()"},
		{&endpoint{transform: reencode(phpRoundTrip)}, "", "body-php-roundtrip", "{} into []", "php://input"},
		{&endpoint{transform: appendNewline}, "", "body-newline-added", "adds a newline", "raw request bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.probe, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.ep)
			defer srv.Close()
			cfg := config(srv.URL)
			cfg.PreviousSecret = tt.previous
			cfg.Diagnose = true // the PHP round trip differs only on bodies with {}
			cases, _ := Select([]string{"signed-reservation-created"}, nil)
			rep := Run(context.Background(), cfg, cases)
			d := rep.Diagnosis
			if d == nil {
				t.Fatalf("no diagnosis although valid deliveries are refused: %+v", rep.Results)
			}
			if d.Verdict != VerdictFound || !slices.Equal(d.Accepted, []string{tt.probe}) {
				t.Fatalf("diagnosis = %s, accepted %v; want found, exactly [%s]\n%s", d.Verdict, d.Accepted, tt.probe, d.Cause)
			}
			if !strings.Contains(d.Cause, tt.causeHas) || !strings.Contains(d.Fix, tt.fixHas) {
				t.Errorf("diagnosis = %q / %q; want cause ~ %q, fix ~ %q", d.Cause, d.Fix, tt.causeHas, tt.fixHas)
			}
			if rep.Passed() || !rep.Results[0].Pass && rep.Results[0].Cause != CauseRefusesValid {
				t.Errorf("report passed or the refusal has cause %q", rep.Results[0].Cause)
			}
		})
	}
}

func TestDiagnosisVerdicts(t *testing.T) {
	tests := []struct {
		name     string
		ep       *endpoint
		verdict  Verdict
		causeHas string
	}{
		{"correct", &endpoint{}, VerdictClean, "matches Hospitable's"},
		{"trims the body", &endpoint{transform: func(b []byte) ([]byte, bool) { return bytes.TrimSpace(b), true }}, VerdictLenient, "body-trimmed (harmless"},
		{"checks nothing", &endpoint{noVerify: true}, VerdictNoCheck, "random key"},
		{"crashes on odd signatures", &endpoint{crash: true}, VerdictClean, "matches Hospitable's, but 6 of them (hex-upper-case, sha256-prefix, header-x-hospitable-signature, header-x-signature, header-hospitable-signature, header-x-hub-signature-256) got 500 Internal Server Error, not a refusal"},
		{"another secret", &endpoint{key: "something else entirely"}, VerdictUnknown, "another secret"},
		{"strict about data", &endpoint{status: 400}, VerdictInconclusive, "400 Bad Request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.ep)
			defer srv.Close()
			d := Diagnose(context.Background(), config(srv.URL))
			if d.Verdict != tt.verdict || !strings.Contains(d.Cause, tt.causeHas) {
				t.Errorf("Diagnose() = %s %q; want %s ~ %q (accepted %v)", d.Verdict, d.Cause, tt.verdict, tt.causeHas, d.Accepted)
			}
			if tt.verdict == VerdictUnknown && !strings.Contains(d.Fix, "hospitable-hook verify --file") {
				t.Errorf("no probe accepted, but the fix does not point to verify: %q", d.Fix)
			}
		})
	}
}

// Each probe must differ from the valid delivery and from every other
// probe, or one bug could be named for another.
func TestProbesAreDistinct(t *testing.T) {
	r := newRunner(config("http://127.0.0.1:1"), nil)
	body, err := r.probeBody()
	if err != nil {
		t.Fatal(err)
	}
	email, _ := decodeEmail(secret)
	in := probeInput{body: body, secret: secret, email: email, previousSecret: "old"}
	seen := map[string]string{string(body) + "|Signature|" + hmacHex(body, secret): "valid"}
	for _, p := range Probes(secret, "old") {
		b, sig, h := p.make(in)
		if b == nil {
			t.Errorf("probe %s made no body", p.Name)
			continue
		}
		where := "Signature|" + sig
		for k, v := range h {
			where = k + "|" + v[0]
		}
		key := string(b) + "|" + where
		if other, dup := seen[key]; dup {
			t.Errorf("probe %s sends exactly what %s sends", p.Name, other)
		}
		seen[key] = p.Name
	}
	if len(Probes(secret, "")) < 18 {
		t.Errorf("%d probes for a personal secret, want at least 18", len(Probes(secret, "")))
	}
	if slices.ContainsFunc(Probes("vendor-secret-123", ""), func(p Probe) bool { return p.Name == "key-decoded-email" }) {
		t.Errorf("a vendor secret is no base64 email: no decoded-email probe")
	}
}

func TestReencoders(t *testing.T) {
	in := []byte(`{"b":"https:\/\/x","a":{},"n":1.0,"m":[1.50,-2e3],"s":"Jos\u00e9 \ud83c\udfe1","t":"{} \"{}\" 1.0"}`)
	tests := []struct {
		name string
		f    func([]byte) ([]byte, error)
		want string
	}{
		{"stringify", stringify, `{"b":"https://x","a":{},"n":1,"m":[1.5,-2000],"s":"José 🏡","t":"{} \"{}\" 1.0"}`},
		{"php", phpRoundTrip, `{"b":"https:\/\/x","a":[],"n":1.0,"m":[1.50,-2e3],"s":"Jos\u00e9 \ud83c\udfe1","t":"{} \"{}\" 1.0"}`},
		{"go", goMarshal, `{"a":{},"b":"https://x","m":[1.5,-2000],"n":1,"s":"José 🏡","t":"{} \"{}\" 1.0"}`},
	}
	for _, tt := range tests {
		got, err := tt.f(in)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s(%s) = %s, %v\nwant %s", tt.name, in, got, err, tt.want)
		}
	}
}
