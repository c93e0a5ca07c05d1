// Package inspector is `listen`'s web inspector: a page embedded in the
// binary and a JSON API, served on a loopback address of its own (never the
// delivery port), over a ring of the last requests the listener answered.
//
// The ring is fed by listener.Config.Tap, which appends under a lock and
// never waits for a reader; event streams poll the ring's version and send
// what is new in batches, so a burst of deliveries costs a browser one
// update per batch and costs the answers nothing.
//
// Security: a request whose Host or Origin is not the inspector's own
// address is refused (DNS rebinding, cross-site pages); every request that
// changes something carries the per-run token (header X-Inspector-Token)
// the page is served with; the secret never leaves the process (the page
// sees its first four characters and length); the page renders bodies as
// text only.
package inspector

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

//go:embed web
var webFS embed.FS

// TokenHeader carries the per-run token on every request that changes
// something.
const TokenHeader = "X-Inspector-Token"

// DefaultBatch is how often an event stream sends what is new, at most.
const DefaultBatch = 150 * time.Millisecond

// Options configure a Server.
type Options struct {
	// Ring holds the requests; it is fed by the listener's Tap.
	Ring *Ring
	// Secret signs edited deliveries and explains forged ones. It is never
	// sent to the page whole.
	Secret string
	// Addr is the inspector's own address as bound (host:port): only
	// requests naming it in Host (and Origin) are served.
	Addr string
	// Host is the host the user asked to bind (--ui), when not loopback:
	// requests may name it too.
	Host string
	// DeliveryURL is where the listener takes deliveries
	// (http://127.0.0.1:5000), the default replay target without a forward.
	DeliveryURL string
	// Path is the one path the listener serves, "" for any.
	Path string
	// ForwardTo is the app deliveries are forwarded to, the default replay
	// target when set.
	ForwardTo string
	// Client posts replays and edited deliveries; nil makes one with
	// deliver's defaults.
	Client *deliver.Client
	// Token is the per-run token; "" makes a random one.
	Token string
	// Batch is how often event streams send news; 0 means DefaultBatch.
	Batch time.Duration
}

// Server is the inspector's http.Handler. Create it with New; Close ends
// its event streams so that the http.Server can shut down.
type Server struct {
	opts   Options
	mux    *http.ServeMux
	page   *template.Template
	hosts  []string
	stop   context.Context
	cancel context.CancelFunc
}

// New returns the inspector for opts.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = rand.Text()
	}
	if opts.Batch <= 0 {
		opts.Batch = DefaultBatch
	}
	if opts.Client == nil {
		opts.Client = deliver.NewClient(deliver.ClientOptions{})
	}
	if opts.Ring == nil {
		opts.Ring = NewRing(0, 0)
	}
	stop, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts: opts, mux: http.NewServeMux(), stop: stop, cancel: cancel,
		page:  template.Must(template.ParseFS(webFS, "web/index.html")),
		hosts: allowedHosts(opts.Addr, opts.Host),
	}
	s.routes()
	return s
}

// Token returns the per-run token, for scripts told it by `listen --json`.
func (s *Server) Token() string { return s.opts.Token }

// Ring returns the ring the server shows.
func (s *Server) Ring() *Ring { return s.opts.Ring }

// Close ends the event streams; the http.Server's Shutdown can then finish.
func (s *Server) Close() { s.cancel() }

func (s *Server) routes() {
	static, _ := fs.Sub(webFS, "web")
	m := s.mux
	m.HandleFunc("GET /{$}", s.index)
	m.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(static)))
	m.HandleFunc("GET /api/session", s.session)
	m.HandleFunc("GET /api/deliveries", s.list)
	m.HandleFunc("DELETE /api/deliveries", s.clear)
	m.HandleFunc("POST /api/clear", s.clear)
	m.HandleFunc("GET /api/deliveries/{seq}", s.one)
	m.HandleFunc("GET /api/deliveries/{seq}/body", s.body)
	m.HandleFunc("GET /api/deliveries/{seq}/curl", s.curl)
	m.HandleFunc("POST /api/deliveries/{seq}/replay", s.replay)
	m.HandleFunc("POST /api/send", s.send)
	m.HandleFunc("GET /api/capture", s.capture)
	m.HandleFunc("GET /api/events", s.events)
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API route: "+r.Method+" "+r.URL.Path+"; see the README's inspector section")
	})
}

