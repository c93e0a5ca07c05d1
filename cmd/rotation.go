package cmd

import (
	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// rotationFlags hold every value of a repeated --secret or --email, for
// the commands that accept the secrets of a rotation (listen, verify): the
// first is the current secret, the others older ones.
type rotationFlags struct {
	secrets []string
	emails  []string
}

// allowRotation lets --secret and --email (added by addSecretFlags) be
// repeated: the first value stays the flag's value, as resolve reads it,
// and every value is kept for older.
func allowRotation(c *cobra.Command, sf *secretFlags, rf *rotationFlags) {
	for _, f := range []struct {
		name  string
		first *string
		all   *[]string
	}{{"secret", &sf.secret, &rf.secrets}, {"email", &sf.email, &rf.emails}} {
		if fl := c.Flags().Lookup(f.name); fl != nil {
			fl.Value = &firstOfMany{f.first, f.all}
			fl.Usage += "; repeat it during a rotation, the current one first (or a comma list in the environment)"
		}
	}
}

// older returns the secrets given after the current one (a repeated flag,
// or a comma list in the environment).
func (rf rotationFlags) older(d *Deps, sf secretFlags) []signature.Secret {
	return signature.Older(signature.Source{Secret: sf.secret, Email: sf.email, Getenv: d.Getenv}, rf.secrets, rf.emails)
}

// firstOfMany is a string flag that may be repeated: the first value is
// the flag's value, and every value is kept in order.
type firstOfMany struct {
	first *string
	all   *[]string
}

func (v *firstOfMany) String() string {
	if v.first == nil {
		return ""
	}
	return *v.first
}

func (v *firstOfMany) Set(s string) error {
	if len(*v.all) == 0 {
		*v.first = s
	}
	*v.all = append(*v.all, s)
	return nil
}

func (v *firstOfMany) Type() string { return "string" }
