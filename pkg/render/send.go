package render

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// PreviewBytes is how much of a response body the one-line view shows.
const PreviewBytes = 200

// SendResult is one delivery and what came of it, as the send printers
// show it.
type SendResult struct {
	// Time is when the delivery was sent.
	Time time.Time
	// URL is where it went.
	URL string
	// Delivery is what was sent.
	Delivery event.Delivery
	// Response is the answer; its Status is 0 when none came.
	Response deliver.Response
	// Err is the transport failure, nil when an answer came.
	Err error
	// ExpectRefusal marks a replayed delivery that was forged when
	// captured, sent with its captured signature: for it a refusal (4xx)
	// is the right answer, and 200 the failure.
	ExpectRefusal bool
}

// OK reports whether the delivery got the right answer: exactly 200,
// Hospitable's only success; or, when a refusal is expected, a 4xx.
func (r SendResult) OK() bool {
	if r.ExpectRefusal {
		return r.Err == nil && verdict.Judge(verdict.Answer{Status: r.Response.Status, Forged: true}).OK
	}
	return r.Err == nil && r.Response.Success()
}

// refusalVerdict says what an answer to a delivery forged when captured
// means.
func (r SendResult) refusalVerdict() string {
	switch {
	case r.OK():
		return "refused, as it should be: this delivery was forged when captured"
	case verdict.Judge(verdict.Answer{Status: r.Response.Status, Forged: true}).Code == verdict.AcceptsForged:
		return fmt.Sprintf("accepted with %d, yet this delivery was forged when captured: the endpoint does not check signatures", r.Response.Status)
	default:
		return fmt.Sprintf("answered %d to a delivery forged when captured: refuse it with 401", r.Response.Status)
	}
}

// SendLine prints one delivery as a line, `09:35:24 reservation.created
// 01J… → 200 OK 12ms`, then the start of the response body with its length,
// and a note when the answer needs one. verbose adds the request and
// response headers and the whole response body.
func SendLine(w io.Writer, st *Styles, r SendResult, verbose bool) {
	head := fmt.Sprintf("%s %s %s", st.Dim.Render(r.Time.Format("15:04:05")),
		st.ID.Render(orDash(Safe(r.Delivery.Action))), st.Dim.Render(orDash(Safe(r.Delivery.ID))))
	if r.Err != nil {
		fmt.Fprintf(w, "%s %s %s\n", head, st.Cross(), st.Fail.Render(Safe(errorMessage(r.Err))))
		if verbose {
			headerBlock(w, st, ">", "POST "+SafeURL(r.URL), r.Response.RequestHeader)
		}
		return
	}
	resp := r.Response
	fmt.Fprintf(w, "%s → %s %s\n", head, st.StatusText(resp.Status), st.Dim.Render(verdict.Latency(resp.Latency)))
	if verbose {
		headerBlock(w, st, ">", "POST "+SafeURL(r.URL), resp.RequestHeader)
		headerBlock(w, st, "<", Safe(strings.TrimSpace(resp.Proto+" "+verdict.StatusText(resp.Status))), resp.Header)
		fullBody(w, st, resp)
	} else if resp.BodyLength > 0 {
		fmt.Fprintf(w, "  %s %s\n", st.Dim.Render("←"), preview(st, resp))
	}
	switch note := resp.NoteFor(r.URL); {
	case r.ExpectRefusal && r.OK():
		fmt.Fprintf(w, "  %s %s\n", st.Tick(), st.OK.Render(r.refusalVerdict()))
	case r.ExpectRefusal:
		fmt.Fprintf(w, "  %s %s\n", st.Cross(), st.Fail.Render(r.refusalVerdict()))
	case note != "":
		fmt.Fprintf(w, "  %s %s\n", st.Bang(), st.Status(resp.Status).Render(Safe(note)))
	}
	if resp.BodyErr != nil {
		fmt.Fprintf(w, "  %s %s\n", st.Cross(), st.Fail.Render(Safe(bodyFailure(resp))))
	}
}

// bodyFailure says why an answer whose body did not finish is a failure.
func bodyFailure(resp deliver.Response) string {
	return fmt.Sprintf("%s, but the response body did not finish: %s; a sender that reads the whole answer, as most HTTP clients do, counts this as a failed delivery (an assumption: Hospitable does not document its client)",
		verdict.StatusText(resp.Status), errorMessage(resp.BodyErr))
}