// ServeHTTP checks where the request comes from, then serves it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	if err := s.checkOrigin(r); err != nil {
		writeError(w, http.StatusForbidden, err.Error())
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		got := r.Header.Get(TokenHeader)
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.Token)) != 1 {
			writeError(w, http.StatusForbidden, "missing or wrong "+TokenHeader+": requests that change something carry the token the page was served with (GET /api/session gives it)")
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// checkOrigin refuses requests that name another host (a DNS rebinding
// attack names the attacker's domain, which resolves to 127.0.0.1) or come
// from another site's page.
func (s *Server) checkOrigin(r *http.Request) error {
	if !s.allowedHost(r.Host) {
		return errors.New("refused: the Host " + quote(r.Host) + " is not the inspector's own address; open it as http://" + s.opts.Addr)
	}
	if o := r.Header.Get("Origin"); o != "" {
		if o != "http://"+r.Host {
			return errors.New("refused: a page from " + quote(o) + " may not use the inspector; only its own page may")
		}
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return errors.New("refused: a cross-site request; only the inspector's own page may use its API")
	}
	return nil
}

func (s *Server) allowedHost(host string) bool {
	for _, h := range s.hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	// Bound to all interfaces: any address of this machine, written as an
	// IP (a rebinding attack needs a name), on the right port.
	if s.opts.Host != "" {
		hh, port, err := net.SplitHostPort(host)
		_, want, _ := net.SplitHostPort(s.opts.Addr)
		if _, perr := netip.ParseAddr(strings.Trim(hh, "[]")); err == nil && perr == nil && port == want {
			return true
		}
	}
	return false
}

// allowedHosts lists the Host values that name the inspector: its address
// as bound, localhost and the loopback addresses on its port, and the host
// the user asked for.
func allowedHosts(addr, asked string) []string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return []string{addr}
	}
	out := []string{addr, net.JoinHostPort("localhost", port), net.JoinHostPort("127.0.0.1", port), net.JoinHostPort("::1", port)}
	if asked != "" {
		out = append(out, net.JoinHostPort(asked, port))
	}
	return out
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = s.page.Execute(w, struct{ Token string }{s.opts.Token})
}

// Session is what the page (or a script) needs to know about this run.
type Session struct {
	// Token is the per-run token for requests that change something.
	Token string `json:"token"`
	// Secret identifies the listener's secret: first four characters and
	// the length, never more.
	Secret string `json:"secret"`
	// DeliveryURL is where the listener takes deliveries.
	DeliveryURL string `json:"delivery_url"`
	// Path is the one path served, "" for any.
	Path string `json:"path,omitempty"`
	// ForwardTo is the app deliveries go on to, "" when not forwarding.
	ForwardTo string `json:"forward_to,omitempty"`
	// ReplayTo is where a replay goes unless another URL is given.
	ReplayTo string `json:"replay_to"`
	// Ring says what the ring holds.
	Ring Counts `json:"ring"`
}

func (s *Server) session(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, Session{
		Token: s.opts.Token, Secret: signature.Mask(s.opts.Secret), DeliveryURL: s.opts.DeliveryURL,
		Path: s.opts.Path, ForwardTo: s.opts.ForwardTo, ReplayTo: s.defaultTarget(""), Ring: s.opts.Ring.Counts(),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}

// APIError is the body of every refused API request.
type APIError struct {
	// Error says what was wrong and what to do.
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, APIError{Error: msg})
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
