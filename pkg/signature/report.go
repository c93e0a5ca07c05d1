package signature

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
)

// Report is everything `verify` says about one body and signature.
type Report struct {
	// Valid is the verdict.
	Valid bool `json:"valid"`
	// BodyLength is the body's size in bytes.
	BodyLength int `json:"body_length"`
	// BodySHA256 is the hex SHA-256 of the body, to compare bodies by eye.
	BodySHA256 string `json:"body_sha256"`
	// Received is the signature as received.
	Received string `json:"signature"`
	// Expected is the signature these bytes and this secret give.
	Expected string `json:"expected"`
	// Secret identifies the secret without revealing it.
	Secret string `json:"secret"`
	// SecretOrigin says where the secret came from.
	SecretOrigin Origin `json:"secret_origin"`
	// Finding explains a mismatch.
	Finding Finding `json:"finding"`
	// Reason is the finding in one sentence.
	Reason string `json:"reason"`
	// Fix says what to change, when invalid.
	Fix string `json:"fix,omitempty"`
}

// Assess verifies body against received with secret and, on a mismatch, runs
// the forensics. It fails only for a missing or unusable signature
// (ErrMissing, ErrMalformed): there is nothing to check then.
func Assess(body []byte, received string, secret Secret) (Report, error) {
	sum := sha256.Sum256(body)
	r := Report{
		BodyLength:   len(body),
		BodySHA256:   hex.EncodeToString(sum[:]),
		Received:     received,
		Expected:     Sign(body, secret.Value),
		Secret:       Mask(secret.Value),
		SecretOrigin: secret.Origin,
	}
	err := Verify(body, received, secret.Value)
	if err != nil && !errors.Is(err, ErrMismatch) {
		return r, err
	}
	r.Valid = err == nil
	if r.Valid {
		r.Finding = Finding{Valid: true, Tried: 1}
	} else {
		r.Finding = Explain(body, received, []Candidate{{Name: string(secret.Origin), Secret: secret.Value}})
	}
	r.Reason, r.Fix = r.Finding.Sentence(), r.Finding.Fix()
	return r, nil
}
