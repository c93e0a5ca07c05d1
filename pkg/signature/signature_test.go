package signature

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// The vector from Hospitable's webhook docs: only the compact bytes match.
const (
	docSecret    = "123456"
	docBody      = `{"foo":"bar"}`
	docSignature = "cc99bf5947391ddb0d0d9866f5b9d3a68e8b273c5ac8f699b4ae2399a7433118"
)

func TestSignDocVector(t *testing.T) {
	if got := Sign([]byte(docBody), docSecret); got != docSignature {
		t.Errorf("Sign(%q) = %q, want %q", docBody, got, docSignature)
	}
	if got := Sign([]byte(`{"foo": "bar"}`), docSecret); got == docSignature {
		t.Errorf("Sign of the spaced body matched the doc signature; only the compact bytes should")
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		received string
		want     error
	}{
		{"doc vector", docBody, docSignature, nil},
		{"missing", docBody, "", ErrMissing},
		{"too short", docBody, "cc99", ErrMalformed},
		{"not hex", docBody, strings.Repeat("z", 64), ErrMalformed},
		{"wrong body", `{"foo":"baz"}`, docSignature, ErrMismatch},
		{"upper-case is not Hospitable's form", docBody, strings.ToUpper(docSignature), ErrMismatch},
		{"prefixed is not Hospitable's form", docBody, "sha256=" + docSignature, ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify([]byte(tt.body), tt.received, docSecret)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Verify(%q, %q) = %v, want %v", tt.body, tt.received, err, tt.want)
			}
		})
	}
}

func TestSecretFromEmail(t *testing.T) {
	if got, want := SecretFromEmail("user@example.com"), "dXNlckBleGFtcGxlLmNvbQ=="; got != want {
		t.Errorf("SecretFromEmail = %q, want %q", got, want)
	}
	email, exact, err := EmailFromSecret("dXNlckBleGFtcGxlLmNvbQ==")
	if err != nil || !exact || email != "user@example.com" {
		t.Errorf("EmailFromSecret = %q, %v, %v; want user@example.com, true, nil", email, exact, err)
	}
	email, exact, err = EmailFromSecret("dXNlckBleGFtcGxlLmNvbQ")
	if err != nil || exact || email != "user@example.com" {
		t.Errorf("EmailFromSecret(unpadded) = %q, %v, %v; want user@example.com, false, nil", email, exact, err)
	}
	if _, _, err := EmailFromSecret("not base64!"); err == nil {
		t.Errorf("EmailFromSecret(junk) succeeded")
	}
}

func TestResolve(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name   string
		src    Source
		value  string
		origin Origin
	}{
		{"flag wins", Source{Secret: "s", Email: "e@x", Getenv: env(map[string]string{EnvSecret: "env"})}, "s", FromSecretFlag},
		{"email flag", Source{Email: "user@example.com"}, "dXNlckBleGFtcGxlLmNvbQ==", FromEmailFlag},
		{"secret env before email env", Source{Getenv: env(map[string]string{EnvSecret: "env", EnvEmail: "a@b"})}, "env", FromSecretEnv},
		{"email env", Source{Getenv: env(map[string]string{EnvEmail: "user@example.com"})}, "dXNlckBleGFtcGxlLmNvbQ==", FromEmailEnv},
		{"development", Source{}, base64.StdEncoding.EncodeToString([]byte(DevelopmentEmail)), FromDevelopment},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Resolve(tt.src)
			if got.Value != tt.value || got.Origin != tt.origin {
				t.Errorf("Resolve() = %q from %s, want %q from %s", got.Value, got.Origin, tt.value, tt.origin)
			}
		})
	}
}

func TestMaskNeverRevealsTheSecret(t *testing.T) {
	secret := "dXNlckBleGFtcGxlLmNvbQ=="
	got := Mask(secret)
	if strings.Contains(got, secret[4:]) || !strings.HasPrefix(got, "dXNl") || !strings.Contains(got, "24 chars") {
		t.Errorf("Mask(%q) = %q, want the first 4 characters and the length only", secret, got)
	}
	if got := Mask("abc"); strings.Contains(got, "abc") {
		t.Errorf("Mask(%q) = %q, a short secret must not show at all", "abc", got)
	}
	s := Secret{Value: secret, Origin: FromSecretFlag}
	if strings.Contains(s.Fingerprint(), secret) || strings.Contains(s.Notice(), secret) {
		t.Errorf("Fingerprint or Notice reveals the whole secret")
	}
}

func FuzzSignVerify(f *testing.F) {
	f.Add([]byte(docBody), docSecret, 0)
	f.Add([]byte{}, "", 0)
	f.Add([]byte{0, 0xff, '\n'}, "dXNlckBleGFtcGxlLmNvbQ==", 2)
	f.Fuzz(func(t *testing.T, body []byte, secret string, pos int) {
		sig := Sign(body, secret)
		if err := Verify(body, sig, secret); err != nil {
			t.Fatalf("Verify(Sign(b)) = %v", err)
		}
		if len(body) == 0 {
			return
		}
		changed := append([]byte{}, body...)
		i := (pos%len(body) + len(body)) % len(body)
		changed[i] ^= 0x01
		if err := Verify(changed, sig, secret); !errors.Is(err, ErrMismatch) {
			t.Fatalf("Verify after flipping byte %d = %v, want ErrMismatch", i, err)
		}
	})
}

func FuzzExplain(f *testing.F) {
	f.Add([]byte(docBody), docSignature, docSecret)
	f.Add([]byte("{\"a\":\"\\u00e9/\"}\n"), "SHA256="+docSignature, " x ")
	f.Add([]byte{0xff, '{'}, "", "")
	f.Fuzz(func(t *testing.T, body []byte, received, secret string) {
		f := Explain(body, received, []Candidate{{Name: "fuzz", Secret: secret}})
		if f.Valid && f.Explained {
			t.Fatalf("Explain: both valid and explained")
		}
		if f.Valid != (Verify(body, received, secret) == nil) {
			t.Fatalf("Explain valid = %v, Verify says otherwise", f.Valid)
		}
		_ = f.Sentence()
	})
}