// SendSummary prints the tally after several deliveries.
func SendSummary(w io.Writer, st *Styles, results []SendResult) {
	ok, refused, forged := 0, 0, 0
	for _, r := range results {
		if r.ExpectRefusal {
			forged++
		}
		if r.OK() {
			ok++
			if r.ExpectRefusal {
				refused++
			}
		}
	}
	switch {
	case ok == len(results) && forged > 0:
		fmt.Fprintf(w, "%s %s\n", st.Tick(), st.OK.Render(fmt.Sprintf("%d of %d answered as they should: %d delivered (200 OK), %d forged refused", ok, len(results), ok-refused, refused)))
		return
	case ok == len(results):
		fmt.Fprintf(w, "%s %s\n", st.Tick(), st.OK.Render(fmt.Sprintf("%d of %d delivered (200 OK)", ok, len(results))))
		return
	case forged > 0:
		fmt.Fprintf(w, "%s %s\n", st.Cross(), st.Fail.Render(fmt.Sprintf("%d of %d not answered as they should: a valid delivery needs 200, a forged one a refusal", len(results)-ok, len(results))))
		return
	}
	fmt.Fprintf(w, "%s %s\n", st.Cross(), st.Fail.Render(fmt.Sprintf("%d of %d not delivered: Hospitable counts only a 200", len(results)-ok, len(results))))
}

// SendFailure is the one-line error for a run in which some deliveries did
// not get a 200: what they got instead.
func SendFailure(results []SendResult) string {
	var failed []SendResult
	for _, r := range results {
		if !r.OK() {
			failed = append(failed, r)
		}
	}
	if len(failed) == 0 {
		return ""
	}
	what := func(r SendResult) string {
		if r.Err != nil {
			return errorMessage(r.Err)
		}
		if r.ExpectRefusal {
			return r.refusalVerdict()
		}
		if r.Response.BodyErr != nil {
			return bodyFailure(r.Response)
		}
		v := r.Response.Verdict(r.URL)
		if n := v.Note(); n != "" {
			return v.Label + ": " + n
		}
		return v.Label
	}
	first := failed[0]
	if first.ExpectRefusal {
		// A forged delivery that was not refused: say what it got.
		if len(failed) == 1 && len(results) == 1 {
			return Safe(fmt.Sprintf("%s %s", orDash(first.Delivery.Action), what(first)))
		}
		return Safe(fmt.Sprintf("%d of %d deliveries not answered as they should; first: %s %s", len(failed), len(results), orDash(first.Delivery.Action), what(first)))
	}
	if len(failed) == 1 && len(results) == 1 {
		return Safe(fmt.Sprintf("%s not delivered: %s", orDash(first.Delivery.Action), what(first)))
	}
	return Safe(fmt.Sprintf("%d of %d deliveries not delivered; first: %s got %s", len(failed), len(results), orDash(first.Delivery.Action), what(first)))
}

// SendRecord is one delivery as `send --json` prints it. Every field is
// always present, so a consumer need not guess.
type SendRecord struct {
	Time               string      `json:"time"`
	Action             string      `json:"action"`
	ID                 string      `json:"id"`
	URL                string      `json:"url"`
	Signature          string      `json:"signature"`
	RequestBytes       int         `json:"request_bytes"`
	OK                 bool        `json:"ok"`
	Status             int         `json:"status"`
	StatusText         string      `json:"status_text"`
	LatencyMS          int64       `json:"latency_ms"`
	ResponseHeaders    http.Header `json:"response_headers"`
	ResponseBody       string      `json:"response_body"`
	ResponseBodyBase64 string      `json:"response_body_base64,omitempty"`
	ResponseLength     int64       `json:"response_length"`
	ResponseTruncated  bool        `json:"response_truncated"`
	Note               string      `json:"note"`
	Error              string      `json:"error"`
	ErrorKind          string      `json:"error_kind"`
	Hint               string      `json:"hint"`
}

// NewSendRecord returns the `--json` form of a delivery's result.
func NewSendRecord(r SendResult) SendRecord {
	resp := r.Response
	rec := SendRecord{
		Time:              r.Time.Format(time.RFC3339Nano),
		Action:            r.Delivery.Action,
		ID:                r.Delivery.ID,
		URL:               deliver.RedactURL(r.URL),
		Signature:         r.Delivery.Signature,
		RequestBytes:      len(r.Delivery.Body),
		OK:                r.OK(),
		Status:            resp.Status,
		LatencyMS:         resp.Latency.Milliseconds(),
		ResponseHeaders:   resp.Header,
		ResponseLength:    resp.BodyLength,
		ResponseTruncated: resp.Truncated(),
		Note:              resp.NoteFor(r.URL),
	}
	if rec.ResponseHeaders == nil {
		rec.ResponseHeaders = http.Header{}
	}
	if resp.Status != 0 {
		rec.StatusText = http.StatusText(resp.Status)
	}
	if utf8.Valid(resp.Body) {
		rec.ResponseBody = string(resp.Body)
	} else {
		rec.ResponseBodyBase64 = base64.StdEncoding.EncodeToString(resp.Body)
	}
	var te *deliver.TransportError
	switch {
	case errors.As(r.Err, &te):
		rec.Error, rec.ErrorKind, rec.Hint = te.Error(), string(te.Kind), te.Hint()
	case r.Err != nil:
		rec.Error, rec.ErrorKind = r.Err.Error(), string(deliver.KindOther)
	case errors.As(resp.BodyErr, &te):
		rec.Error, rec.ErrorKind, rec.Hint = "response body: "+te.Error(), string(te.Kind), te.Hint()
	}
	return rec
}

