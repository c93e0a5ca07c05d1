package cmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// stringEnumFlag adds a string flag that takes one of options, in one
// call: the value is checked as the flag is parsed (a usage error, exit 2,
// before anything runs), the help lists the options as {a|b}, and the shell
// completes them. def is the default and must be one of options.
func stringEnumFlag(c *cobra.Command, p *string, name, def string, options []string, usage string) *pflag.Flag {
	*p = def
	v := &enumValue{p: p, name: name, options: options}
	f := c.Flags().VarPF(v, name, "", fmt.Sprintf("%s {%s}", usage, strings.Join(options, "|")))
	f.DefValue = def
	_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(options, cobra.ShellCompDirectiveNoFileComp))
	return f
}

// enumValue is the pflag.Value behind stringEnumFlag.
type enumValue struct {
	p       *string
	name    string
	options []string
}

func (v *enumValue) String() string { return *v.p }

// Type is what the help shows after the flag when its usage names no
// `placeholder`.
func (v *enumValue) Type() string { return "string" }

// Set takes s when it is one of the options, and otherwise says which
// ones there are.
func (v *enumValue) Set(s string) error {
	if !slices.Contains(v.options, s) {
		return fmt.Errorf("unknown %s %q: use %s", v.name, s, orList(v.options))
	}
	*v.p = s
	return nil
}

// orList writes "a", "a or b", "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
