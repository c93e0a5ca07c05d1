package signature

import (
	"fmt"
	"strings"
)

// DevelopmentEmail is the made-up email behind the built-in development
// secret. Its domain is reserved (RFC 2606), so it can never be a real
// account's.
const DevelopmentEmail = "dev@hospitable-hook.invalid"

// Environment variables read by Resolve.
const (
	EnvSecret = "HOSPITABLE_WEBHOOK_SECRET"
	EnvEmail  = "HOSPITABLE_EMAIL"
)

// Origin says where a secret came from, for messages such as
// "signed with the secret from HOSPITABLE_EMAIL".
type Origin string

// The places a secret can come from, in the order Resolve tries them.
const (
	FromSecretFlag  Origin = "--secret"
	FromEmailFlag   Origin = "--email"
	FromSecretEnv   Origin = EnvSecret
	FromEmailEnv    Origin = EnvEmail
	FromDevelopment Origin = "the built-in development secret"
)

// Source holds the inputs secret resolution looks at.
type Source struct {
	// Secret is the value of `--secret`.
	Secret string
	// Email is the value of `--email`.
	Email string
	// Getenv reads the environment; nil means an empty environment.
	Getenv func(string) string
}

// Secret is a resolved secret with its origin.
type Secret struct {
	// Value is the HMAC key text.
	Value string
	// Origin says where it came from.
	Origin Origin
}

// Resolve picks the secret every command uses, from the first of:
// `--secret`, `--email` (base64 of it), HOSPITABLE_WEBHOOK_SECRET,
// HOSPITABLE_EMAIL, else the built-in development secret, which `send` and
// `listen` share so that they work together with no set-up.
func Resolve(src Source) Secret {
	getenv := src.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	switch {
	case src.Secret != "":
		return Secret{Value: src.Secret, Origin: FromSecretFlag}
	case src.Email != "":
		return Secret{Value: SecretFromEmail(src.Email), Origin: FromEmailFlag}
	case getenv(EnvSecret) != "":
		return Secret{Value: SplitList(getenv(EnvSecret))[0], Origin: FromSecretEnv}
	case getenv(EnvEmail) != "":
		return Secret{Value: SecretFromEmail(SplitList(getenv(EnvEmail))[0]), Origin: FromEmailEnv}
	default:
		return Secret{Value: SecretFromEmail(DevelopmentEmail), Origin: FromDevelopment}
	}
}

// IsDevelopment reports whether this is the built-in development secret,
// which commands announce once on stderr.
func (s Secret) IsDevelopment() bool { return s.Origin == FromDevelopment }

// Fingerprint identifies the secret without revealing it: first four
// characters, length and where it came from.
func (s Secret) Fingerprint() string {
	return fmt.Sprintf("%s from %s", Mask(s.Value), s.Origin)
}

// Notice is the one-line stderr announcement of the development secret.
func (s Secret) Notice() string {
	return fmt.Sprintf("using the built-in development secret %s (base64 of %s), shared by send and listen; pass --secret or set %s for a real endpoint",
		Mask(s.Value), DevelopmentEmail, EnvSecret)
}

// SplitList reads an environment variable that may hold several secrets
// (or emails) during a rotation, current first: "NEW,OLD". A value without
// a comma is one secret, byte for byte; in a list, spaces around the
// commas are dropped. It never returns an empty list.
func SplitList(v string) []string {
	if !strings.Contains(v, ",") {
		return []string{v}
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return []string{v}
	}
	return out
}

// Older returns the secrets given after the current one, for a rotation:
// the second and later --secret (or --email) values, or else the second
// and later entries of the environment variable Resolve used. Deliveries
// signed with one of them are accepted, with a warning.
func Older(src Source, secrets, emails []string) []Secret {
	getenv := src.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	var out []Secret
	add := func(vals []string, origin string, email bool) {
		for i, v := range vals {
			if i == 0 {
				continue
			}
			if email {
				v = SecretFromEmail(v)
			}
			out = append(out, Secret{Value: v, Origin: Origin(fmt.Sprintf("%s #%d", origin, i+1))})
		}
	}
	switch {
	case len(secrets) > 0:
		add(secrets, string(FromSecretFlag), false)
	case len(emails) > 0:
		add(emails, string(FromEmailFlag), true)
	case getenv(EnvSecret) != "":
		add(SplitList(getenv(EnvSecret)), EnvSecret, false)
	case getenv(EnvEmail) != "":
		add(SplitList(getenv(EnvEmail)), EnvEmail, true)
	}
	return out
}
