package cmd

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/inspector"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

// uiFlags are listen's inspector flags.
type uiFlags struct {
	Addr string
	Off  bool
	Keep int
	// asked says --ui (or $HOSPITABLE_HOOK_UI) chose the address, so a
	// taken port is an error rather than a reason to try the next one.
	asked bool
	// getenv reads $HOSPITABLE_HOOK_UI.
	getenv func(string) string
}

// envUI moves the inspector's default address: a second tool already on
// 4040, or a test suite that must bind ports the OS picks (127.0.0.1:0).
const envUI = "HOSPITABLE_HOOK_UI"

func (u *uiFlags) add(c *cobra.Command, getenv func(string) string) {
	u.getenv = getenv
	f := c.Flags()
	f.StringVar(&u.Addr, "ui", inspector.DefaultAddr, "Serve the web inspector and its API on this address (default $"+envUI+", else 127.0.0.1:4040 or the next free port)")
	f.BoolVar(&u.Off, "no-ui", false, "Do not serve the web inspector")
	f.IntVar(&u.Keep, "ui-keep", inspector.DefaultKeep, "How many recent requests the inspector keeps in memory")
	c.MarkFlagsMutuallyExclusive("ui", "no-ui")
}

func (u *uiFlags) parse(c *cobra.Command) error {
	u.asked = c.Flags().Changed("ui")
	if u.Off {
		return nil
	}
	if env := u.getenv(envUI); env != "" && !u.asked {
		u.Addr, u.asked = env, true
	}
	if err := inspector.ValidateAddr(u.Addr); err != nil {
		if !c.Flags().Changed("ui") {
			return flagErrorf("bad $%s: %w", envUI, err)
		}
		return flagErrorf("bad `--ui`: %w", err)
	}
	if u.Keep < 1 {
		return flagErrorf("bad `--ui-keep` %d: keep at least 1 request (or pass `--no-ui`)", u.Keep)
	}
	return nil
}

// runningUI is a started inspector.
type runningUI struct {
	url    string
	token  string
	ring   *inspector.Ring
	stop   func()
	asHost string
}

// startUI binds and serves the inspector for a listener that takes
// deliveries on deliveryAddr; it returns nil with --no-ui.
func (o *listenOptions) startUI(deliveryAddr net.Addr, secret string) (*runningUI, error) {
	u := o.ui
	if u.Off {
		return nil, nil
	}
	ln, err := inspector.Bind(u.Addr, !u.asked)
	if err != nil {
		return nil, fmt.Errorf("serve the inspector on %s: %w; pick another `--ui` address, or pass `--no-ui`", u.Addr, errors.Unwrap(err))
	}
	host, _, _ := net.SplitHostPort(u.Addr)
	delivery := deliveryAddr.String()
	if tcp, ok := deliveryAddr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		delivery = net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	opts := inspector.Options{
		Ring: inspector.NewRing(u.Keep, 0), Secret: secret, Addr: ln.Addr().String(),
		DeliveryURL: "http://" + delivery, Path: o.Path,
		Client: deliver.NewClient(deliver.ClientOptions{}),
	}
	if !inspector.IsLoopback(host) {
		opts.Host = host
	}
	if o.forward != nil {
		opts.ForwardTo = o.forward.URL()
	}
	srv := inspector.New(opts)
	hs := inspector.NewHTTPServer(srv)
	hs.ErrorLog = log.New(o.IO.ErrOut, "inspector: ", 0)
	go func() { _ = hs.Serve(ln) }()
	ui := &runningUI{url: "http://" + ln.Addr().String(), token: srv.Token(), ring: srv.Ring(), asHost: opts.Host}
	ui.stop = func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := hs.Shutdown(ctx); err != nil {
			_ = hs.Close()
		}
		opts.Client.Close()
	}
	if ui.asHost != "" {
		o.IO.Warnf("the inspector listens on %s: other machines can see every delivery and replay them", host)
	}
	return ui, nil
}

// tap is the listener's Tap for the inspector, nil without one.
func (u *runningUI) tap() func(listener.Event) {
	if u == nil {
		return nil
	}
	return u.ring.Add
}
