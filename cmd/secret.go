package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

type secretOptions struct {
	IO *render.IO

	Email   string
	Decode  string
	Explain bool
}

func newSecretCmd(d *Deps, runF func(*secretOptions) error) *cobra.Command {
	opts := &secretOptions{IO: d.IO}
	c := &cobra.Command{
		Use:   "secret <email>",
		Short: "Print the webhook secret Hospitable derives from an email",
		Long: `For personal use, Hospitable's webhook secret is the base64 of your primary
email, and the HMAC key is that base64 text itself. secret prints it, and
nothing else, on standard output.`,
		Example: `  $ hospitable-hook secret user@example.com
  $ hospitable-hook secret --decode dXNlckBleGFtcGxlLmNvbQ==
  $ hospitable-hook secret --explain user@example.com`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Email = args[0]
			}
			switch {
			case opts.Decode != "" && opts.Email != "":
				return flagErrorf("give an email or `--decode SECRET`, not both")
			case opts.Decode == "" && opts.Email == "":
				return flagErrorf("missing email: run `hospitable-hook secret you@example.com` (or `--decode SECRET`)")
			case opts.Decode != "" && opts.Explain:
				return flagErrorf("`--explain` goes with an email, not with `--decode`")
			}
			if runF != nil {
				return runF(opts)
			}
			return runSecret(opts)
		},
	}
	c.Flags().StringVar(&opts.Decode, "decode", "", "Print the email a secret encodes")
	c.Flags().BoolVar(&opts.Explain, "explain", false, "Show the bytes, the base64 text, a sample signature and the classic traps")
	return c
}

func runSecret(opts *secretOptions) error {
	if opts.Decode != "" {
		email, exact, err := signature.EmailFromSecret(opts.Decode)
		if err != nil {
			return inputErr(err)
		}
		if !exact {
			opts.IO.Warnf("this is not the standard padded base64 Hospitable uses; the standard form is %s", signature.SecretFromEmail(email))
		}
		fmt.Fprintln(opts.IO.Out, render.Safe(email))
		return nil
	}
	warnAboutEmail(opts.IO, opts.Email)
	secret := signature.SecretFromEmail(opts.Email)
	if !opts.Explain {
		fmt.Fprintln(opts.IO.Out, secret)
		return nil
	}
	render.SecretExplanation(opts.IO.Out, opts.IO.Styles(), opts.Email, secret)
	return nil
}

// warnAboutEmail points out what makes a secret silently wrong: the secret
// is base64 of the exact bytes, so a space or a capital changes it.
func warnAboutEmail(io *render.IO, email string) {
	for _, w := range signature.EmailWarnings(email, "") {
		io.Warnf("%s", w)
	}
}
