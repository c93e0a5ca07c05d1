package render

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// ListenOptions says how much of each request `listen` shows.
type ListenOptions struct {
	// Verbose adds the headers and the whole body, indented.
	Verbose bool
	// ShowPII shows personal data (emails, phones, Wi-Fi passwords) unmasked.
	ShowPII bool
	// Explanation, when set, says why this delivery's signature did not
	// match (listener.Event.Explain).
	Explanation *signature.Finding
}

// ListenInfo describes a running listener for its ready line.
type ListenInfo struct {
	// URL is where it listens, e.g. http://127.0.0.1:5000.
	URL string `json:"url"`
	// Port is the bound port, useful with --port 0.
	Port int `json:"port"`
	// Path is the one path served, "" for any.
	Path string `json:"path,omitempty"`
	// Settings lists what differs from a plain endpoint, one phrase each.
	Settings []string `json:"settings,omitempty"`
	// UI is the web inspector's address, "" with --no-ui.
	UI string `json:"ui,omitempty"`
	// UIToken is the token the inspector's API wants on requests that
	// change something (machine output only).
	UIToken string `json:"ui_token,omitempty"`
}

// indent lines up detail lines under the verdict mark of a row.
const indent = "         "

// maxShownDepth is the deepest body -v indents; deeper ones are shown raw,
// since the indenter recurses.
const maxShownDepth = 1000

// maxShownBody caps how much of a body -v prints.
const maxShownBody = 64 << 10

// ListenReady prints the line that says the listener is bound and serving.
func ListenReady(w io.Writer, st *Styles, info ListenInfo) {
	where := "any path"
	if info.Path != "" {
		where = info.Path
	}
	fmt.Fprintf(w, "%s %s %s\n", st.OK.Render("listening on"), st.Bold.Render(info.URL),
		st.Dim.Render("(POST deliveries to "+where+"; GET shows a status page; Ctrl-C to stop)"))
	if len(info.Settings) > 0 {
		fmt.Fprintf(w, "  %s\n", st.Dim.Render(Safe(strings.Join(info.Settings, " · "))))
	}
	if info.UI != "" {
		fmt.Fprintf(w, "  %s %s %s\n", st.Dim.Render("inspector on"), st.Bold.Render(info.UI), st.Dim.Render("(deliveries, replay and the JSON API in a browser; --no-ui to turn off)"))
	}
}

// ListenEvent prints one request: a summary row, then the digest,
// warnings, the forwarding verdict and, when verbose, headers and body.
func ListenEvent(w io.Writer, st *Styles, ev listener.Event, opts ListenOptions) {
	if ev.Kind != listener.KindDelivery {
		fmt.Fprintf(w, "%s %s\n", st.Dim.Render(ev.ReceivedAt.Format("15:04:05")),
			st.Dim.Render(fmt.Sprintf("%s %s %s %s", Safe(ev.Method), Safe(ev.Path), "←", verdict.StatusText(ev.Status))+otherNote(ev)))
		return
	}
	d := ev.Delivery
	var row []string
	row = append(row, st.Dim.Render(ev.ReceivedAt.Format("15:04:05")))
	switch {
	case !ev.Checked:
		row = append(row, st.Bang(), st.Warn.Render(Safe(ev.Reason))+st.Dim.Render(" ·"))
	case ev.Verified:
		row = append(row, st.Tick())
	default:
		row = append(row, st.Cross(), st.Fail.Render("forged: "+Safe(ev.Reason))+st.Dim.Render(" ·"))
	}
	switch {
	case d.Action != "":
		row = append(row, st.Bold.Render(Safe(d.Action)))
	case ev.Checked && !d.JSON:
		row = append(row, st.Warn.Render(fmt.Sprintf("(not JSON, %d bytes)", ev.BodyLen())))
	case ev.Checked:
		row = append(row, st.Warn.Render("(no action)"))
	}
	if d.ID != "" {
		row = append(row, st.ID.Render(Safe(d.ID)))
	}
	if ev.Attempt > 1 {
		row = append(row, st.Warn.Render(fmt.Sprintf("retry %d", ev.Attempt)))
	}
	row = append(row, st.Dim.Render(Safe(ev.Path)), "←", answer(st, ev))
	fmt.Fprintln(w, strings.Join(row, " "))
	if f := opts.Explanation; f != nil {
		detail(w, st.Warn.Render("why: ")+Safe(f.Sentence()))
		detail(w, st.Warn.Render("fix: ")+Safe(f.Fix()))
	}

	if ev.Checked && !d.JSON && len(ev.Body) > 0 && !opts.Verbose {
		detail(w, st.Dim.Render("body "+excerpt(ev.Body, 60)))
	}
	if facts := d.Digest(); len(facts) > 0 {
		parts := make([]string, len(facts))
		for i, f := range facts {
			parts[i] = st.Key.Render(Safe(f.Label)) + " " + Safe(f.Value)
		}
		detail(w, strings.Join(parts, st.Dim.Render(" · ")))
	}
	for _, warn := range d.Warnings {
		if warn.Code == inspect.WarnNotJSON {
			continue // the row says it
		}
		detail(w, st.Bang()+" "+st.Warn.Render(Safe(warn.Message)))
	}
	if ev.Forward != nil {
		forward(w, st, ev.Forward)
	}
	if ev.RecordErr != "" {
		detail(w, st.Cross()+" "+st.Fail.Render("capture file: "+Safe(ev.RecordErr)+"; answered 500 so the sender retries"))
	}
	if opts.Verbose {
		verbose(w, st, ev, opts)
	}
}

