package signature

import (
	"strings"
	"testing"
)

func TestExplainNamesTheMutation(t *testing.T) {
	const email = "user@example.com"
	secret := SecretFromEmail(email)
	signed := []byte(`{"id":"01J","data":{"name":"Jos\u00e9","picture":"https:\/\/cdn.example.com\/p.jpg"}}`)
	raw := []byte(`{"id":"01J","data":{"name":"José","picture":"https://cdn.example.com/p.jpg"}}`)
	pretty := []byte("{\n  \"id\": \"01J\",\n  \"data\": {\n    \"name\": \"Jos\\u00e9\",\n    \"picture\": \"https:\\/\\/cdn.example.com\\/p.jpg\"\n  }\n}")
	slashOnly := []byte(`{"id":"01J","data":{"name":"Jos\u00e9","picture":"https://cdn.example.com/p.jpg"}}`)
	unicodeOnly := []byte(`{"id":"01J","data":{"name":"José","picture":"https:\/\/cdn.example.com\/p.jpg"}}`)
	sig := Sign(signed, secret)

	tests := []struct {
		name     string
		body     []byte
		received string
		secret   string
		code     string
	}{
		{"trailing newline added", append(append([]byte{}, signed...), '\n'), sig, secret, "body-trailing-newline-added"},
		{"trailing newline removed", signed[:len(signed)-1], Sign(signed[:len(signed)-1], secret), secret, ""},
		{"crlf", []byte("{\r\n\"a\":1\r\n}"), Sign([]byte("{\n\"a\":1\n}"), secret), secret, "body-crlf"},
		{"lf", []byte("{\n\"a\":1\n}"), Sign([]byte("{\r\n\"a\":1\r\n}"), secret), secret, "body-lf"},
		{"pretty-printed", pretty, sig, secret, "body-pretty-printed"},
		{"slash unescaped", slashOnly, sig, secret, "body-slash-escaping"},
		{"unicode unescaped", unicodeOnly, sig, secret, "body-unicode-escaping"},
		{"re-serialised by a framework", raw, sig, secret, "body-reserialised"},
		{"key is the decoded email", signed, Sign(signed, email), secret, "key-decoded-email"},
		{"secret with a trailing newline", signed, sig, secret + "\n", "secret-whitespace"},
		{"secret with spaces", signed, sig, "  " + secret + " ", "secret-whitespace"},
		{"secret is the email", signed, sig, email, "secret-is-email"},
		{"secret made with echo", signed, sig, SecretFromEmail(email + "\n"), "secret-echo-newline"},
		{"key made with echo", signed, Sign(signed, SecretFromEmail(email+"\n")), secret, "key-echo-newline"},
		{"secret without padding", []byte(`{"a":1}`), Sign([]byte(`{"a":1}`), SecretFromEmail("ab@example.com")), strings.TrimRight(SecretFromEmail("ab@example.com"), "="), "secret-padding"},
		{"signature upper-case", signed, strings.ToUpper(sig), secret, "signature-uppercase"},
		{"signature with sha256= prefix", signed, "sha256=" + sig, secret, "signature-prefix"},
		{"signature with spaces", signed, " " + sig + "\n", secret, "signature-whitespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Explain(tt.body, tt.received, []Candidate{{Name: "--secret", Secret: tt.secret}})
			if tt.code == "" {
				if !f.Valid {
					t.Fatalf("Explain() = %+v, want valid", f)
				}
				return
			}
			if !f.Explained || len(f.Suspects) != 1 || f.Suspects[0].Code != tt.code {
				t.Fatalf("Explain() suspects = %+v, want exactly %q", f.Suspects, tt.code)
			}
			if f.Sentence() == "" || f.Fix() == "" {
				t.Errorf("Explain() gives no sentence or fix")
			}
		})
	}
}

func TestExplainCombinedMistakes(t *testing.T) {
	secret := SecretFromEmail("user@example.com")
	signed := []byte(`{"a":"b"}`)
	f := Explain([]byte("{\n  \"a\": \"b\"\n}\n"), Sign(signed, secret), []Candidate{{Name: "x", Secret: secret + "\n"}})
	if !f.Explained || len(f.Suspects) != 2 {
		t.Fatalf("Explain() = %+v, want two suspects (layout and secret)", f)
	}
	codes := f.Suspects[0].Code + " " + f.Suspects[1].Code
	if !strings.Contains(codes, "body-pretty-printed") || !strings.Contains(codes, "secret-whitespace") {
		t.Errorf("suspects = %s, want body-pretty-printed and secret-whitespace", codes)
	}
}

func TestExplainWrongSecret(t *testing.T) {
	body := []byte(`{"a":"b"}`)
	f := Explain(body, Sign(body, "another secret"), []Candidate{{Name: "--secret", Secret: "mine"}})
	if f.Valid || f.Explained {
		t.Fatalf("Explain() = %+v, want neither valid nor explained", f)
	}
	if !strings.Contains(f.Sentence(), "different secret") {
		t.Errorf("Sentence() = %q, want it to say a different secret was used", f.Sentence())
	}
	if f.Tried < 20 {
		t.Errorf("Tried = %d, want the many variants counted", f.Tried)
	}
}

func TestExplainDocDisplayForm(t *testing.T) {
	// The docs display {"foo": "bar"} next to a signature of {"foo":"bar"}.
	f := Explain([]byte(`{"foo": "bar"}`), docSignature, []Candidate{{Name: "--secret", Secret: docSecret}})
	if !f.Explained || f.Suspects[0].Code != "body-pretty-printed" {
		t.Fatalf("Explain(doc display form) = %+v, want body-pretty-printed", f)
	}
	if strings.Contains(f.Sentence(), `\/`) {
		t.Errorf("Sentence() = %q mentions slash escaping, which this body does not have", f.Sentence())
	}
}

func TestAssess(t *testing.T) {
	s := Secret{Value: docSecret, Origin: FromSecretFlag}
	r, err := Assess([]byte(docBody), docSignature, s)
	if err != nil || !r.Valid || r.BodyLength != 13 || r.Expected != docSignature {
		t.Fatalf("Assess(doc vector) = %+v, %v", r, err)
	}
	if strings.Contains(r.Secret, docSecret) {
		t.Errorf("Assess() report shows the whole secret: %q", r.Secret)
	}
	if _, err := Assess([]byte(docBody), "xyz", s); err == nil {
		t.Errorf("Assess(malformed) succeeded")
	}
}
