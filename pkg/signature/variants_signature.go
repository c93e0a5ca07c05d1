package signature

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// signatureVariants returns the digests the received header may stand for:
// as given when it is Hospitable's form, and once undone for each mistake
// in its form (whitespace, a prefix, upper case), with the suspect naming it.
func signatureVariants(received string) []variant {
	var out []variant
	add := func(text string, s *Suspect) {
		if b, err := hex.DecodeString(text); err == nil && len(b) == 32 {
			out = append(out, variant{b, s})
		}
	}
	if isLowerHex(received) {
		add(received, nil)
	}
	trimmed := strings.TrimSpace(received)
	if trimmed != received {
		add(strings.ToLower(trimmed), &Suspect{"signature-whitespace",
			"the signature has surrounding whitespace",
			"trim the header value before comparing"})
		received = trimmed
	}
	lower := strings.ToLower(received)
	for _, p := range []string{"sha256=", "sha256:", "hmac-sha256="} {
		if strings.HasPrefix(lower, p) {
			add(lower[len(p):], &Suspect{"signature-prefix",
				fmt.Sprintf("the signature carries a %q prefix; Hospitable sends bare hex", received[:len(p)]),
				"compare against the bare 64-character hex digest, with no prefix"})
			return out
		}
	}
	if received != lower && isLowerHex(lower) {
		add(lower, &Suspect{"signature-uppercase",
			"the signature is upper-case hex; Hospitable sends lower-case, and hash_equals or compare_digest compare the text",
			"lower-case the hex digest (or compare decoded bytes)"})
	}
	return out
}

func isLowerHex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
