package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// The flags here are shared by every command that sends deliveries (send,
// simulate, check, demo): a command adds them with two lines,
//
//	var pf payloadFlags
//	var tf targetFlags
//	pf.add(c); tf.add(c)
//
// checks them in RunE with pf.check(c, args), and in its run calls
// pf.build(d, actions) for the signed deliveries and tf.build(d) for where
// and how to post them.

// envURL names the environment variable with the default target.
const envURL = "HOSPITABLE_HOOK_URL"

// defaultURL is where deliveries go when neither --to nor envURL says.
const defaultURL = "http://127.0.0.1:5000/webhooks/hospitable"

// payloadFlags say what a delivery holds: the fixture's data with
// overrides, or a body file sent untouched; and the secret that signs it.
type payloadFlags struct {
	secret    secretFlags
	version   string
	encoding  string
	id        string
	created   string
	action    string
	dataFile  string
	bodyFile  string
	overrides []event.Override
	fixtures  fixturesDir
}

func (f *payloadFlags) add(c *cobra.Command) {
	fl := c.Flags()
	fl.Var(&overrideValue{list: &f.overrides}, "set", "Set a field of the envelope: `path=value` (dot path, array indexes as numbers; value as JSON when valid, else a string); repeatable")
	fl.Var(&overrideValue{list: &f.overrides, unset: true}, "unset", "Remove a field of the envelope, by dot `path`; repeatable")
	fl.StringVar(&f.dataFile, "data", "", "Replace the envelope's data with the JSON in this `file` (- for standard input)")
	fl.StringVar(&f.id, "id", "", "Use this envelope `id` instead of a fresh ULID")
	fl.StringVar(&f.created, "created", "", "Use this `time` for created, verbatim, instead of now")
	fl.StringVar(&f.action, "action", "", "Send under this action `name` (the fixture still chooses the data)")
	fl.StringVar(&f.version, "version", event.DefaultVersion, "Envelope `version` (the v2 reference shows v2)")
	stringEnumFlag(c, &f.encoding, "encoding", string(event.PHP), event.Encodings(), "Body `encoding`: php (escaped \\/ and \\uXXXX, like PHP's json_encode) or compact (raw UTF-8)")
	fl.StringVar(&f.bodyFile, "body", "", "Post the exact bytes of this `file` (- for standard input), signed, with no envelope")
	addSecretFlags(c, &f.secret)
	f.fixtures.add(c)
	_ = c.RegisterFlagCompletionFunc("action", completeActions)
}

// check rejects flag combinations that cannot mean anything, before any
// file is read or anything is sent.
func (f *payloadFlags) check(c *cobra.Command) error {
	if f.bodyFile != "" {
		for _, name := range []string{"set", "unset", "data", "id", "created", "action", "version", "encoding"} {
			if c.Flags().Changed(name) {
				return flagErrorf("`--body` posts the file's bytes untouched, so `--%s` cannot apply: drop one of them", name)
			}
		}
	}
	if c.Flags().Changed("action") && f.action == "" {
		return flagErrorf("empty `--action`: name the action to send under, like reservation.cancelled")
	}
	return nil
}

// raw reports whether the deliveries are a body file sent as is.
func (f *payloadFlags) raw() bool { return f.bodyFile != "" }

// build returns the signed deliveries: one per action, built from its
// fixture; or, with no action, one from --action and --data; or the
// --body file. Every delivery is built (unsigned) first, so that an input
// error comes before the secret is resolved and announced; then each is
// signed once, with one Key.
func (f *payloadFlags) build(ctx context.Context, d *Deps, actions []string) ([]event.Delivery, error) {
	out, err := f.unsigned(ctx, d, actions)
	if err != nil {
		return nil, err
	}
	key := f.key(d)
	for i := range out {
		out[i] = out[i].Signed(key)
	}
	return out, nil
}

