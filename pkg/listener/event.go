package listener

import (
	"net/http"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
)

// Kind says what sort of request an Event reports.
type Kind string

// Kinds of Event.
const (
	// KindDelivery is a POST on the served path: a delivery attempt.
	KindDelivery Kind = "delivery"
	// KindOther is anything else: the status page, a wrong method or path.
	KindOther Kind = "other"
)

// Outcome says how far a delivery got and why it stopped.
type Outcome string

// Outcomes of the listener's checks, in the order they run.
const (
	OutcomeOK        Outcome = "ok"         // passed every check
	OutcomeForbidden Outcome = "forbidden"  // source outside --allow-ip (403)
	OutcomeTooLarge  Outcome = "too_large"  // body over the limit (413)
	OutcomeReadError Outcome = "read_error" // the body could not be read (400)
	OutcomeSignature Outcome = "signature"  // missing or wrong signature (401)
	OutcomeNotJSON   Outcome = "not_json"   // not JSON (400)
	OutcomeNoRecord  Outcome = "no_record"  // capture file write failed (500)
)

// Event reports one request after it was answered.
type Event struct {
	// Kind tells a delivery from any other request.
	Kind Kind
	// ReceivedAt is when the request arrived.
	ReceivedAt time.Time
	// Method, Path and RemoteAddr describe the request; RemoteAddr is the
	// source as judged (X-Forwarded-For with TrustProxy).
	Method, Path, RemoteAddr string
	// Header is the request's headers.
	Header http.Header
	// Body is the exact body, nil when it was not read. An Event from
	// Events may hold only the body's first bytes: see Cut.
	Body []byte
	// Cut is how many bytes at the end of the body an Event from Events no
	// longer holds (Config.WholeBodies); BodyLen is the whole length.
	Cut int
	// Delivery is the body read as a delivery.
	Delivery inspect.Received
	// Verified says whether the signature matched.
	Verified bool
	// OlderSecret, when above 0, says the signature matched only
	// Config.OlderSecrets[OlderSecret-1], not the current secret.
	OlderSecret int
	// Checked says whether the signature was checked at all.
	Checked bool
	// Reason says why the signature did not match, or why it was not checked.
	Reason string
	// Outcome is how far the listener's checks let the request get.
	Outcome Outcome
	// Attempt numbers the attempts of one id, from 1; 0 when the body has
	// no id or was not verified.
	Attempt int
	// Scripted is the scripted step that was applied, nil when none.
	Scripted *Step
	// Status is the status answered, 0 for none (a scripted timeout).
	Status int
	// Latency is from arrival to the end of the answer.
	Latency time.Duration
	// Forward is the app's answer, when forwarding.
	Forward *Forward
	// RecordErr says why the capture file could not be written.
	RecordErr string
}

// BodyLen returns the length of the body received, including any part
// the Event no longer holds (Cut).
func (e Event) BodyLen() int { return len(e.Body) + e.Cut }

// Stats are running counts of deliveries.
type Stats struct {
	// Received counts deliveries (POSTs on the served path).
	Received int64 `json:"received"`
	// Verified counts deliveries with a valid signature.
	Verified int64 `json:"verified"`
	// FirstVerified counts verified first attempts: distinct deliveries.
	FirstVerified int64 `json:"-"`
	// Forged counts deliveries whose signature was missing or wrong.
	Forged int64 `json:"forged"`
	// Rejected counts deliveries the listener refused (401, 400, 403, 413).
	Rejected int64 `json:"rejected"`
	// Duplicates counts retries: attempts after the first of an id.
	Duplicates int64 `json:"duplicates"`
	// Dropped counts events not shown because the display fell behind.
	Dropped int64 `json:"dropped,omitempty"`
}
