package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/input"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
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

// checkURL accepts only absolute http(s) URLs, with a message that says why.
func checkURL(raw string) error {
	if _, err := deliver.ParseURL(raw); err != nil {
		return flagErrorf("%w", err)
	}
	return nil
}

// maxInput caps a body file read whole (sign, verify, send --body and
// --data): listen's default --max-body. Hospitable's bodies are a few KB;
// the cap keeps /dev/zero or a huge file from filling the memory.
const maxInput = listener.DefaultMaxBody

// readInput reads the body file name ("-" for standard input), at most
// maxInput bytes; Ctrl-C ends the wait for a FIFO or a pipe.
func readInput(ctx context.Context, read func(context.Context, string, int64) ([]byte, error), name string) ([]byte, error) {
	b, err := read(ctx, name, maxInput)
	if err != nil {
		return nil, readError(name, err)
	}
	return b, nil
}

// readError says why a file named by the user could not be read.
func readError(name string, err error) error {
	switch {
	case input.IsTooLarge(err):
		return inputErr(fmt.Errorf("read %s: %w; a webhook body is a few KB, and listen accepts at most %s by default", name, err, listener.FormatBytes(maxInput)))
	case errors.Is(err, context.Canceled):
		return inputErr(fmt.Errorf("read %s: interrupted before the input ended", name))
	default:
		return inputErr(fmt.Errorf("read %s: %w", name, err))
	}
}
