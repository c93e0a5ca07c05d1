package signature

import (
	"strings"
	"testing"
)

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		src  Source
		env  map[string]string
		want []string // substrings, one per warning; none for no warning
	}{
		{"clean --email", Source{Email: "user@example.com"}, nil, nil},
		{"--email with capitals", Source{Email: "User@Example.com"}, nil, []string{"the email from --email has capital letters"}},
		{"--email with a space", Source{Email: "user@example.com "}, nil, []string{"the email from --email has surrounding whitespace"}},
		{"HOSPITABLE_EMAIL with capitals", Source{}, map[string]string{EnvEmail: "Ana@Example.com"}, []string{"the email from HOSPITABLE_EMAIL has capital letters"}},
		{"secret from env with a newline", Source{}, map[string]string{EnvSecret: "dXNlckBleGFtcGxlLmNvbQ==\n"}, []string{"the secret from HOSPITABLE_WEBHOOK_SECRET has a trailing newline"}},
		{"secret from env with spaces", Source{}, map[string]string{EnvSecret: " dXNlckBleGFtcGxlLmNvbQ== "}, []string{"has surrounding whitespace"}},
		{"--secret with a trailing space", Source{Secret: "abc "}, nil, []string{"the secret from --secret has trailing whitespace"}},
		{"clean secret from env", Source{}, map[string]string{EnvSecret: "dXNlckBleGFtcGxlLmNvbQ=="}, nil},
		{"--secret wins over a bad env", Source{Secret: "abc"}, map[string]string{EnvSecret: "x\n"}, nil},
		{"development secret", Source{}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.src.Getenv = func(k string) string { return tt.env[k] }
			got := Warnings(tt.src)
			if len(got) != len(tt.want) {
				t.Fatalf("Warnings() = %q, want %d warnings like %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("Warnings()[%d] = %q, want it to contain %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}
