package cmd

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// exclusiveAnnotation is where cobra's MarkFlagsMutuallyExclusive keeps
// its groups, one "a b" string per group, on every flag of the group.
const exclusiveAnnotation = "cobra_annotation_mutually_exclusive"

// tidyTree makes every command of the tree answer mistakes the same way:
// a parent command (fixtures, completion, …) given an unknown subcommand
// exits 2 with "unknown command" and suggestions, instead of printing its
// help and exiting 0; and flags that exclude each other are refused in
// plain words before cobra's own message ("if any flags in the group
// [secret email] are set none of the others can be…") is reached. Call it
// once every command is added.
func tidyTree(root *cobra.Command) {
	// cobra adds `completion` only when it executes; add it now so that it
	// is tidied too (cobra then finds it present and leaves it).
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasParent() && c.HasSubCommands() && !c.Runnable() {
			c.Args = unknownSubcommand
			c.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
			c.DisableFlagsInUseLine = true // its usage is its subcommands
		}
		args := c.Args
		c.Args = func(c *cobra.Command, a []string) error {
			if err := exclusiveFlags(c); err != nil {
				return err
			}
			if args != nil {
				return args(c, a)
			}
			return nil
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// unknownSubcommand refuses any argument to a parent command, naming the
// subcommands it may have meant.
func unknownSubcommand(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	hint := "its commands are " + strings.Join(names, ", ")
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // cobra's own default, set lazily
	}
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		hint = "did you mean " + strings.Join(s, " or ") + "?"
	}
	return flagErrorf("unknown command %q for %q: %s (see `%s --help`)", args[0], c.CommandPath(), hint, c.CommandPath())
}

// exclusiveFlags refuses flags of one mutually exclusive group set
// together, in the words of the rest of the tool.
func exclusiveFlags(c *cobra.Command) error {
	var err error
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || !f.Changed {
			return
		}
		for _, group := range f.Annotations[exclusiveAnnotation] {
			var set []string
			for _, name := range strings.Fields(group) {
				if g := c.Flags().Lookup(name); g != nil && g.Changed {
					set = append(set, "`--"+name+"`")
				}
			}
			if len(set) > 1 {
				err = flagErrorf("%s cannot be used together%s: pass only one (see `%s --help`)", strings.Join(set, " and "), exclusiveWhy(group), c.CommandPath())
				return
			}
		}
	})
	return err
}

// exclusiveWhy says why a group's flags exclude each other, where it is
// worth saying, as a clause starting with ", ".
func exclusiveWhy(group string) string {
	if group == "secret email" {
		return ", since both give the secret (`--email` as base64 of the email)"
	}
	return ""
}
