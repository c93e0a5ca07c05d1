package render

import (
	"fmt"
	"io"
	"net/http"
	"strings"

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
		otherRow(w, st, ev)
		return
	}
	fmt.Fprintln(w, strings.Join(deliveryRow(st, ev), " "))
	explanation(w, st, opts.Explanation)
	if ev.Checked && !ev.Delivery.JSON && len(ev.Body) > 0 && !opts.Verbose {
		detail(w, st.Dim.Render("body "+excerpt(ev.Body, 60)))
	}
	digest(w, st, ev.Delivery)
	warnings(w, st, ev.Delivery)
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

// otherRow is the one dim line of a request that is not a delivery: a
// status page, another method or path.
func otherRow(w io.Writer, st *Styles, ev listener.Event) {
	fmt.Fprintf(w, "%s %s\n", st.Dim.Render(ev.ReceivedAt.Format("15:04:05")),
		st.Dim.Render(fmt.Sprintf("%s %s %s %s", Safe(ev.Method), Safe(ev.Path), "←", verdict.StatusText(ev.Status))+otherNote(ev)))
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

// deliveryRow is the cells of a delivery's summary row: `time mark
// action id [retry n] path ← answer`.
func deliveryRow(st *Styles, ev listener.Event) []string {
	row := []string{st.Dim.Render(ev.ReceivedAt.Format("15:04:05"))}
	row = append(row, signatureCells(st, ev)...)
	if what := actionCell(st, ev); what != "" {
		row = append(row, what)
	}
	if ev.Delivery.ID != "" {
		row = append(row, st.ID.Render(Safe(ev.Delivery.ID)))
	}
	if ev.Attempt > 1 {
		row = append(row, st.Warn.Render(fmt.Sprintf("retry %d", ev.Attempt)))
	}
	return append(row, st.Dim.Render(Safe(ev.Path)), "←", answer(st, ev))
}

// signatureCells are the row's mark, and why when the signature was not
// checked or did not match.
func signatureCells(st *Styles, ev listener.Event) []string {
	switch {
	case !ev.Checked:
		return []string{st.Bang(), st.Warn.Render(Safe(ev.Reason)) + st.Dim.Render(" ·")}
	case ev.Verified:
		return []string{st.Tick()}
	}
	return []string{st.Cross(), st.Fail.Render("forged: "+Safe(ev.Reason)) + st.Dim.Render(" ·")}
}

// actionCell names the delivery by its action, or says why it has none;
// "" for a body that was not checked.
func actionCell(st *Styles, ev listener.Event) string {
	switch d := ev.Delivery; {
	case d.Action != "":
		return st.Bold.Render(Safe(d.Action))
	case ev.Checked && !d.JSON:
		return st.Warn.Render(fmt.Sprintf("(not JSON, %d bytes)", ev.BodyLen()))
	case ev.Checked:
		return st.Warn.Render("(no action)")
	}
	return ""
}

// explanation says why a signature did not match, and what to fix, when a
// known mistake accounts for it.
func explanation(w io.Writer, st *Styles, f *signature.Finding) {
	if f == nil {
		return
	}
	detail(w, st.Warn.Render("why: ")+Safe(f.Sentence()))
	detail(w, st.Warn.Render("fix: ")+Safe(f.Fix()))
}

// digest is the line of facts that tell this delivery from another.
func digest(w io.Writer, st *Styles, d inspect.Received) {
	facts := d.Digest()
	if len(facts) == 0 {
		return
	}
	parts := make([]string, len(facts))
	for i, f := range facts {
		parts[i] = st.Key.Render(Safe(f.Label)) + " " + Safe(f.Value)
	}
	detail(w, strings.Join(parts, st.Dim.Render(" · ")))
}

// warnings says what is odd about the body, one line each.
func warnings(w io.Writer, st *Styles, d inspect.Received) {
	for _, warn := range d.Warnings {
		if warn.Code == inspect.WarnNotJSON {
			continue // the row says it
		}
		detail(w, st.Bang()+" "+st.Warn.Render(Safe(warn.Message)))
	}
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
