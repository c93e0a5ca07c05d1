package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

type signOptions struct {
	IO       *render.IO
	ReadFile func(context.Context, string, int64) ([]byte, error)
	Secret   func() signature.Secret

	File string
	Curl string
}

func newSignCmd(d *Deps, runF func(*signOptions) error) *cobra.Command {
	opts := &signOptions{IO: d.IO, ReadFile: d.ReadFile}
	var sf secretFlags
	c := &cobra.Command{
		Use:   "sign --file <file>",
		Short: "Print the Signature header for any body",
		Long: `sign prints the signature Hospitable would send for the exact bytes of a file
(or standard input with "-"): lowercase hex HMAC-SHA256 keyed with the secret.
With --curl it prints a ready-to-run curl command that posts those bytes.`,
		Example: `  $ hospitable-hook sign --file body.json --secret 123456
  $ printf '{"foo":"bar"}' | hospitable-hook sign --file - --secret 123456
  $ hospitable-hook sign --file body.json --curl http://127.0.0.1:5000/webhooks/hospitable`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if opts.File == "" {
				return flagErrorf("missing `--file`: name the body file, or `-` for standard input")
			}
			if opts.Curl != "" {
				if err := checkURL(opts.Curl); err != nil {
					return err
				}
			}
			opts.Secret = func() signature.Secret { return sf.resolve(d) }
			if runF != nil {
				return runF(opts)
			}
			return runSign(c.Context(), opts)
		},
	}
	c.Flags().StringVarP(&opts.File, "file", "f", "", "Body file to sign (`-` for standard input)")
	c.Flags().StringVar(&opts.Curl, "curl", "", "Print a curl command that posts the body, signed, to this URL")
	addSecretFlags(c, &sf)
	return c
}

func runSign(ctx context.Context, opts *signOptions) error {
	body, err := readInput(ctx, opts.ReadFile, opts.File)
	if err != nil {
		return err
	}
	sig := signature.Sign(body, opts.Secret().Value)
	if opts.Curl == "" {
		fmt.Fprintln(opts.IO.Out, sig)
		return nil
	}
	fmt.Fprintln(opts.IO.Out, render.CurlCommand(opts.Curl, map[string]string{
		"Content-Type":   "application/json",
		signature.Header: sig,
	}, opts.File, body))
	return nil
}