func otherNote(ev listener.Event) string {
	switch {
	case ev.Method == http.MethodGet || ev.Method == http.MethodHead:
		if ev.Status == http.StatusOK {
			return " status page"
		}
	case ev.Status == http.StatusMethodNotAllowed:
		return " (deliveries are POST)"
	case ev.Status == http.StatusNotFound:
		return " (not the --path served)"
	}
	return ""
}

func answer(st *Styles, ev listener.Event) string {
	lat := st.Dim.Render("(" + verdict.Latency(ev.Latency) + ")")
	if ev.Status == 0 {
		return st.Fail.Render("no answer") + " " + st.Dim.Render("(scripted timeout, held "+verdict.Latency(ev.Latency)+")")
	}
	s := st.StatusText(ev.Status) + " " + lat
	switch {
	case ev.Scripted != nil:
		s += " " + st.Dim.Render("scripted")
	case ev.Forward != nil && ev.Forward.Passed():
		s += " " + st.Dim.Render("from your app")
	case ev.Forward != nil && ev.Forward.SenderGone():
		s += " " + st.Dim.Render("from the listener, to a sender already gone")
	case ev.Forward != nil && ev.Forward.Answered():
		s += " " + st.Dim.Render("from the listener: your app's answer did not finish")
	case ev.Forward != nil:
		s += " " + st.Dim.Render("from the listener: your app gave no answer")
	}
	return s
}

func forward(w io.Writer, st *Styles, f *listener.Forward) {
	line := st.Dim.Render("→ "+SafeURL(f.URL)) + " "
	if !f.Answered() {
		text := "no answer: " + f.Err
		if f.Hint != "" && !f.SenderGone() {
			text += ": " + f.Hint
		}
		line += st.Fail.Render(Safe(text)) + " " + st.Dim.Render("("+verdict.Latency(f.Latency)+")")
	} else {
		line += "← " + st.StatusText(f.Status) + " " + st.Dim.Render("("+verdict.Latency(f.Latency)+")")
		if f.Redirect != "" {
			line += " " + st.Warn.Render("redirect to "+SafeURL(f.Redirect)+" not followed ("+Safe(f.RedirectNote)+")")
		}
		if body := strings.TrimSpace(f.BodyStart); body != "" {
			line += " " + st.Dim.Render(excerpt([]byte(body), 60))
		}
	}
	detail(w, line)
	if f.Verdict.Code == "no_answer" {
		return
	}
	detail(w, st.Mark(f.Verdict.OK)+" "+verdictStyle(st, f.Verdict.OK).Render(Safe(f.Verdict.Message)))
}

func verdictStyle(st *Styles, ok bool) interface{ Render(...string) string } {
	if ok {
		return st.OK
	}
	return st.Fail
}

