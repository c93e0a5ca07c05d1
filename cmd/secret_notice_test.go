package cmd

import (
	"strings"
	"testing"
)

// TestSecretWarningsEverywhere: every command that takes --email warns
// about an email whose exact bytes look wrong, and a secret from the
// environment with a trailing newline is warned about, not silently used.
func TestSecretWarningsEverywhere(t *testing.T) {
	body := writeFile(t, "body.json", `{"a":1}`)
	url := okWebhookURL(t)
	tests := []stderrCase{
		{"send --email", nil, []string{"send", "review.created", "--to", url, "--email", "Ana@Example.com"}, "the email from --email has capital letters"},
		{"simulate --email", nil, []string{"simulate", "review.created", "--to", url, "--email", " ana@example.com"}, "the email from --email has surrounding whitespace"},
		{"sign --email", nil, []string{"sign", "--file", body, "--email", "Ana@Example.com"}, "capital letters"},
		{"verify --email", nil, []string{"verify", "--file", body, "--signature", docSig, "--email", "Ana@Example.com"}, "capital letters"},
		{"check --email", nil, []string{"check", url, "--only", "signed-reservation-created", "--email", "Ana@Example.com"}, "capital letters"},
		{"HOSPITABLE_EMAIL", map[string]string{"HOSPITABLE_EMAIL": "Ana@Example.com"}, []string{"sign", "--file", body}, "the email from HOSPITABLE_EMAIL has capital letters"},
		{"secret from env with a newline", map[string]string{"HOSPITABLE_WEBHOOK_SECRET": "s3cret\n"}, []string{"sign", "--file", body}, "the secret from HOSPITABLE_WEBHOOK_SECRET has a trailing newline"},
	}
	checkStderrSays(t, "the warning ", "warning: ", tests)
}

// TestSigningSecretAnnounced: send, simulate and check always say which
// secret they signed with (first four characters, length, source).
func TestSigningSecretAnnounced(t *testing.T) {
	url := okWebhookURL(t)
	tests := []stderrCase{
		{"send --secret", nil, []string{"send", "review.created", "--to", url, "--secret", "s3cretvalue"}, "signing with s3cr… (11 chars) from --secret"},
		{"send from env", map[string]string{"HOSPITABLE_WEBHOOK_SECRET": "s3cretvalue"}, []string{"send", "review.created", "--to", url}, "signing with s3cr… (11 chars) from HOSPITABLE_WEBHOOK_SECRET"},
		{"send --count", nil, []string{"send", "review.created", "--to", url, "--count", "2", "--email", "ana@example.com"}, "signing with YW5h… (20 chars) from --email"},
		{"simulate", map[string]string{"HOSPITABLE_EMAIL": "ana@example.com"}, []string{"simulate", "review.created", "--to", url}, "signing with YW5h… (20 chars) from HOSPITABLE_EMAIL"},
		{"check", nil, []string{"check", url, "--only", "signed-reservation-created", "--secret", "s3cretvalue"}, "signing with s3cr… (11 chars) from --secret"},
		{"development secret", nil, []string{"send", "review.created", "--to", url}, "using the built-in development secret ZGV2… (36 chars)"},
	}
	checkStderrSays(t, "", "", tests)
}

// okWebhookURL is the webhook URL of an endpoint that answers 200 ok.
func okWebhookURL(t *testing.T) string {
	t.Helper()
	srv, _ := endpoint(t, answer(200, "ok"))
	return srv.URL + "/webhooks/hospitable"
}

// stderrCase is a command line, with its environment, and what its
// stderr must say.
type stderrCase struct {
	name string
	env  map[string]string
	args []string
	want string
}

// checkStderrSays runs each case through the CLI and checks its stderr
// holds want and, when marker is not empty, marker too ("warning: ");
// what names the text in the failure ("the warning ").
func checkStderrSays(t *testing.T, what, marker string, tests []stderrCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.env, "", tt.args...)
			if !strings.Contains(r.stderr, marker) || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("%v: stderr lacks %s%q:\n%s", tt.args, what, tt.want, r.stderr)
			}
		})
	}
}

// TestSecretNoticeAfterValidation: a usage or input error is never
// preceded by the development-secret notice.
func TestSecretNoticeAfterValidation(t *testing.T) {
	body := writeFile(t, "body.json", `{"a":1}`)
	tests := []struct {
		name string
		args []string
	}{
		{"verify without --signature", []string{"verify", "--file", body}},
		{"verify with a malformed --signature", []string{"verify", "--file", body, "--signature", "zz"}},
		{"listen with an unwritable --save", []string{"listen", "--port", "0", "--save", t.TempDir() + "/no/such/dir/c.jsonl"}},
		{"send to a bad URL", []string{"send", "review.created", "--to", "localhost:5000"}},
		{"simulate with a bad --set", []string{"simulate", "review.created", "--set", "data.nope.x=1"}},
		{"send --count with a bad --set", []string{"send", "review.created", "--count", "3", "--set", "data.nope.x=1"}},
		{"send --count with a missing --body", []string{"send", "--body", t.TempDir() + "/none.json", "--count", "3"}},
		{"send with a bad --set in the second action", []string{"send", "review.created", "message.created", "--set", "data.review.x=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", tt.args...)
			if r.code != 2 || strings.Contains(r.stderr, "development secret") {
				t.Errorf("%v: exit %d, stderr:\n%s\nwant exit 2 and no development-secret notice", tt.args, r.code, r.stderr)
			}
		})
	}
}

func TestSecretFlagHelpNamesEmailEnv(t *testing.T) {
	for _, cmd := range []string{"send", "verify", "sign", "listen", "simulate", "check"} {
		r := runCLI(t, nil, "", cmd, "--help")
		if !strings.Contains(r.stdout, "HOSPITABLE_EMAIL") {
			t.Errorf("%s --help: --secret does not name HOSPITABLE_EMAIL", cmd)
		}
	}
}
