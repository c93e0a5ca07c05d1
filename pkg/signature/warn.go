package signature

import (
	"fmt"
	"strings"
)

// Warnings lists what would make the secret Resolve picks from src
// silently wrong: the key is the exact bytes, so an email with capitals or
// surrounding whitespace, or a secret with a trailing newline (from a .env
// file, a paste or `echo`), signs differently from Hospitable. Nothing is
// changed: the secret is used as given, and the warning says so.
func Warnings(src Source) []string {
	getenv := src.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	switch Resolve(src).Origin {
	case FromEmailFlag:
		return EmailWarnings(src.Email, string(FromEmailFlag))
	case FromEmailEnv:
		return EmailWarnings(SplitList(getenv(EnvEmail))[0], EnvEmail)
	case FromSecretFlag:
		return secretWarnings(src.Secret, string(FromSecretFlag))
	case FromSecretEnv:
		return secretWarnings(SplitList(getenv(EnvSecret))[0], EnvSecret)
	}
	return nil
}

// EmailWarnings lists what is suspicious about an email a secret is made
// from: surrounding whitespace and capitals change the base64, and a text
// without "@" is probably not an email at all. from names where the email
// came from ("--email", "HOSPITABLE_EMAIL"), "" when the user typed it as
// the argument of `secret`.
func EmailWarnings(email, from string) []string {
	what := "the email"
	if from != "" {
		what = "the email from " + from
	}
	var out []string
	if trimmed := strings.TrimSpace(email); trimmed != email {
		out = append(out, fmt.Sprintf("%s has surrounding whitespace, which is encoded too; the secret depends on the exact bytes (did you mean %q?)", what, trimmed))
	}
	if strings.ToLower(email) != email {
		out = append(out, what+" has capital letters; the secret depends on the exact bytes, so use the primary email exactly as your Hospitable account has it")
	}
	if !strings.Contains(email, "@") {
		out = append(out, fmt.Sprintf("%q does not look like an email; the personal secret is base64 of your primary email", email))
	}
	return out
}

// secretWarnings warns about a secret whose ends are whitespace: they are
// part of the HMAC key, and Hospitable's secrets have none.
func secretWarnings(secret, from string) []string {
	if strings.TrimSpace(secret) == secret {
		return nil
	}
	what := "surrounding whitespace"
	switch trimmed := strings.TrimRight(secret, " \t"); {
	case strings.HasSuffix(trimmed, "\n") || strings.HasSuffix(trimmed, "\r"):
		what = "a trailing newline"
	case strings.TrimLeft(secret, " \t\r\n") == secret:
		what = "trailing whitespace"
	}
	return []string{fmt.Sprintf("the secret from %s has %s, which is part of the HMAC key; Hospitable's secret has none, so signatures will not match: trim it (a .env file, a paste or `echo` adds it)", from, what)}
}