// unsigned returns the deliveries build signs; mistakes are input errors.
func (f *payloadFlags) unsigned(ctx context.Context, d *Deps, actions []string) ([]event.Delivery, error) {
	if f.raw() {
		body, err := readInput(ctx, d.ReadFile, f.bodyFile)
		if err != nil {
			return nil, err
		}
		if !json.Valid(body) {
			d.IO.Warnf("the --body file is not valid JSON; sending it as it is")
		}
		return []event.Delivery{event.FromBody(body)}, nil
	}
	specs, labels, err := f.specs(ctx, d, actions)
	if err != nil {
		return nil, err
	}
	b := event.NewBuilder(d.Now, d.Entropy)
	out := make([]event.Delivery, 0, len(specs))
	for i, spec := range specs {
		dl, err := b.Build(spec)
		if err != nil {
			return nil, inputErr(f.buildError(labels[i], len(specs) > 1, err))
		}
		out = append(out, dl)
	}
	return out, nil
}

// key resolves the secret, says on stderr which one signs (see
// resolveSigning), and returns the Key that signs every delivery. Call it
// once the input is validated.
func (f *payloadFlags) key(d *Deps) *signature.Key {
	return signature.NewKey(f.secret.resolveSigning(d).Value)
}

// warnCreated warns, without failing, about a --created that Hospitable
// would not send.
func (f *payloadFlags) warnCreated(d *Deps) {
	if f.created == "" {
		return
	}
	if _, err := time.Parse(event.CreatedLayout, f.created); err != nil {
		d.IO.Warnf("--created %q is not in Hospitable's form (UTC, like 2026-05-08T19:47:03Z); sending it as given", f.created)
	}
}

// specs returns the Spec of each delivery, with the flags applied (the
// --data file read, --encoding parsed, an odd --created warned about), and
// the action each came from (for error messages).
func (f *payloadFlags) specs(ctx context.Context, d *Deps, actions []string) ([]event.Spec, []string, error) {
	f.warnCreated(d)
	enc, err := event.ParseEncoding(f.encoding)
	if err != nil {
		return nil, nil, flagErrorf("bad `--encoding`: %w", err)
	}
	var data []byte
	if f.dataFile != "" {
		if data, err = readInput(ctx, d.ReadFile, f.dataFile); err != nil {
			return nil, nil, err
		}
	}
	set := f.fixtures.set(d)
	specs := make([]event.Spec, 0, max(len(actions), 1))
	for _, action := range actions {
		spec, err := event.FromFixture(set, action)
		var unknown *fixture.UnknownActionError
		if errors.As(err, &unknown) {
			return nil, nil, inputErr(fmt.Errorf("%w; to send under an action name of your own, pick a fixture and add `--action NAME`", err))
		}
		if err != nil {
			return nil, nil, inputErr(err)
		}
		specs = append(specs, spec)
	}
	if len(actions) == 0 {
		specs = append(specs, event.Spec{Action: f.action})
	}
	labels := make([]string, len(specs))
	for i := range specs {
		labels[i] = specs[i].Action
		if data != nil {
			specs[i].Data = data
		}
		if f.action != "" {
			specs[i].Action = f.action
		}
		specs[i].Version, specs[i].ID, specs[i].Created, specs[i].Encoding, specs[i].Overrides = f.version, f.id, f.created, enc, f.overrides
	}
	return specs, labels, nil
}

// builder returns a function that makes delivery after delivery for load
// mode, cycling through the actions (one delivery of the first, one of
// the next, …), each with its own id, created and signature: the specs
// are checked and encoded once (event.Template), and the function is safe
// to call from many workers. With --body it returns the file's delivery
// every time. Mistakes are input errors, found before anything is sent.
func (f *payloadFlags) builder(ctx context.Context, d *Deps, actions []string) (func() (event.Delivery, error), error) {
	if f.raw() {
		dls, err := f.build(ctx, d, nil)
		if err != nil {
			return nil, err
		}
		return func() (event.Delivery, error) { return dls[0], nil }, nil
	}
	specs, labels, err := f.specs(ctx, d, actions)
	if err != nil {
		return nil, err
	}
	// Every spec is checked (Template fails as Build would) before the
	// secret is resolved and announced.
	b := event.NewBuilder(d.Now, d.Entropy)
	templates := make([]*event.Template, len(specs))
	for i, spec := range specs {
		if templates[i], err = b.Template(spec); err != nil {
			return nil, inputErr(f.buildError(labels[i], len(specs) > 1, err))
		}
	}
	key := f.key(d)
	var n atomic.Uint64
	return func() (event.Delivery, error) {
		dl, err := templates[(n.Add(1)-1)%uint64(len(templates))].Build()
		return dl.Signed(key), err
	}, nil
}

