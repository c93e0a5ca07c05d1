package listener

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// verify checks the Signature header on the raw body, with the current
// secret and then the older ones of a rotation, and counts the verdict.
func (h *Handler) verify(r *http.Request, ev *Event) {
	ev.Checked = true
	// Two Signature headers are refused whatever they hold: Hospitable sends
	// one, and a receiver that checks the first while something else trusts
	// the last can be fooled.
	sigs := r.Header.Values(signature.Header)
	if len(sigs) > 1 {
		ev.Reason = fmt.Sprintf("%d Signature headers; Hospitable sends exactly one", len(sigs))
		h.forged.Add(1)
		return
	}
	sig := r.Header.Get(signature.Header)
	if err := h.key.Verify(ev.Body, sig); err != nil && !h.verifyOlder(ev.Body, sig, ev) {
		ev.Reason = describeVerifyError(err, sigs)
		h.forged.Add(1)
		return
	}
	ev.Verified = true
	h.verified.Add(1)
}

// verifyOlder tries the older secrets of a rotation on a signature the
// current secret did not match, and notes which one did.
func (h *Handler) verifyOlder(body []byte, sig string, ev *Event) bool {
	for i, k := range h.older {
		if k.Verify(body, sig) == nil {
			ev.OlderSecret = i + 1
			return true
		}
	}
	return false
}

// describeVerifyError says, for a row and a record, why a signature was
// refused.
func describeVerifyError(err error, sigs []string) string {
	switch {
	case errors.Is(err, signature.ErrMissing) && len(sigs) == 0:
		return "no Signature header"
	case errors.Is(err, signature.ErrMissing):
		return "empty Signature header"
	case errors.Is(err, signature.ErrMalformed):
		return "Signature header is not 64 hex characters"
	case errors.Is(err, signature.ErrMismatch) && err != signature.ErrMismatch:
		return "Signature is not 64 lowercase hex characters, as Hospitable sends it"
	default:
		return "signature does not match (another secret, or the body changed after signing)"
	}
}

// parse reads the body as a delivery. A forged body is refused whatever
// it holds: of a large one only what its row and record show is read.
func (h *Handler) parse(ev *Event) {
	if !ev.Verified && !h.cfg.NoVerify && h.cfg.Forward == nil && len(ev.Body) > rowBody {
		ev.Delivery = peek(ev.Body)
		return
	}
	ev.Delivery = inspect.Parse(ev.Body)
}
