package cmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/check"
	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// shutdownGrace is how long Ctrl-C waits for in-flight deliveries.
const shutdownGrace = 10 * time.Second

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
127.0.0.1:4040, the next free port if taken); --no-ui turns it off.

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
	opts.ui.add(c)
	return c
}

// completeActionList completes a comma-separated list of action names.
func completeActionList(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	done, _ := cutLast(toComplete, ",")
	var out []string
	for _, a := range fixture.Actions() {
		out = append(out, done+a)
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

func cutLast(s, sep string) (string, string) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", s
	}
	return s[:i+1], s[i+1:]
}

// parse checks the flags and their combinations.
func (o *listenOptions) parse(c *cobra.Command) error {
	if o.Port < 0 || o.Port > 65535 {
		return flagErrorf("bad `--port` %d: use 1-65535, or 0 for any free port", o.Port)
	}
	if o.Host == "" {
		return flagErrorf("empty `--host`: use 127.0.0.1 (this machine only) or 0.0.0.0 (all interfaces)")
	}
	if o.Path != "" && !strings.HasPrefix(o.Path, "/") {
		return flagErrorf("bad `--path` %q: start it with /, like /webhooks/hospitable", o.Path)
	}
	if o.SaveFollow && o.Save == "" {
		return flagErrorf("`--save-follow-symlink` needs `--save FILE`: it lets that path be a symbolic link")
	}
	n, err := listener.ParseBytes(o.MaxBody)
	if err != nil {
		return flagErrorf("bad `--max-body`: %w", err)
	}
	o.maxBody = n
	for _, s := range o.AllowIP {
		for _, part := range strings.Split(s, ",") {
			p, err := listener.ParsePrefix(strings.TrimSpace(part))
			if err != nil {
				return flagErrorf("bad `--allow-ip` %q: use a CIDR like 38.80.170.0/24 or a single address", part)
			}
			o.allow = append(o.allow, p)
		}
	}
	if c.Flags().Changed("respond") {
		if o.script, err = listener.ParseScript(o.Respond); err != nil {
			return flagErrorf("bad `--respond`: %w", err)
		}
	}
	if o.Delay < 0 {
		return flagErrorf("bad `--delay` %s: use a positive duration like 2s", o.Delay)
	}
	if c.Flags().Changed("forward-timeout") && (o.ForwardTo == "" || o.ForwardTimeout <= 0) {
		return flagErrorf("bad `--forward-timeout` %s: it needs `--forward-to URL` and a positive duration like 5s", o.ForwardTimeout)
	}
	if o.ForwardTo != "" {
		if err := checkURL(o.ForwardTo); err != nil {
			return err
		}
		fo := listener.ForwardOptions{Timeout: o.ForwardTimeout, Budget: check.DefaultBudget}
		if o.forward, err = listener.NewForwarder(o.ForwardTo, fo); err != nil {
			return flagErrorf("%w", err)
		}
	}
	if o.Expect < 0 {
		return flagErrorf("bad `--expect` %d: give how many verified deliveries to wait for", o.Expect)
	}
	if o.Timeout < 0 || c.Flags().Changed("timeout") && o.Expect == 0 {
		return flagErrorf("`--timeout` needs `--expect N`: it bounds the wait for N deliveries")
	}
	if err := o.ui.parse(c); err != nil {
		return err
	}
	if len(o.Events) > 0 {
		o.eventSet = make(map[string]bool)
		for _, e := range o.Events {
			e = strings.TrimSpace(e)
			if _, ok := fixture.Lookup(e); !ok {
				hint := ""
				if s := fixture.Suggest(e, fixture.Actions()); s != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", s)
				}
				o.IO.Warnf("--events: %q is not a known action%s; showing it anyway", e, hint)
			}
			o.eventSet[e] = true
		}
	}
	return nil
}

// flushEvery bounds how long a shown row may wait in the output buffer
// while deliveries keep arriving.
const flushEvery = 200 * time.Millisecond

