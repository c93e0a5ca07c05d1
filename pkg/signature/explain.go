package signature

import (
	"crypto/hmac"
	"fmt"
	"strings"
)

// Explain's search lives here; what it varies is in variants_signature.go,
// variants_body.go, variants_json.go and variants_key.go, and the words for
// a re-serialised body in describe.go.

// Candidate is a secret Explain may try, with a name for messages.
type Candidate struct {
	// Name says where the secret came from ("--secret", "HOSPITABLE_EMAIL").
	Name string
	// Secret is the key text.
	Secret string
}

// Suspect is one difference between the bytes that were signed and the bytes
// being verified (or the key, or the signature's form) that explains a
// mismatch.
type Suspect struct {
	// Code is a stable identifier, for `--json` and tests.
	Code string `json:"code"`
	// What says in plain words what differs.
	What string `json:"what"`
	// Fix says what to change.
	Fix string `json:"fix"`
}

// Finding is the result of Explain.
type Finding struct {
	// Valid is true when the signature matches the bytes and a candidate as
	// given, in Hospitable's exact form.
	Valid bool `json:"valid"`
	// Explained is true when a variant matched: Suspects say which.
	Explained bool `json:"explained"`
	// Suspects lists the differences that make the signature match, one per
	// kind (signature form, body bytes, key), simplest explanation first.
	Suspects []Suspect `json:"suspects,omitempty"`
	// Candidate names the secret that matched.
	Candidate string `json:"candidate,omitempty"`
	// Tried counts the variants tried.
	Tried int `json:"tried"`
	// Skipped says which variants were not tried, and why, when the body
	// is too large or nested too deep for the forensics' bounds.
	Skipped string `json:"skipped,omitempty"`
}

// Sentence states the finding in one plain sentence.
func (f Finding) Sentence() string {
	switch {
	case f.Valid:
		return "the signature matches the body and the secret"
	case f.Explained:
		return "the signature does not match these bytes, but it does once this is undone: " + f.joinSuspects(func(s Suspect) string { return s.What }, "; and ")
	case f.Skipped != "":
		return fmt.Sprintf("the signature matches none of %d variants tried (%s): it was computed with a different secret, or over different bytes", f.Tried, f.Skipped)
	default:
		return fmt.Sprintf("the signature matches none of %d variants tried (trailing newlines, line endings, JSON layout and escaping, secret whitespace and encoding): it was computed with a different secret, or over different bytes", f.Tried)
	}
}

// Fix says what to do about the finding, or "" when it is valid.
func (f Finding) Fix() string {
	switch {
	case f.Valid:
		return ""
	case f.Explained:
		return f.joinSuspects(func(s Suspect) string { return s.Fix }, "; ")
	default:
		return "check that the secret is the one Hospitable uses (vendors: the Partner Portal; hosts: `hospitable-hook secret YOUR_PRIMARY_EMAIL`) and that you verify the raw request body, before any parsing"
	}
}

// joinSuspects joins one field of every suspect, in order, with sep.
func (f Finding) joinSuspects(field func(Suspect) string, sep string) string {
	parts := make([]string, len(f.Suspects))
	for i, s := range f.Suspects {
		parts[i] = field(s)
	}
	return strings.Join(parts, sep)
}

type variant struct {
	value   []byte
	suspect *Suspect
}

type keyVariant struct {
	key     string
	suspect *Suspect
}

// Explain works out why a received signature does not match body with any
// of the candidate secrets, by trying the mutations webhook developers hit
// most and naming the one that makes it match. The signature form, the body
// and the key are varied together, so a combined mistake (a pretty-printed
// body checked with a secret that has a trailing newline) is found too.
//
// The work is bounded whatever the body (see MaxExplainBody and
// MaxExplainDepth): past the bounds, the variants that would cost too much
// are skipped and Finding.Skipped says so.
func Explain(body []byte, received string, candidates []Candidate) Finding {
	sigs := signatureVariants(received)
	bodies, skipped := bodyVariants(body)
	f := Finding{Skipped: skipped}
	best := -1
	for _, c := range candidates {
		for _, k := range keyVariants(c.Secret) {
			for _, b := range bodies {
				sum := mac(b.value, []byte(k.key))
				for _, s := range sigs {
					f.Tried++
					if !hmac.Equal(sum, s.value) {
						continue
					}
					suspects := present(s.suspect, b.suspect, k.suspect)
					if best == -1 || len(suspects) < best {
						best = len(suspects)
						f.Suspects, f.Candidate = suspects, c.Name
					}
				}
			}
		}
	}
	f.Valid = best == 0
	f.Explained = best > 0
	return f
}

// present lists the suspects that are set: a variant as given has none.
func present(suspects ...*Suspect) []Suspect {
	var out []Suspect
	for _, sp := range suspects {
		if sp != nil {
			out = append(out, *sp)
		}
	}
	return out
}
