package inspector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/replay"
)

// Paging limits of the list.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
	// maxRequestBody bounds what a replay or send request may carry.
	maxRequestBody = 8 << 20
)

// List is the answer of GET /api/deliveries.
type List struct {
	// Deliveries are the matching requests, oldest first.
	Deliveries []Summary `json:"deliveries"`
	// More says that more match beyond this page (before the first with
	// `before`/no cursor, after the last with `after`).
	More bool `json:"more"`
	// Ring says what the ring holds.
	Ring Counts `json:"ring"`
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := Filter{Actions: splitList(q["action"]), Verdicts: splitList(q["verdict"]), ID: q.Get("id"), Query: q.Get("q")}
	limit := DefaultLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("bad limit %q: give a number from 1 to %d", v, MaxLimit))
			return
		}
		limit = min(n, MaxLimit)
	}
	after, err1 := cursor(q.Get("after"))
	before, err2 := cursor(q.Get("before"))
	if err := cmpErr(err1, err2); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var matched []Entry
	for _, e := range s.opts.Ring.Snapshot(after) {
		if (before == 0 || e.Seq < before) && f.match(e) {
			matched = append(matched, e)
		}
	}
	out := List{Deliveries: []Summary{}, Ring: s.opts.Ring.Counts()}
	if len(matched) > limit {
		out.More = true
		if q.Has("after") {
			matched = matched[:limit]
		} else {
			matched = matched[len(matched)-limit:]
		}
	}
	for _, e := range matched {
		out.Deliveries = append(out.Deliveries, summarize(e))
	}
	writeJSON(w, http.StatusOK, out)
}

func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func cursor(v string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad cursor %q: give a delivery's seq number", v)
	}
	return n, nil
}

func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func (s *Server) clear(w http.ResponseWriter, r *http.Request) {
	s.opts.Ring.Clear()
	writeJSON(w, http.StatusOK, s.opts.Ring.Counts())
}

// entry finds the request named by the {seq} in the path, or answers 404.
func (s *Server) entry(w http.ResponseWriter, r *http.Request) (Entry, bool) {
	v := r.PathValue("seq")
	seq, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("bad delivery number %q: use the seq from the list", v))
		return Entry{}, false
	}
	e, ok := s.opts.Ring.Get(seq)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no request #%d here: it was cleared, or pushed out by newer ones (the inspector keeps the last %d; `listen --save` keeps them all)", seq, s.opts.Ring.Keep()))
		return Entry{}, false
	}
	return e, true
}

func (s *Server) one(w http.ResponseWriter, r *http.Request) {
	if e, ok := s.entry(w, r); ok {
		writeJSON(w, http.StatusOK, detail(e, s.opts.Secret))
	}
}

func (s *Server) body(w http.ResponseWriter, r *http.Request) {
	e, ok := s.entry(w, r)
	if !ok {
		return
	}
	name := fmt.Sprintf("delivery-%d.bin", e.Seq)
	if e.Event.Delivery.JSON {
		name = fmt.Sprintf("delivery-%d.json", e.Seq)
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(e.Event.Body)))
	_, _ = w.Write(e.Event.Body)
}

func (s *Server) curl(w http.ResponseWriter, r *http.Request) {
	e, ok := s.entry(w, r)
	if !ok {
		return
	}
	if e.Event.Body == nil {
		writeError(w, http.StatusConflict, fmt.Sprintf("request #%d has no body: it was refused before its body was read", e.Seq))
		return
	}
	it, err := replay.NewItem(0, record(e), "")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	target := s.defaultTarget(e.Event.Path)
	req, err := deliver.NewRequest(r.Context(), target, it.Delivery, it.Extra(nil))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	file := ""
	if !utf8.Valid(e.Event.Body) || bytes.IndexByte(e.Event.Body, 0) >= 0 {
		// A shell argument cannot carry these bytes: post the downloaded body.
		file = fmt.Sprintf("delivery-%d.bin", e.Seq)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, render.CurlCommand(target, render.CurlHeaders(req.Header), file, e.Event.Body))
}

// capture answers the selected requests as a capture file, the format of
// `listen --save`: GET /api/capture?seq=1,2,3, or with the list's filters.
func (s *Server) capture(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var want []uint64
	for _, v := range splitList(q["seq"]) {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("bad seq %q: give the seq numbers of the list, comma separated", v))
			return
		}
		want = append(want, n)
	}
	f := Filter{Actions: splitList(q["action"]), Verdicts: splitList(q["verdict"]), ID: q.Get("id"), Query: q.Get("q")}
	var out bytes.Buffer
	for _, e := range s.opts.Ring.Snapshot(0) {
		if len(want) > 0 && !slices.Contains(want, e.Seq) || !f.match(e) {
			continue
		}
		line, err := capture.Marshal(record(e))
		if err != nil {
			continue
		}
		out.Write(line)
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", `attachment; filename="inspector-capture.jsonl"`)
	_, _ = out.WriteTo(w)
}

// record is the capture record of an entry, as `listen --save` writes it.
func record(e Entry) capture.Record {
	rec := e.Event.Record()
	rec.SetBody(e.Event.Body)
	return rec
}

// defaultTarget is where a replay goes without a URL: the app when
// forwarding, else the listener itself, on the request's own path.
func (s *Server) defaultTarget(path string) string {
	if s.opts.ForwardTo != "" {
		return s.opts.ForwardTo
	}
	switch {
	case s.opts.Path != "":
		path = s.opts.Path
	case path == "":
		path = "/"
	}
	return strings.TrimSuffix(s.opts.DeliveryURL, "/") + path
}

