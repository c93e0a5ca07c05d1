package render

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/replay"
)

// ReplayPlanLine prints one delivery `replay --dry-run` would send:
//
//	line 3  reservation.created 01KB… 7027 bytes · original signature (verified, answered 200 when captured)
func ReplayPlanLine(w io.Writer, st *Styles, it replay.Item) {
	sig := "original signature"
	if it.Resigned {
		sig = "signed again with the current secret"
	}
	captured := "forged"
	if it.Record.Verified {
		captured = "verified"
	}
	if it.Record.Status != 0 {
		captured += fmt.Sprintf(", answered %d", it.Record.Status)
	}
	fmt.Fprintf(w, "%s %s %s %s\n", st.Dim.Render(fmt.Sprintf("line %-4d", it.Line)),
		st.ID.Render(orDash(Safe(it.Delivery.Action))), st.Dim.Render(orDash(Safe(it.Delivery.ID))),
		st.Dim.Render(fmt.Sprintf("%d bytes · %s (%s when captured)", len(it.Delivery.Body), sig, captured)))
}

// ReplayPlanRecord is one delivery as `replay --dry-run --json` prints it.
type ReplayPlanRecord struct {
	Line             int         `json:"line"`
	Action           string      `json:"action"`
	ID               string      `json:"id"`
	Method           string      `json:"method"`
	URL              string      `json:"url"`
	Headers          http.Header `json:"headers"`
	Body             string      `json:"body,omitempty"`
	BodyBase64       string      `json:"body_base64,omitempty"`
	Resigned         bool        `json:"resigned"`
	CapturedVerified bool        `json:"captured_verified"`
	CapturedStatus   int         `json:"captured_status"`
}

// NewReplayPlanRecord returns the `--json` form of a delivery not sent;
// header is what would go on the wire.
func NewReplayPlanRecord(it replay.Item, url string, header http.Header) ReplayPlanRecord {
	rec := ReplayPlanRecord{
		Line: it.Line, Action: it.Delivery.Action, ID: it.Delivery.ID, Method: http.MethodPost, URL: deliver.RedactURL(url), Headers: header,
		Resigned: it.Resigned, CapturedVerified: it.Record.Verified, CapturedStatus: it.Record.Status,
	}
	if utf8.Valid(it.Delivery.Body) {
		rec.Body = string(it.Delivery.Body)
	} else {
		rec.BodyBase64 = base64.StdEncoding.EncodeToString(it.Delivery.Body)
	}
	return rec
}

// ReplayRecord is one replayed delivery as `replay --json` prints it: the
// fields of `send --json`, the record's line in the capture file, its
// verdict when captured, and what answer was expected.
type ReplayRecord struct {
	SendRecord
	Line             int    `json:"line"`
	CapturedVerified bool   `json:"captured_verified"`
	CapturedReason   string `json:"captured_reason,omitempty"`
	CapturedStatus   int    `json:"captured_status"`
	// Expected is "200", or "refusal" for a delivery forged when captured
	// and sent with its captured signature.
	Expected string `json:"expected"`
}

// NewReplayRecord returns the `--json` form of a replayed delivery.
func NewReplayRecord(r SendResult, it replay.Item) ReplayRecord {
	rec := ReplayRecord{
		SendRecord: NewSendRecord(r), Line: it.Line, CapturedVerified: it.Record.Verified,
		CapturedReason: it.Record.Reason, CapturedStatus: it.Record.Status, Expected: "200",
	}
	if r.ExpectRefusal {
		rec.Expected = "refusal"
	}
	return rec
}
