// Command hospitable-webhook receives Hospitable webhooks with nothing but
// the standard library. It checks each delivery's signature over the raw
// body bytes, answers 200 at once, and hands the work to a background
// worker, so Hospitable never waits on your slow code.
//
// Configuration, from the environment:
//
//	HOSPITABLE_WEBHOOK_SECRET  the secret, used byte for byte as the HMAC key
//	                           (personal use: base64 of your primary email;
//	                           `hospitable-hook secret you@example.com` prints it)
//	PORT                       the port to listen on (default 3000; 0 picks a free one)
//	HOST                       optional: the address to listen on (default: all)
//	HOSPITABLE_PROCESSED_LOG   optional: a file that gets one line per delivery
//	                           id taken on, so tests can count them
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// maxBody is the largest delivery accepted. Hospitable documents no limit;
// its deliveries are a few KB, a big property a few hundred KB.
const maxBody = 5 << 20

// Why a delivery's signature was refused.
var (
	errMissing   = errors.New("missing Signature header")
	errMalformed = errors.New("malformed Signature header: want 64 lowercase hex digits")
	errMismatch  = errors.New("signature does not match the body")
)

var signaturePattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// verify checks the Signature header values against the raw body: the
// lowercase hex HMAC-SHA256 of the exact bytes received, keyed with the
// secret text as given (not a decoded form of it).
func verify(secret string, body []byte, values []string) error {
	switch {
	case len(values) == 0:
		return errMissing
	case len(values) > 1 || !signaturePattern.MatchString(values[0]):
		return errMalformed
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	// hmac.Equal takes the same time wherever the first difference is.
	if !hmac.Equal([]byte(want), []byte(values[0])) {
		return errMismatch
	}
	return nil
}

// Event is the envelope every delivery carries. Data stays raw: it may be
// an object or an array, and the actions grow over time.
type Event struct {
	ID      string          `json:"id"`
	Action  string          `json:"action"`
	Data    json.RawMessage `json:"data"`
	Created string          `json:"created"`
	Version string          `json:"version"`
}

// receiver is the webhook endpoint.
type receiver struct {
	secret string
	jobs   chan Event

	// seen remembers the ids taken on, so a retry (which carries the same
	// id) is answered 200 without doing the work twice. Its limits: it lives
	// in memory, so a restart forgets it and two instances do not share it,
	// and it grows with every delivery. In production, record the id in the
	// database that the work writes to, under a unique constraint, in the
	// same transaction as the work.
	mu   sync.Mutex
	seen map[string]bool

	// processed, when set, gets each id taken on, one a line, so that
	// `hospitable-hook check --observe` can count how often an id was done.
	processed *os.File
	logMu     sync.Mutex
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The raw bytes, before any JSON parsing: the signature covers exactly
	// these, and re-encoded JSON would not match.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			answer(w, http.StatusRequestEntityTooLarge, "body larger than 5 MiB")
			return
		}
		answer(w, http.StatusBadRequest, "could not read the body")
		return
	}
	if err := verify(rc.secret, body, r.Header.Values("Signature")); err != nil {
		log.Printf("refused a delivery: %v", err)
		answer(w, http.StatusUnauthorized, err.Error())
		return
	}
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil {
		answer(w, http.StatusBadRequest, "signed, but not a JSON envelope")
		return
	}
	if ev.ID != "" && !rc.claim(ev.ID) {
		log.Printf("duplicate %s %s: already taken on, answered 200", ev.Action, ev.ID)
		answer(w, http.StatusOK, "duplicate")
		return
	}
	// Hand the work over and answer now. Every validly signed delivery gets
	// 200, actions this code does not know yet included: anything else makes
	// Hospitable retry the same bytes, up to five times.
	select {
	case rc.jobs <- ev:
	default:
		// The worker is far behind: let Hospitable retry later.
		rc.release(ev.ID)
		answer(w, http.StatusServiceUnavailable, "busy, retry later")
		return
	}
	rc.record(ev.ID)
	log.Printf("accepted %s %s", ev.Action, ev.ID)
	answer(w, http.StatusOK, "accepted")
}

// claim marks id as taken on and reports whether it was new. Checking and
// marking under one lock means two copies of a delivery arriving at the
// same moment cannot both win.
func (rc *receiver) claim(id string) bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.seen[id] {
		return false
	}
	rc.seen[id] = true
	return true
}

func (rc *receiver) release(id string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	delete(rc.seen, id)
}

func (rc *receiver) record(id string) {
	if rc.processed == nil || id == "" {
		return
	}
	rc.logMu.Lock()
	defer rc.logMu.Unlock()
	if _, err := rc.processed.WriteString(id + "\n"); err != nil {
		log.Printf("write processed log: %v", err)
	}
}

// work runs the slow part, one event at a time, after the answer went out.
// A channel and a goroutine keep this starter dependency-free; in
// production use a durable queue (a jobs table, River, Asynq, SQS), since
// events still in this channel are lost if the process stops.
func (rc *receiver) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-rc.jobs:
			handle(ev)
		}
	}
}

// handle is where your code goes.
func handle(ev Event) {
	switch ev.Action {
	case "reservation.created", "reservation.updated", "reservation.changed":
		log.Printf("reservation event %s: sync it to your system here", ev.ID)
	case "message.created":
		log.Printf("message event %s: reply or notify here", ev.ID)
	default:
		// Unknown or not yet interesting: acknowledged all the same.
		log.Printf("no handler for %s (%s): ignored", ev.Action, ev.ID)
	}
}

func answer(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	key := "status"
	if status != http.StatusOK {
		key = "error"
	}
	_ = json.NewEncoder(w).Encode(map[string]string{key: msg})
}

// newReceiver reads the configuration; the error says what to set.
func newReceiver(getenv func(string) string) (*receiver, error) {
	secret := getenv("HOSPITABLE_WEBHOOK_SECRET")
	if secret == "" {
		return nil, errors.New("HOSPITABLE_WEBHOOK_SECRET is not set: set it to your webhook secret (personal use: the base64 of your primary email, which `hospitable-hook secret you@example.com` prints)")
	}
	if strings.TrimSpace(secret) != secret {
		log.Printf("warning: HOSPITABLE_WEBHOOK_SECRET has surrounding whitespace; it is used byte for byte, so every signature will mismatch unless Hospitable's secret has it too")
	}
	rc := &receiver{secret: secret, jobs: make(chan Event, 1000), seen: map[string]bool{}}
	if name := getenv("HOSPITABLE_PROCESSED_LOG"); name != "" {
		f, err := os.OpenFile(name, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open HOSPITABLE_PROCESSED_LOG: %w", err)
		}
		rc.processed = f
	}
	return rc, nil
}

func main() {
	rc, err := newReceiver(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "3000"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go rc.work(ctx)

	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/hospitable", rc)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	ln, err := net.Listen("tcp", net.JoinHostPort(os.Getenv("HOST"), port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("listening on %s, POST /webhooks/hospitable", ln.Addr())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
