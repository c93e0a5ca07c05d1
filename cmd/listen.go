package cmd

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// shutdownGrace is how long Ctrl-C waits for in-flight deliveries.
const shutdownGrace = listener.DefaultStopGrace

type listenOptions struct {
	IO     *render.IO
	Clock  clock.Clock
	Secret func() signature.Secret
	// secret is the resolved secret, for explaining forged deliveries.
	secret string
	// Older resolves the older secrets of a rotation (secretFlags.older).
	Older func() []signature.Secret
	// older are the resolved older secrets.
	older []signature.Secret

	Port       int
	Host       string
	Path       string
	MaxBody    string
	AllowIP    []string
	TrustProxy bool
	NoVerify   bool
	Verbose    bool
	Quiet      bool
	ShowPII    bool
	Events     []string
	JSON       bool
	Save       string
	SaveFollow bool
	Respond    string
	Delay      time.Duration
	ForwardTo  string
	// ForwardTimeout bounds each forwarded delivery, the app's body included.
	ForwardTimeout time.Duration
	Expect         int
	Timeout        time.Duration
	ui             uiFlags

	// Parsed from the flags by RunE.
	maxBody  int64
	allow    []netip.Prefix
	script   listener.Script
	forward  *listener.Forwarder
	eventSet map[string]bool
	// flush writes out the buffered rows.
	flush func()
	// rows prints rows, or summary lines during a burst.
	rows *render.BurstView
}

func newListenCmd(d *Deps, runF func(*listenOptions) error) *cobra.Command {
	opts := &listenOptions{IO: d.IO, Clock: d.Clock}
	var sf secretFlags
	var rf rotationFlags
	c := &cobra.Command{
		Use:   "listen",
		Short: "Receive, verify and show deliveries like a real endpoint",
		Long: `listen runs a local webhook endpoint. It verifies every delivery's Signature on
the raw bytes, answers as a real endpoint should (200 valid, 401 missing or wrong
signature, 400 not JSON, 405 not POST, 413 too large, 403 outside --allow-ip),
and shows one row per delivery with a digest of what came, retries marked by
attempt number and warnings for odd payloads. Personal data is masked unless
--show-pii.

--quiet prints only the summary when the listener stops (the ready line
still goes to stderr): per-request lines are not even made, so under load
the display costs nothing. Without it, standard output is buffered and
flushed whenever the listener is idle (and at least every 200ms), and
when the display falls behind, rows are dropped (and counted in the
summary) rather than slowing the answers.

It can also capture deliveries (--save), rehearse failures (--respond, --delay),
stand in front of your app and judge its answers (--forward-to), and wait for
deliveries in CI (--expect).

A web inspector of the last deliveries (details, forensics, replay, edit and
re-sign) and its JSON API are served on a second address, --ui (default
127.0.0.1:4040, the next free port if taken; $HOSPITABLE_HOOK_UI moves it);
--no-ui turns it off.

Exit status: 0 stopped normally or --expect met, 1 --expect timed out or a
delivery failed verification, 2 bad flags.`,
		Example: `  $ hospitable-hook listen
  $ hospitable-hook listen --port 5000 --path /webhooks/hospitable -v
  $ hospitable-hook listen --respond 500,500,timeout,200 --save capture.jsonl
  $ hospitable-hook listen --forward-to http://127.0.0.1:3000/webhooks/hospitable
  $ hospitable-hook listen --json --expect 11 --timeout 30s
  $ hospitable-hook listen --quiet --save capture.jsonl
  $ hospitable-hook listen --ui 127.0.0.1:4545 --ui-keep 5000`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := opts.parse(c); err != nil {
				return err
			}
			opts.Secret = func() signature.Secret { return sf.resolve(d) }
			opts.Older = func() []signature.Secret { return rf.older(d, sf) }
			if runF != nil {
				return runF(opts)
			}
			return runListen(c.Context(), opts)
		},
	}
	f := c.Flags()
	f.IntVarP(&opts.Port, "port", "p", 5000, "Port to listen on (0 picks a free one)")
	f.StringVar(&opts.Host, "host", "127.0.0.1", "Address to bind; 0.0.0.0 accepts deliveries from other machines")
	f.StringVar(&opts.Path, "path", "", "Accept deliveries only on this path (default: any path)")
	f.StringVar(&opts.MaxBody, "max-body", "5MiB", "Largest body accepted; larger ones get 413")
	f.StringArrayVar(&opts.AllowIP, "allow-ip", nil, "Serve only sources in this CIDR, e.g. 38.80.170.0/24 (repeatable); others get 403")
	f.BoolVar(&opts.TrustProxy, "trust-proxy", false, "Take the source address from X-Forwarded-For (behind ngrok or another tunnel)")
	f.BoolVar(&opts.NoVerify, "no-verify", false, "Accept deliveries whatever their signature (the verdict is still shown)")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "Show headers and the whole body")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "Print no line per request, only the summary when stopped")
	f.BoolVar(&opts.ShowPII, "show-pii", false, "Show personal data (guest email and phone, Wi-Fi password) unmasked")
	f.StringSliceVar(&opts.Events, "events", nil, "Show only these actions, e.g. reservation.created,message.created")
	f.BoolVar(&opts.JSON, "json", false, "Print one JSON object per delivery")
	f.StringVar(&opts.Save, "save", "", "Append every delivery to this capture file (JSON Lines, exact bytes)")
	f.BoolVar(&opts.SaveFollow, "save-follow-symlink", false, "Let --save be a symbolic link and append to the capture file it points to")
	f.StringVar(&opts.Respond, "respond", "", "Script the answers per delivery id, e.g. 500,500,timeout,200 (the last repeats)")
	f.DurationVar(&opts.Delay, "delay", 0, "Wait this long before every answer, e.g. 2s")
	f.StringVar(&opts.ForwardTo, "forward-to", "", "Pass deliveries to your app at this URL and answer with its status")
	f.DurationVar(&opts.ForwardTimeout, "forward-timeout", listener.DefaultForwardTimeout, "With --forward-to, the longest your app may take to answer, body included; then the listener answers 502")
	f.IntVar(&opts.Expect, "expect", 0, "Exit 0 once this many verified deliveries arrived (CI mode)")
	f.DurationVar(&opts.Timeout, "timeout", 0, "With --expect, exit 1 if they have not arrived after this long")
	c.MarkFlagsMutuallyExclusive("respond", "forward-to")
	c.MarkFlagsMutuallyExclusive("quiet", "verbose")
	c.MarkFlagsMutuallyExclusive("quiet", "events")
	_ = c.RegisterFlagCompletionFunc("events", completeActionList)
	addSecretFlags(c, &sf)
	allowRotation(c, &sf, &rf)
	opts.ui.add(c, d.Getenv)
	return c
}

