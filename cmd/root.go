// Package cmd wires the cobra command tree. Each file holds one command:
// its options, its flags and a short run function that calls pkg/ and hands
// results to pkg/render. No protocol logic lives here.
package cmd

import (
	"context"
	"errors"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// Execute runs the command line and returns the process exit code: 0 all
// good, 1 the thing checked failed, 2 a usage or input error.
func Execute(ctx context.Context, d *Deps, args ...string) int {
	root := NewRootCmd(d)
	if args != nil {
		root.SetArgs(args)
	}
	err := root.ExecuteContext(ctx)
	var silent *silentError
	if err != nil && !errors.As(err, &silent) {
		d.IO.Errorf("%s", err)
	}
	return exitCode(err)
}

// NewRootCmd builds the whole command tree; cmd/gen-man walks it to write
// the man pages.
func NewRootCmd(d *Deps) *cobra.Command {
	root := &cobra.Command{
		Use:   "hospitable-hook",
		Short: "Test and debug Hospitable webhooks, offline",
		Long: `hospitable-hook signs and sends realistic Hospitable webhook deliveries, receives
and verifies them, explains signature mismatches byte by byte, and rehearses
Hospitable's retry policy on a compressed clock. It needs no account and no network.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	noColor := root.PersistentFlags().VarPF(&noColorFlag{io: d.IO}, "no-color", "", "Never colour the output (NO_COLOR does the same)")
	noColor.NoOptDefVal = "true"
	root.SetIn(d.IO.In)
	root.SetOut(d.IO.Out)
	root.SetErr(d.IO.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return flagErrorf("%w (see `%s --help`)", err, c.CommandPath())
	})
	root.AddCommand(
		newSecretCmd(d, nil),
		newSignCmd(d, nil),
		newVerifyCmd(d, nil),
		newVersionCmd(d, nil),
		newSendCmd(d, nil),
		newFixturesCmd(d),
		newListenCmd(d, nil),
		newSimulateCmd(d, nil),
		newCheckCmd(d, nil),
		newReplayCmd(d, nil),
		newDemoCmd(d, nil),
		newScenarioCmd(d),
		newInitCmd(d, nil),
	)
	root.Version = d.Build.Version
	root.SetVersionTemplate(versionText(d.Build))
	tidyTree(root)
	markRunErrors(root)
	return root
}

// noColorFlag is `--no-color`. It turns colour off the moment it is
// parsed, not in a pre-run hook: cobra reports a bad flag or argument
// before any hook runs, and that error must be plain too.
type noColorFlag struct {
	io  *render.IO
	set bool
}

func (f *noColorFlag) String() string { return strconv.FormatBool(f.set) }

func (f *noColorFlag) Type() string { return "bool" }

func (f *noColorFlag) Set(v string) error {
	on, err := strconv.ParseBool(v)
	if err != nil {
		return err
	}
	f.set = on
	if on {
		f.io.SetColor(false)
	}
	return nil
}

// markRunErrors wraps every command's RunE so that an unclassified error
// from a run counts as a failure (exit 1), while cobra's own errors, raised
// before RunE, stay usage errors (exit 2).
func markRunErrors(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			err := run(cmd, args)
			if err == nil || exitCode(err) != exitInput || isInput(err) {
				return err
			}
			return &runError{err}
		}
	}
	for _, sub := range c.Commands() {
		markRunErrors(sub)
	}
}

func isInput(err error) bool {
	var in *inputError
	return errors.As(err, &in)
}

// secretFlags are the flags every command that signs or verifies takes.
type secretFlags struct {
	secret string
	email  string
}

func addSecretFlags(c *cobra.Command, f *secretFlags) {
	c.Flags().StringVar(&f.secret, "secret", "", "Webhook secret (default: $HOSPITABLE_WEBHOOK_SECRET, else base64 of $HOSPITABLE_EMAIL, else the built-in development secret)")
	c.Flags().StringVar(&f.email, "email", "", "Derive the secret from this primary email (base64 of it), as for personal use")
	c.MarkFlagsMutuallyExclusive("secret", "email")
}

// source is where the flags and the environment say the secret comes from.
func (f secretFlags) source(d *Deps) signature.Source {
	return signature.Source{Secret: f.secret, Email: f.email, Getenv: d.Getenv}
}

// resolve picks the secret (signature.Resolve, which prints nothing and
// says where the secret came from) and then, on stderr, warns about one
// whose exact bytes look wrong (an email with capitals or spaces, a secret
// with a trailing newline) and announces the development secret. Commands
// call it once their input is validated, so no notice precedes a usage
// error.
func (f secretFlags) resolve(d *Deps) signature.Secret {
	s := signature.Resolve(f.source(d))
	announce(d, f.source(d), s)
	return s
}

// announce prints resolve's warnings and development-secret notice.
func announce(d *Deps, src signature.Source, s signature.Secret) {
	for _, w := range signature.Warnings(src) {
		d.IO.Warnf("%s", w)
	}
	if s.IsDevelopment() {
		d.IO.Notef("%s", s.Notice())
	}
}

// resolveSigning is resolve for the commands that sign deliveries to an
// endpoint (send, simulate, check): they always say on stderr which secret
// they signed with, so a refusal can be traced to it.
func (f secretFlags) resolveSigning(d *Deps) signature.Secret {
	s := f.resolve(d)
	if !s.IsDevelopment() {
		d.IO.Notef("signing with %s", s.Fingerprint())
	}
	return s
}
