package signature

import (
	"strings"
	"testing"
)

// TestExplainMoreVariants covers mismatches seen against real receivers:
// each must be named completely, with a reason that says what differs.
func TestExplainMoreVariants(t *testing.T) {
	secret := SecretFromEmail("user@example.com")
	signed := []byte(`{"id":"01J","data":{"url":"https:\/\/x.test\/a","extra":{},"list":[]}}`)
	sig := Sign(signed, secret)
	prettyCRLF := []byte("{\r\n    \"id\": \"01J\",\r\n    \"data\": {\r\n        \"url\": \"https:\\/\\/x.test\\/a\",\r\n        \"extra\": {},\r\n        \"list\": []\r\n    }\r\n}")
	// What PHP's json_encode(json_decode($raw, true)) makes of the body:
	// an empty object decodes to an empty array and comes back as [].
	phpArrays := []byte(`{"id":"01J","data":{"url":"https:\/\/x.test\/a","extra":[],"list":[]}}`)

	tests := []struct {
		name     string
		body     []byte
		received string
		code     string
		reason   []string
	}{
		{"a lone carriage return at the end", append(append([]byte{}, signed...), '\r'), sig,
			"body-trailing-cr-added", []string{"carriage return", `\r`}},
		{"pretty-printed with CRLF line endings", prettyCRLF, sig,
			"body-pretty-printed", []string{"pretty-printed", "CRLF"}},
		{"PHP decoded to arrays and re-encoded, signed by the app", signed, Sign(phpArrays, secret),
			"body-php-arrays", []string{"json_encode(json_decode($raw, true))", "{}", "[]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Explain(tt.body, tt.received, []Candidate{{Name: "--secret", Secret: secret}})
			if !f.Explained || len(f.Suspects) != 1 || f.Suspects[0].Code != tt.code {
				t.Fatalf("Explain() = %+v, want exactly %q", f, tt.code)
			}
			reason := f.Sentence()
			for _, want := range tt.reason {
				if !strings.Contains(reason, want) {
					t.Errorf("reason %q does not name %q", reason, want)
				}
			}
			if strings.HasSuffix(strings.TrimSpace(reason), ":") || f.Fix() == "" {
				t.Errorf("reason %q or fix %q is incomplete", reason, f.Fix())
			}
		})
	}
}
