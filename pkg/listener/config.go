package listener

import (
	"net/netip"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/clock"
)

// Defaults for Config fields left zero.
const (
	// DefaultMaxBody is the largest body accepted: 5 MiB.
	DefaultMaxBody = 5 << 20
	// DefaultHold is the longest a scripted `timeout` holds a request
	// whose sender has not given up.
	DefaultHold = 60 * time.Second
	// DefaultSeen is how many recent delivery ids are remembered to mark retries.
	DefaultSeen = 10000
	// DefaultBuffer is how many events wait for the display before new
	// ones are dropped.
	DefaultBuffer = 1024
	// MaxRefusedBody is how much of a delivery the listener refused (its
	// signature missing or wrong) the capture file keeps; the record says
	// when it was cut (body_truncated, body_size).
	MaxRefusedBody = 64 << 10
	// maxPooledBody is the largest body buffer kept for reuse, so that one
	// huge delivery does not pin its memory for good.
	maxPooledBody = 64 << 10
	// maxPrealloc is the most a declared Content-Length reserves before
	// the bytes arrive.
	maxPrealloc = 1 << 20
)

// Recorder keeps captured requests; *capture.Writer is one.
type Recorder interface {
	Append(capture.Record) error
}

// Config is how a Handler behaves.
type Config struct {
	// Secret is the HMAC key deliveries are verified with.
	Secret string
	// OlderSecrets are accepted too, during a rotation; a delivery that
	// matches only one of them says so in Event.OlderSecret.
	OlderSecrets []string
	// NoVerify accepts deliveries whatever their signature; the verdict is
	// still reported.
	NoVerify bool
	// Path, when set, is the only path that accepts deliveries; others get
	// 404. Empty accepts POST on any path.
	Path string
	// MaxBody is the largest body read, in bytes; 0 means DefaultMaxBody.
	MaxBody int64
	// AllowIPs, when set, are the only source ranges served; others get 403.
	AllowIPs []netip.Prefix
	// TrustProxy takes the source address from X-Forwarded-For (the
	// address the proxy appended, the last one), for tunnels such as ngrok.
	TrustProxy bool
	// Script scripts the answers per delivery id; nil answers like a real
	// endpoint.
	Script Script
	// Delay slows every answer.
	Delay time.Duration
	// Hold caps how long a scripted timeout holds a request; 0 means DefaultHold.
	Hold time.Duration
	// Forward, when set, passes deliveries to the user's app and answers
	// with its status.
	Forward *Forwarder
	// Recorder, when set, receives every POST before it is answered. A
	// delivery that cannot be recorded is answered 500 (Hospitable retries
	// it) rather than lost.
	Recorder Recorder
	// Clock tells the time and waits (Delay, Hold); nil means the wall clock.
	Clock clock.Clock
	// Seen is how many recent ids are remembered; 0 means DefaultSeen.
	Seen int
	// Buffer is the size of the event channel; 0 means DefaultBuffer.
	Buffer int
	// BufferBytes bounds the memory of the events waiting for the display;
	// 0 means DefaultBufferBytes. Events that would pass it are dropped
	// and counted, like those that find the channel full.
	BufferBytes int64
	// WholeBodies keeps every queued body whole (listen --json prints
	// them); otherwise an Event keeps of a body over 256 KiB only its first
	// 64 KiB, what a row and -v show (Event.Cut says how much is gone).
	WholeBodies bool
	// Quiet reports no events at all (listen --quiet): nothing is queued
	// for a display, none are counted as dropped, and Stats still count.
	Quiet bool
	// Tap, when set, is handed every event on the handler's goroutine once
	// the answer is written, Quiet or not, whether or not the display
	// keeps up (the inspector's ring). It must return at once.
	Tap func(Event)
}