func runListen(ctx context.Context, opts *listenOptions) error {
	// Rows go through a buffer, flushed when the listener is idle, every
	// flushEvery under load, and on exit: one write per burst, not per row.
	out := bufio.NewWriterSize(opts.IO.Out, 64<<10)
	opts.IO = opts.IO.WithOut(out)
	opts.flush = func() { _ = out.Flush() }
	defer opts.flush()
	opts.rows = render.NewBurstView(out, opts.IO.Styles(), opts.Clock.Now)
	var rec *capture.Writer
	if opts.Save != "" {
		w, err := openCapture(opts.Save, opts.SaveFollow)
		if err != nil {
			return err
		}
		for _, n := range w.Notes() {
			opts.IO.Warnf("%s", n)
		}
		rec = w
		defer w.Close()
	}
	addr := net.JoinHostPort(opts.Host, strconv.Itoa(opts.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w; pick another `--port` or stop what is using it", addr, errors.Unwrap(err))
	}
	// Announced once the flags, the capture file and the port are good.
	secret := opts.Secret()
	opts.secret = secret.Value
	if opts.Older != nil {
		opts.older = opts.Older()
	}
	cfg := listener.Config{
		Secret: secret.Value, OlderSecrets: secretValues(opts.older), NoVerify: opts.NoVerify, Path: opts.Path, MaxBody: opts.maxBody,
		AllowIPs: opts.allow, TrustProxy: opts.TrustProxy, Script: opts.script, Delay: opts.Delay,
		Forward: opts.forward, Clock: opts.Clock, Quiet: opts.Quiet, WholeBodies: opts.JSON,
	}
	if rec != nil {
		cfg.Recorder = rec
	}
	ui, err := opts.startUI(ln.Addr(), secret.Value)
	if err != nil {
		_ = ln.Close()
		return err
	}
	if ui != nil {
		defer ui.stop()
		cfg.Tap = ui.tap()
	}
	h := listener.New(cfg)
	// Writes may legitimately take as long as a scripted delay plus a held
	// timeout plus a forwarded app's answer.
	srv := listener.NewServer(h, listener.ServerOptions{
		WriteTimeout: opts.Delay + listener.DefaultHold + opts.ForwardTimeout + time.Minute,
		ErrorLog:     log.New(opts.IO.ErrOut, "listen: ", 0),
	})
	// Idle keep-alives make room for new senders past the connection cap.
	ln = listener.LimitConns(srv, ln, 0)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	info := render.ListenInfo{URL: "http://" + ln.Addr().String(), Path: opts.Path, Settings: opts.settings(secret)}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok {
		info.Port = tcp.Port
	}
	if ui != nil {
		info.UI, info.UIToken = ui.url, ui.token
	}
	if opts.JSON {
		_ = opts.IO.JSON(struct {
			Type string `json:"type"`
			render.ListenInfo
		}{"ready", info})
		opts.flush()
	}
	render.ListenReady(opts.IO.ErrOut, opts.IO.ErrStyles(), info)
	if ip, err := netip.ParseAddr(opts.Host); err == nil && !ip.IsLoopback() || err != nil && opts.Host != "localhost" {
		opts.IO.Warnf("listening on %s: other machines can post to it", opts.Host)
	}
	if opts.forward != nil {
		if err := opts.forward.Probe(ctx); err != nil {
			opts.IO.Warnf("nothing answers at %s (%s): %s; until it does, deliveries get the listener's own 502",
				opts.forward.URL(), err.Error(), forwardProbeHint(err.Kind))
		}
	}

	result := opts.wait(ctx, h, serveErr)

	if n := h.InFlight(); n > 0 {
		opts.IO.Notef("stopping: waiting up to %s for %d deliver%s being answered (Ctrl-C again to stop at once)",
			shutdownGrace, n, map[bool]string{true: "y", false: "ies"}[n == 1])
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	listener.Stop(shutdownCtx, srv, h)
	for drained := false; !drained; {
		select {
		case ev := <-h.Events():
			opts.show(ev)
		default:
			drained = true
		}
	}
	opts.rows.Close()
	if rec != nil {
		if err := rec.Close(); err != nil {
			opts.IO.Warnf("closing %s: %v", opts.Save, err)
		}
	}
	opts.summary(h.Stats())
	return result
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

// wait shows events until the listener should stop, and says why it stopped.
func (o *listenOptions) wait(ctx context.Context, h *listener.Handler, serveErr <-chan error) error {
	// Stats changes matter only to --expect; without it, a wake-up per
	// request would cost the listener for nothing.
	changed := h.Changed()
	if o.Expect == 0 {
		changed = nil
	}
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	var timedOut chan struct{}
	if o.Expect > 0 && o.Timeout > 0 {
		timedOut = make(chan struct{})
		waitCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			if o.Clock.Sleep(waitCtx, o.Timeout) == nil {
				close(timedOut)
			}
		}()
	}
	// During a burst (and with --json, whose lines nobody reads one by one)
	// the queue is drained every burstDrain instead of waking this loop
	// for every delivery: a wake-up per delivery costs the serving
	// goroutines more than the rows themselves.
	drain := time.NewTicker(burstDrain)
	defer drain.Stop()
	for {
		events := h.Events()
		if o.rows.Bursting() {
			events = nil
		}
		select {
		case ev := <-events:
			o.show(ev)
			if len(h.Events()) == 0 {
				o.flush()
			}
		case <-drain.C:
			if o.rows.Bursting() {
				o.drainQueued(h)
			}
		case <-tick.C:
			o.drainQueued(h)
			o.rows.Tick()
			o.flush()
		case <-changed:
		case <-timedOut:
			return &checkFailed{fmt.Errorf("timed out after %s: %d of %d verified deliveries arrived", o.Timeout, h.Stats().FirstVerified, o.Expect)}
		case err := <-serveErr:
			return fmt.Errorf("the listener stopped: %w", err)
		case <-ctx.Done():
			if o.Expect > 0 {
				return &checkFailed{fmt.Errorf("interrupted: %d of %d verified deliveries arrived", h.Stats().FirstVerified, o.Expect)}
			}
			return nil
		}
		if o.Expect == 0 {
			continue
		}
		s := h.Stats()
		if s.Forged > 0 {
			return &checkFailed{fmt.Errorf("a delivery failed signature verification (see above); check the secret the sender uses")}
		}
		if s.FirstVerified >= int64(o.Expect) {
			return nil
		}
	}
}

// burstDrain is how often the display takes what queued up during a
// burst: at 20,000 deliveries a second, 400 at a time, well inside the
// queue's 1,024.
const burstDrain = 20 * time.Millisecond

// drainQueued shows every event queued now.
func (o *listenOptions) drainQueued(h *listener.Handler) {
	for {
		select {
		case ev := <-h.Events():
			o.show(ev)
		default:
			return
		}
	}
}

func (o *listenOptions) show(ev listener.Event) {
	if ev.OlderSecret > 0 && ev.OlderSecret <= len(o.older) {
		old := o.older[ev.OlderSecret-1]
		o.IO.Warnf("delivery %s matched only the older secret %s, not the current one: the sender still signs with it; give it the current secret before you drop the old one",
			render.Safe(ev.Delivery.ID), old.Fingerprint())
	}
	if o.eventSet != nil && (ev.Kind != listener.KindDelivery || !o.eventSet[ev.Delivery.Action]) {
		return
	}
	var why *signature.Finding
	if f, ok := ev.Explain(o.secret); ok {
		why = &f
	}
	if o.JSON {
		if ev.Kind == listener.KindDelivery {
			_ = o.IO.JSON(render.ListenJSON(ev, why))
		}
		return
	}
	o.rows.Event(ev, render.ListenOptions{Verbose: o.Verbose, ShowPII: o.ShowPII, Explanation: why})
}

func (o *listenOptions) summary(s listener.Stats) {
	var w io.Writer = o.IO.Out
	st := o.IO.Styles()
	if o.JSON {
		w, st = o.IO.ErrOut, o.IO.ErrStyles()
	}
	render.ListenSummary(w, st, s)
	if o.Save != "" {
		o.IO.Notef("deliveries saved to %s; check them with `hospitable-hook verify --file %s`", o.Save, o.Save)
	}
	if s.Dropped > 0 {
		o.IO.Warnf("%d deliveries were answered but not shown: the display fell behind", s.Dropped)
	}
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