// runListen serves until Ctrl-C or --expect/--timeout decide (all in
// listener.Serve), showing the deliveries on a goroutine of their own, so
// that a standard output nobody reads never holds the stop.
func runListen(ctx context.Context, opts *listenOptions) error {
	rec, err := opts.openSave()
	if err != nil {
		return err
	}
	if rec != nil {
		defer rec.Close() // Serve closes it; this is for a start that fails
	}
	addr := net.JoinHostPort(opts.Host, strconv.Itoa(opts.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w; pick another `--port` or stop what is using it", addr, errors.Unwrap(err))
	}
	// Announced once the flags, the capture file and the port are good.
	secret := opts.resolveSecrets()
	ui, err := opts.startUI(ln.Addr(), secret.Value)
	if err != nil {
		_ = ln.Close()
		return err
	}
	if ui != nil {
		defer ui.stop()
	}
	out := opts.useOutput()
	srv := listener.Serve(ctx, ln, opts.config(secret, rec, ui), listener.ServeOptions{
		Expect: opts.Expect, Timeout: opts.Timeout, Grace: shutdownGrace, Stopping: opts.stopping,
		ErrorLog: log.New(opts.IO.ErrOut, "listen: ", 0),
	})
	opts.announce(ctx, ln.Addr(), secret, ui)
	shown := opts.display(srv)
	end := srv.Wait()
	if end.CloseErr != nil {
		opts.IO.Warnf("closing %s: %v", opts.Save, end.CloseErr)
	}
	opts.awaitDisplay(shown, out, srv.Stats())
	return opts.result(end)
}

// resolveSecrets resolves the secret (announcing a development one) and
// the older ones of a rotation.
func (o *listenOptions) resolveSecrets() signature.Secret {
	secret := o.Secret()
	o.secret = secret.Value
	if o.Older != nil {
		o.older = o.Older()
	}
	return secret
}

// config is the listener's Config from the flags.
func (o *listenOptions) config(secret signature.Secret, rec *capture.Writer, ui *runningUI) listener.Config {
	cfg := listener.Config{
		Secret: secret.Value, OlderSecrets: secretValues(o.older), NoVerify: o.NoVerify, Path: o.Path, MaxBody: o.maxBody,
		AllowIPs: o.allow, TrustProxy: o.TrustProxy, Script: o.script, Delay: o.Delay,
		Forward: o.forward, Clock: o.Clock, Quiet: o.Quiet, WholeBodies: o.JSON, Tap: ui.tap(),
	}
	if rec != nil {
		cfg.Recorder = rec
	}
	return cfg
}

// openSave opens the --save file, if any, and passes on its notes.
func (o *listenOptions) openSave() (*capture.Writer, error) {
	if o.Save == "" {
		return nil, nil
	}
	w, err := openCapture(o.Save, o.SaveFollow)
	if err != nil {
		return nil, err
	}
	for _, n := range w.Notes() {
		o.IO.Warnf("%s", n)
	}
	return w, nil
}

// openCapture opens the --save file, saying what to do when it is refused.
func openCapture(path string, follow bool) (*capture.Writer, error) {
	w, err := capture.OpenWith(path, capture.Options{FollowSymlink: follow})
	switch {
	case err == nil:
		return w, nil
	case errors.Is(err, capture.ErrSymlink):
		return nil, inputErr(fmt.Errorf("open capture file: %w; choose another `--save` path, or pass `--save-follow-symlink` to append where it points", err))
	case errors.Is(err, capture.ErrNotCapture):
		return nil, inputErr(fmt.Errorf("open capture file: %w; `--save` only appends to capture files, so choose a new path", err))
	default:
		return nil, inputErr(fmt.Errorf("open capture file: %w; choose a writable `--save` path", err))
	}
}

// announce prints the ready line (and the --json ready object), warns
// about an exposed address, and probes --forward-to.
func (o *listenOptions) announce(ctx context.Context, addr net.Addr, secret signature.Secret, ui *runningUI) {
	info := render.ListenInfo{URL: "http://" + addr.String(), Path: o.Path, Settings: o.settings(secret)}
	if tcp, ok := addr.(*net.TCPAddr); ok {
		info.Port = tcp.Port
	}
	if ui != nil {
		info.UI, info.UIToken = ui.url, ui.token
	}
	if o.JSON {
		_ = o.IO.JSON(struct {
			Type string `json:"type"`
			render.ListenInfo
		}{"ready", info})
		o.flush()
	}
	render.ListenReady(o.IO.ErrOut, o.IO.ErrStyles(), info)
	if exposed(o.Host) {
		o.IO.Warnf("listening on %s: other machines can post to it", o.Host)
	}
	if o.forward != nil {
		if err := o.forward.Probe(ctx); err != nil {
			o.IO.Warnf("nothing answers at %s (%s): %s; until it does, deliveries get the listener's own 502",
				o.forward.URL(), err.Error(), forwardProbeHint(err.Kind))
		}
	}
}

// exposed says whether host lets other machines post.
func exposed(host string) bool {
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host != "localhost"
	}
	return !ip.IsLoopback()
}

