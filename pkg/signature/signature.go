// Package signature implements Hospitable's webhook signature: the
// lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the secret
// string's bytes, sent in the `Signature` header. It also resolves the
// secret the way every command does, and explains mismatches.
package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Header is the name of the HTTP header that carries the signature.
const Header = "Signature"

// Sentinel errors returned by Verify and Parse; match them with errors.Is.
var (
	// ErrMissing means there was no signature to check.
	ErrMissing = errors.New("no signature")
	// ErrMalformed means the signature is not 64 hex characters.
	ErrMalformed = errors.New("signature is not 64 hex characters")
	// ErrMismatch means the signature is well formed but does not match.
	ErrMismatch = errors.New("signature does not match")
)

// Sign returns the signature Hospitable sends for body: lowercase hex
// HMAC-SHA256 keyed with the secret's bytes as given.
func Sign(body []byte, secret string) string {
	return hex.EncodeToString(mac(body, []byte(secret)))
}

func mac(body, key []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(body)
	return h.Sum(nil)
}

// Parse decodes a received signature in exactly the form Hospitable sends:
// 64 lowercase hex characters. A signature that only needs trimming, a
// `sha256=` prefix removed or lower-casing yields ErrMismatch (it is a
// signature, just not in the form a strict receiver accepts; Explain names
// the problem); anything else yields ErrMalformed.
func Parse(received string) ([]byte, error) {
	if received == "" {
		return nil, ErrMissing
	}
	if isLowerHex(received) {
		b, _ := hex.DecodeString(received)
		return b, nil
	}
	if len(signatureVariants(received)) > 0 {
		return nil, fmt.Errorf("%w: not in Hospitable's form (64 lowercase hex characters)", ErrMismatch)
	}
	return nil, fmt.Errorf("%w: got %d characters", ErrMalformed, len(received))
}

// Verify checks a received signature against body and secret in constant
// time. It returns nil, or an error wrapping ErrMissing, ErrMalformed or
// ErrMismatch.
func Verify(body []byte, received, secret string) error {
	got, err := Parse(received)
	if err != nil {
		return err
	}
	if !hmac.Equal(got, mac(body, []byte(secret))) {
		return ErrMismatch
	}
	return nil
}

// SecretFromEmail returns the secret Hospitable uses for personal access
// tokens: the standard, padded base64 of the email's exact bytes. The HMAC
// key is this base64 text itself, not the decoded email.
func SecretFromEmail(email string) string {
	return base64.StdEncoding.EncodeToString([]byte(email))
}

// EmailFromSecret reverses SecretFromEmail. It accepts unpadded and URL-safe
// base64 too, since people paste both, and reports which it was.
func EmailFromSecret(secret string) (email string, exact bool, err error) {
	if b, err := base64.StdEncoding.Strict().DecodeString(secret); err == nil {
		return string(b), true, nil
	}
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(strings.TrimSpace(secret)); err == nil {
			return string(b), false, nil
		}
	}
	return "", false, fmt.Errorf("%q is not base64: a Hospitable personal secret is base64 of your email (see `hospitable-hook secret EMAIL`)", Mask(secret))
}

// Mask shows a secret the only way this tool ever shows one: its first four
// characters and its length.
func Mask(secret string) string {
	runes := []rune(secret)
	if len(runes) <= 4 {
		return fmt.Sprintf("%s… (%d chars)", strings.Repeat("*", len(runes)), len(runes))
	}
	return fmt.Sprintf("%s… (%d chars)", string(runes[:4]), len(runes))
}