// buildError names the flag, and with several deliveries the action, that
// an error comes from.
func (f *payloadFlags) buildError(action string, several bool, err error) error {
	var pe *event.PathError
	where := ""
	if several {
		where = fmt.Sprintf(" (in %s)", action)
	}
	switch {
	case errors.As(err, &pe):
		for _, o := range f.overrides {
			if o.Path == pe.Path {
				return fmt.Errorf("%s%s: %w", o, where, err)
			}
		}
	case f.dataFile != "":
		return fmt.Errorf("`--data %s`: %w", f.dataFile, err)
	}
	return fmt.Errorf("build delivery%s: %w", where, err)
}

// overrideValue is the pflag.Value behind --set and --unset. Both append
// to one list, so the overrides apply in command-line order.
type overrideValue struct {
	list  *[]event.Override
	unset bool
}

func (v *overrideValue) String() string { return "" }

func (v *overrideValue) Type() string {
	if v.unset {
		return "path"
	}
	return "path=value"
}

func (v *overrideValue) Set(s string) error {
	var o event.Override
	var err error
	if v.unset {
		o, err = event.ParseUnset(s)
	} else {
		o, err = event.ParseSet(s)
	}
	if err != nil {
		return err
	}
	*v.list = append(*v.list, o)
	return nil
}

// targetFlags say where and how deliveries are posted.
type targetFlags struct {
	// connections, set by load mode before build, is how many
	// connections the client keeps open (see deliver.ClientOptions).
	connections int
	// fresh, set by simulate before build, opens a new connection for
	// every delivery (see deliver.ClientOptions.FreshConnections).
	fresh    bool
	to       string
	headers  []string
	timeout  time.Duration
	insecure bool
}

func (f *targetFlags) add(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.to, "to", "", "Target `URL` (default: $"+envURL+", else "+defaultURL+")")
	fl.StringArrayVarP(&f.headers, "header", "H", nil, "Extra header, `'Name: value'`; replaces a header of the same name; repeatable")
	fl.DurationVar(&f.timeout, "timeout", deliver.DefaultTimeout, "Give up on a delivery after this long")
	fl.BoolVar(&f.insecure, "insecure", false, "Skip TLS certificate verification (self-signed HTTPS)")
}

// target is where and how to post, resolved from targetFlags.
type target struct {
	// URL is the endpoint.
	URL string
	// Header holds the extra -H headers.
	Header http.Header
	// Client posts.
	Client *deliver.Client
}

// post sends one delivery to the target.
func (t target) post(ctx context.Context, d event.Delivery) (deliver.Response, error) {
	return t.Client.Post(ctx, t.URL, d, t.Header)
}

// build resolves the URL (--to, $HOSPITABLE_HOOK_URL, the default), parses
// the headers and makes the client; every mistake is an input error.
func (f *targetFlags) build(d *Deps) (target, error) {
	url, origin := f.to, "--to"
	if url == "" {
		url, origin = d.Getenv(envURL), envURL
	}
	if url == "" {
		url, origin = defaultURL, ""
	}
	if _, err := deliver.ParseURL(url); err != nil {
		if origin != "" {
			return target{}, flagErrorf("%s: %w", origin, err)
		}
		return target{}, inputErr(err)
	}
	h, err := deliver.ParseHeaders(f.headers)
	if err != nil {
		return target{}, flagErrorf("-H: %w", err)
	}
	if f.timeout <= 0 {
		return target{}, flagErrorf("bad `--timeout` %s: give a positive duration, like 10s", f.timeout)
	}
	return target{
		URL:    url,
		Header: h,
		Client: deliver.NewClient(deliver.ClientOptions{Timeout: f.timeout, Insecure: f.insecure, Now: d.Now, Connections: f.connections, FreshConnections: f.fresh}),
	}, nil
}

// completeActions completes action names.
func completeActions(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return fixture.Actions(), cobra.ShellCompDirectiveNoFileComp
}
