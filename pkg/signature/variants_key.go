package signature

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
)

// keyVariants returns the secret as given and the keys it becomes through
// the mistakes made with personal secrets (whitespace, the email itself,
// `echo` newlines, padding, case), each with the suspect naming it.
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
