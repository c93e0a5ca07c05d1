package render

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

// maxShownDepth is the deepest body -v indents; deeper ones are shown raw,
// since the indenter recurses.
const maxShownDepth = 1000

// maxShownBody caps how much of a body -v prints.
const maxShownBody = 64 << 10

// verbose prints what -v adds under a row: the headers, then the body,
// indented, personal data masked unless --show-pii.
func verbose(w io.Writer, st *Styles, ev listener.Event, opts ListenOptions) {
	headers(w, st, ev)
	if ev.Body == nil {
		return
	}
	text, note := shownBody(st, ev, opts.ShowPII)
	fmt.Fprintln(w)
	for _, l := range strings.Split(strings.TrimRight(string(text), "\n"), "\n") {
		fmt.Fprintln(w, indent+sanitize(l, false, '\x1b'))
	}
	if note != "" {
		detail(w, st.Dim.Render(note))
	}
	fmt.Fprintln(w)
}

// headers prints the request headers in order of name.
func headers(w io.Writer, st *Styles, ev listener.Event) {
	for _, k := range slices.Sorted(maps.Keys(ev.Header)) {
		for _, v := range ev.Header[k] {
			detail(w, st.Key.Render(Safe(k)+":")+" "+Safe(v))
		}
	}
}

// shownBody is the body as -v shows it, and a note when it is not shown
// whole or not indented: a large body is cut, a deep one shown raw, one
// that is not JSON shown as an excerpt.
func shownBody(st *Styles, ev listener.Event, showPII bool) (text []byte, note string) {
	body := ev.Body
	if ev.BodyLen() > maxShownBody {
		body, note = body[:min(len(body), maxShownBody)], fmt.Sprintf("… %d more bytes not shown", ev.BodyLen()-maxShownBody)
	}
	switch {
	case !ev.Delivery.JSON || note != "":
		return []byte(excerpt(body, maxShownBody)), note
	case inspect.Depth(body) > maxShownDepth:
		return []byte(excerpt(body, 200)), fmt.Sprintf("the body nests deeper than %d levels; shown raw", maxShownDepth)
	case showPII:
		return st.PrettyJSON(body), ""
	}
	return st.PrettyJSON(inspect.MaskPII(body)), ""
}