func verbose(w io.Writer, st *Styles, ev listener.Event, opts ListenOptions) {
	names := make([]string, 0, len(ev.Header))
	for k := range ev.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		for _, v := range ev.Header[k] {
			detail(w, st.Key.Render(Safe(k)+":")+" "+Safe(v))
		}
	}
	if ev.Body == nil {
		return
	}
	body := ev.Body
	var note string
	if ev.BodyLen() > maxShownBody {
		body, note = body[:min(len(body), maxShownBody)], fmt.Sprintf("… %d more bytes not shown", ev.BodyLen()-maxShownBody)
	}
	var text []byte
	switch {
	case !ev.Delivery.JSON || note != "":
		text = []byte(excerpt(body, maxShownBody))
	case inspect.Depth(body) > maxShownDepth:
		text, note = []byte(excerpt(body, 200)), fmt.Sprintf("the body nests deeper than %d levels; shown raw", maxShownDepth)
	case opts.ShowPII:
		text = st.PrettyJSON(body)
	default:
		text = st.PrettyJSON(inspect.MaskPII(body))
	}
	fmt.Fprintln(w)
	for _, l := range strings.Split(strings.TrimRight(string(text), "\n"), "\n") {
		fmt.Fprintln(w, indent+sanitize(l, false, '\x1b'))
	}
	if note != "" {
		detail(w, st.Dim.Render(note))
	}
	fmt.Fprintln(w)
}

func detail(w io.Writer, s string) { fmt.Fprintln(w, indent+s) }

// excerpt shows the start of a body on one line: text as is, quoted, with
// control characters escaped; bytes that are not UTF-8 by their count.
func excerpt(b []byte, n int) string {
	if !utf8.Valid(b) {
		return fmt.Sprintf("(%d bytes, not UTF-8)", len(b))
	}
	r := []rune(string(b))
	cut := ""
	if len(r) > n {
		r, cut = r[:n], "…"
	}
	q := fmt.Sprintf("%q", string(r))
	return Safe(q) + cut
}

// ListenSummary prints the counts when the listener stops.
func ListenSummary(w io.Writer, st *Styles, s listener.Stats) {
	parts := []string{
		fmt.Sprintf("%d received", s.Received),
		st.OK.Render(fmt.Sprintf("%d verified", s.Verified)),
	}
	rejected := fmt.Sprintf("%d rejected", s.Rejected)
	if s.Rejected > 0 {
		rejected = st.Fail.Render(rejected)
	}
	parts = append(parts, rejected, fmt.Sprintf("%d duplicate%s", s.Duplicates, plural(s.Duplicates)))
	if s.Forged > 0 {
		parts = append(parts, st.Fail.Render(fmt.Sprintf("%d forged", s.Forged)))
	}
	if s.Dropped > 0 {
		parts = append(parts, st.Warn.Render(fmt.Sprintf("%d not shown (the display fell behind)", s.Dropped)))
	}
	fmt.Fprintf(w, "%s %s\n", st.Bold.Render("stopped:"), strings.Join(parts, ", "))
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ListenDelivery is one delivery as `listen --json` prints it: the keys of
// a capture record (the same type, so the two cannot drift apart) and what
// only the live stream knows.
type ListenDelivery struct {
	Type string `json:"type"`
	capture.Record
	Outcome    listener.Outcome  `json:"check"`
	Attempt    int               `json:"attempt"`
	Duplicate  bool              `json:"duplicate"`
	LatencyMS  float64           `json:"latency_ms"`
	Scripted   string            `json:"scripted,omitempty"`
	Forward    *ListenForward    `json:"forward,omitempty"`
	Warnings   []inspect.Warning `json:"warnings"`
	Digest     []inspect.Fact    `json:"digest,omitempty"`
	CaptureErr string            `json:"capture_error,omitempty"`
	// Explanation says why the signature did not match, when a known
	// mistake accounts for it.
	Explanation *signature.Finding `json:"explanation,omitempty"`
}

// ListenForward is the app's answer as `listen --json` prints it.
type ListenForward struct {
	listener.Forward
	LatencyMS float64 `json:"latency_ms"`
}

// ListenJSON turns a delivery event into its --json object. The body is
// the exact bytes, unmasked: machine output is for machines.
func ListenJSON(ev listener.Event, explanation *signature.Finding) ListenDelivery {
	out := ListenDelivery{
		Type:    "delivery",
		Record:  ev.Record(),
		Outcome: ev.Outcome, Attempt: ev.Attempt, Duplicate: ev.Attempt > 1, LatencyMS: ms(ev.Latency),
		Warnings: ev.Delivery.Warnings, Digest: ev.Delivery.Digest(), CaptureErr: ev.RecordErr,
	}
	out.SetBody(ev.Body)
	out.Explanation = explanation
	if out.Warnings == nil {
		out.Warnings = []inspect.Warning{}
	}
	if ev.Scripted != nil {
		out.Scripted = ev.Scripted.String()
	}
	if ev.Forward != nil {
		out.Forward = &ListenForward{Forward: *ev.Forward, LatencyMS: ms(ev.Forward.Latency)}
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