// result is listen's error for why serving ended.
func (o *listenOptions) result(end listener.End) error {
	switch end.Why {
	case listener.EndExpected:
		return nil
	case listener.EndForged:
		return &checkFailed{fmt.Errorf("a delivery failed signature verification (see above); check the secret the sender uses")}
	case listener.EndTimedOut:
		return &checkFailed{fmt.Errorf("timed out after %s: %d of %d verified deliveries arrived", o.Timeout, end.Stats.FirstVerified, o.Expect)}
	case listener.EndFailed:
		return fmt.Errorf("the listener stopped: %w", end.Err)
	}
	if o.Expect > 0 {
		return &checkFailed{fmt.Errorf("interrupted: %d of %d verified deliveries arrived", end.Stats.FirstVerified, o.Expect)}
	}
	return nil
}

// settings lists, for the ready line, what differs from a plain endpoint.
func (o *listenOptions) settings(secret signature.Secret) []string {
	var s []string
	if o.NoVerify {
		s = append(s, "signatures checked but not enforced (--no-verify)")
	} else {
		s = append(s, "verifying with "+secret.Fingerprint())
		for _, old := range o.older {
			s = append(s, "also accepting the older "+old.Fingerprint()+" (rotation)")
		}
	}
	if o.script != nil {
		s = append(s, "answering "+o.script.String()+" per delivery id")
	}
	if o.Delay > 0 {
		s = append(s, "every answer delayed "+o.Delay.String())
	}
	if o.forward != nil {
		s = append(s, "forwarding to "+o.forward.URL()+" (timeout "+o.forward.Timeout().String()+")")
	}
	if len(o.allow) > 0 {
		var p []string
		for _, a := range o.allow {
			p = append(p, a.String())
		}
		s = append(s, "only from "+strings.Join(p, ", "))
	}
	if o.TrustProxy {
		s = append(s, "source from X-Forwarded-For")
	}
	if o.Save != "" {
		s = append(s, "saving to "+o.Save)
	}
	if len(o.Events) > 0 {
		s = append(s, "showing "+strings.Join(o.Events, ", ")+" only")
	}
	if o.Expect > 0 {
		w := fmt.Sprintf("waiting for %d verified deliver%s", o.Expect, map[bool]string{true: "y", false: "ies"}[o.Expect == 1])
		if o.Timeout > 0 {
			w += " (timeout " + o.Timeout.String() + ")"
		}
		s = append(s, w)
	}
	return s
}

// forwardProbeHint is the next step when the start-up probe of
// --forward-to found nothing.
func forwardProbeHint(kind deliver.Kind) string {
	switch kind {
	case deliver.KindDNS:
		return "check the host name in `--forward-to`"
	case deliver.KindTimeout:
		return "check that your app runs and that `--forward-to` has the right host and port"
	default:
		return "start your app, or point `--forward-to` at where it listens"
	}
}

func secretValues(secrets []signature.Secret) []string {
	var out []string
	for _, s := range secrets {
		out = append(out, s.Value)
	}
	return out
}