// SendRequest is the body of POST /api/deliveries/{seq}/replay and POST
// /api/send.
type SendRequest struct {
	// URL is where to post; "" means the default (Session.ReplayTo).
	URL string `json:"url,omitempty"`
	// Body is the edited body to sign and send (POST /api/send only).
	Body *string `json:"body,omitempty"`
	// From is the request whose headers an edited body goes with (POST
	// /api/send only); 0 sends only Content-Type and Signature.
	From uint64 `json:"from,omitempty"`
}

// SendResult is what the target answered to a replay or a send.
type SendResult struct {
	// URL is where the delivery went.
	URL string `json:"url"`
	// Signature is the Signature sent.
	Signature string `json:"signature"`
	// Resigned says the body was signed afresh with the listener's secret.
	Resigned bool `json:"resigned"`
	// Size is the body's length in bytes.
	Size int `json:"size"`
	// Status is the answer's status, 0 when none came.
	Status int `json:"status"`
	// Success is Hospitable's judgment: exactly 200.
	Success bool `json:"success"`
	// Label is the answer in a few words, as every command writes it:
	// "200 OK", "204 No Content, not 200"; "" when none came.
	Label string `json:"label,omitempty"`
	// Note says what a non-200 answer means to Hospitable, or why no
	// answer came.
	Note string `json:"note,omitempty"`
	// Error says why no answer came.
	Error string `json:"error,omitempty"`
	// LatencyMS is how long the answer took.
	LatencyMS float64 `json:"latency_ms"`
	// Headers and Body are the answer's (the body's first bytes, as text).
	Headers http.Header `json:"headers,omitempty"`
	Body    string      `json:"body,omitempty"`
	// Warnings lists what is odd about an edited body.
	Warnings []inspect.Warning `json:"warnings,omitempty"`
}

// maxShownAnswer is how much of an answer's body a SendResult carries.
const maxShownAnswer = 4 << 10

func (s *Server) readSendRequest(w http.ResponseWriter, r *http.Request) (SendRequest, bool) {
	var req SendRequest
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "the request is too large: at most 8 MiB")
		return req, false
	}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &req); err != nil {
			writeError(w, http.StatusBadRequest, "bad request body: "+err.Error()+`; send JSON like {"url": "http://127.0.0.1:3000/webhooks"}`)
			return req, false
		}
	}
	if req.URL != "" {
		if _, err := deliver.ParseURL(req.URL); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return req, false
		}
	}
	return req, true
}

func (s *Server) replay(w http.ResponseWriter, r *http.Request) {
	e, ok := s.entry(w, r)
	if !ok {
		return
	}
	req, ok := s.readSendRequest(w, r)
	if !ok {
		return
	}
	if e.Event.Method != http.MethodPost || len(e.Event.Body) == 0 {
		writeError(w, http.StatusConflict, fmt.Sprintf("request #%d is not a delivery to replay: a %s with %d body bytes (only POSTs whose body was read are)", e.Seq, e.Event.Method, len(e.Event.Body)))
		return
	}
	it, err := replay.NewItem(0, record(e), "")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	target := req.URL
	if target == "" {
		target = s.defaultTarget(e.Event.Path)
	}
	writeJSON(w, http.StatusOK, s.post(r, target, it, nil))
}

func (s *Server) send(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readSendRequest(w, r)
	if !ok {
		return
	}
	if req.Body == nil {
		writeError(w, http.StatusBadRequest, `no body to send: give {"body": "..."} with the delivery's JSON`)
		return
	}
	rec := capture.Record{Method: http.MethodPost, Headers: http.Header{"Content-Type": {"application/json"}}}
	path := ""
	if req.From != 0 {
		e, ok := s.opts.Ring.Get(req.From)
		if !ok {
			writeError(w, http.StatusNotFound, fmt.Sprintf("no request #%d here to take the headers from: it was cleared, or pushed out by newer ones", req.From))
			return
		}
		rec, path = record(e), e.Event.Path
	}
	rec.SetBody([]byte(*req.Body))
	it, err := replay.NewItem(0, rec, s.opts.Secret)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	target := req.URL
	if target == "" {
		target = s.defaultTarget(path)
	}
	res := s.post(r, target, it, inspect.Parse(it.Delivery.Body).Warnings)
	writeJSON(w, http.StatusOK, res)
}

// post sends one delivery with the project's client and judges the answer
// as Hospitable would.
func (s *Server) post(r *http.Request, target string, it replay.Item, warnings []inspect.Warning) SendResult {
	resp, err := s.opts.Client.Post(r.Context(), target, it.Delivery, it.Extra(nil))
	res := SendResult{
		URL: target, Signature: it.Delivery.Signature, Resigned: it.Resigned, Size: len(it.Delivery.Body),
		Status: resp.Status, Success: resp.Success(), LatencyMS: ms(resp.Latency), Headers: resp.Header, Warnings: warnings,
	}
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.Label, res.Note = resp.Verdict(target).Label, resp.NoteFor(target)
	body := resp.Body[:min(len(resp.Body), maxShownAnswer)]
	res.Body = string(bytes.ToValidUTF8(body, []byte("\uFFFD")))
	return res
}
