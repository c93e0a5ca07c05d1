package signature

import (
	"slices"
	"testing"
)

func TestRotationSecrets(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		src     Source
		secrets []string
		emails  []string
		current string
		older   []string
		origins []Origin
	}{
		{"one flag", Source{Secret: "new"}, []string{"new"}, nil, "new", nil, nil},
		{"repeated flag", Source{Secret: "new"}, []string{"new", "old", "older"}, nil, "new", []string{"old", "older"}, []Origin{"--secret #2", "--secret #3"}},
		{"repeated email", Source{Email: "a@x.io"}, nil, []string{"a@x.io", "b@x.io"}, SecretFromEmail("a@x.io"), []string{SecretFromEmail("b@x.io")}, []Origin{"--email #2"}},
		{"env list", Source{Getenv: env(map[string]string{EnvSecret: "new, old"})}, nil, nil, "new", []string{"old"}, []Origin{EnvSecret + " #2"}},
		{"env without a comma is taken whole", Source{Getenv: env(map[string]string{EnvSecret: " spaced "})}, nil, nil, " spaced ", nil, nil},
		{"email env list", Source{Getenv: env(map[string]string{EnvEmail: "a@x.io,b@x.io"})}, nil, nil, SecretFromEmail("a@x.io"), []string{SecretFromEmail("b@x.io")}, []Origin{EnvEmail + " #2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Resolve(tt.src).Value; got != tt.current {
				t.Errorf("Resolve() = %q, want %q", got, tt.current)
			}
			var vals []string
			var origins []Origin
			for _, s := range Older(tt.src, tt.secrets, tt.emails) {
				vals, origins = append(vals, s.Value), append(origins, s.Origin)
			}
			if !slices.Equal(vals, tt.older) || !slices.Equal(origins, tt.origins) {
				t.Errorf("Older() = %q %q, want %q %q", vals, origins, tt.older, tt.origins)
			}
		})
	}
}