// DryRun prints the request that would be sent: method and URL, the
// headers in order of name, a blank line, and the body followed by a
// newline (the newline is not part of the body).
func DryRun(w io.Writer, st *Styles, method, url string, header http.Header, body []byte) {
	fmt.Fprintf(w, "%s %s\n", st.Bold.Render(method), SafeURL(url))
	for _, name := range sortedKeys(header) {
		for _, v := range header[name] {
			fmt.Fprintf(w, "%s %s\n", st.Key.Render(Safe(name)+":"), Safe(v))
		}
	}
	fmt.Fprintln(w)
	if safe := SafeBlock(string(body)); safe != string(body) {
		_, _ = io.WriteString(w, safe) // --json has the exact bytes
	} else {
		_, _ = w.Write(body)
	}
	fmt.Fprintln(w)
}

// DryRunRecord is a request as `send --dry-run --json` prints it.
type DryRunRecord struct {
	Method     string      `json:"method"`
	URL        string      `json:"url"`
	Headers    http.Header `json:"headers"`
	Body       string      `json:"body,omitempty"`
	BodyBase64 string      `json:"body_base64,omitempty"`
}

// NewDryRunRecord returns the `--json` form of a request not sent. The body
// is a string when it is valid UTF-8, else base64 in body_base64.
func NewDryRunRecord(method, url string, header http.Header, body []byte) DryRunRecord {
	rec := DryRunRecord{Method: method, URL: deliver.RedactURL(url), Headers: header}
	if utf8.Valid(body) {
		rec.Body = string(body)
	} else {
		rec.BodyBase64 = base64.StdEncoding.EncodeToString(body)
	}
	return rec
}

// CurlHeaders flattens headers for CurlCommand, leaving out the ones curl
// sets itself (Host, Content-Length) so the command stays correct if the
// body is edited.
func CurlHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		if name == "Host" || name == "Content-Length" || len(values) == 0 {
			continue
		}
		out[name] = values[len(values)-1]
	}
	return out
}

func errorMessage(err error) string {
	var te *deliver.TransportError
	if errors.As(err, &te) {
		return te.Message()
	}
	return err.Error()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func sortedKeys(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

func headerBlock(w io.Writer, st *Styles, mark, first string, h http.Header) {
	m := st.Dim.Render(mark)
	fmt.Fprintf(w, "  %s %s\n", m, first)
	for _, name := range sortedKeys(h) {
		for _, v := range h[name] {
			fmt.Fprintf(w, "  %s %s %s\n", m, st.Key.Render(Safe(name)+":"), Safe(v))
		}
	}
}

// fullBody prints the whole kept body, saying so when more came than was kept.
func fullBody(w io.Writer, st *Styles, resp deliver.Response) {
	if resp.BodyLength == 0 {
		fmt.Fprintf(w, "  %s\n", st.Dim.Render("(empty body)"))
		return
	}
	if !utf8.Valid(resp.Body) {
		fmt.Fprintf(w, "  %s\n", st.Dim.Render(fmt.Sprintf("(%d bytes of binary data)", resp.BodyLength)))
		return
	}
	// Control characters other than line breaks and tabs could drive the
	// terminal: show them escaped.
	body := SafeBlock(string(resp.Body))
	_, _ = io.WriteString(w, body)
	if !strings.HasSuffix(body, "\n") {
		fmt.Fprintln(w)
	}
	if resp.Truncated() {
		fmt.Fprintf(w, "  %s\n", st.Dim.Render(fmt.Sprintf("(first %d of %d bytes kept)", len(resp.Body), resp.BodyLength)))
	} else {
		fmt.Fprintf(w, "  %s\n", st.Dim.Render(fmt.Sprintf("(%d bytes)", resp.BodyLength)))
	}
}

// preview is the start of a response body on one line, with its length,
// saying when it is cut.
func preview(st *Styles, resp deliver.Response) string {
	b := resp.Body
	if len(b) > PreviewBytes {
		b = b[:PreviewBytes]
		// Do not split a character: drop a partial one at the cut.
		for i := 0; i < utf8.UTFMax-1 && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	if !utf8.Valid(b) {
		return st.Dim.Render(fmt.Sprintf("(%d bytes of binary data)", resp.BodyLength))
	}
	if int64(len(b)) < resp.BodyLength {
		return oneLine(string(b)) + "… " + st.Dim.Render(fmt.Sprintf("(first %d of %d bytes; -v shows all)", len(b), resp.BodyLength))
	}
	return oneLine(string(b)) + " " + st.Dim.Render(fmt.Sprintf("(%d bytes)", resp.BodyLength))
}

// oneLine folds line breaks and tabs into spaces and escapes what else
// could drive the terminal (Safe), so a body cannot break the line.
func oneLine(s string) string {
	return Safe(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s))
}
