package render

import (
	"io"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
	"github.com/hospitable-hook/hospitable-hook/pkg/verdict"
)

// answer is the end of a delivery's row: the status answered, how long it
// took, and who answered (a script, the app, or the listener in the app's
// place).
func answer(st *Styles, ev listener.Event) string {
	if ev.Status == 0 {
		return st.Fail.Render("no answer") + " " + st.Dim.Render("(scripted timeout, held "+verdict.Latency(ev.Latency)+")")
	}
	s := st.StatusText(ev.Status) + " " + st.Dim.Render("("+verdict.Latency(ev.Latency)+")")
	if who := answeredBy(ev); who != "" {
		s += " " + st.Dim.Render(who)
	}
	return s
}

// answeredBy says who gave the answer, when it was not the listener's own
// plain one. The listener's 502 is never said to be the app's.
func answeredBy(ev listener.Event) string {
	f := ev.Forward
	switch {
	case ev.Scripted != nil:
		return "scripted"
	case f == nil:
		return ""
	case f.Passed():
		return "from your app"
	case f.SenderGone():
		return "from the listener, to a sender already gone"
	case f.Answered():
		return "from the listener: your app's answer did not finish"
	}
	return "from the listener: your app gave no answer"
}

// forward prints the app's answer under the row (`→ URL ← status
// (latency) body`, or why none came), then the verdict on it.
func forward(w io.Writer, st *Styles, f *listener.Forward) {
	detail(w, st.Dim.Render("→ "+SafeURL(f.URL))+" "+forwardAnswer(st, f))
	if f.Verdict.Code == string(verdict.NoAnswer) {
		return // the line above says it, with the hint
	}
	style := st.Fail
	if f.Verdict.OK {
		style = st.OK
	}
	detail(w, st.Mark(f.Verdict.OK)+" "+style.Render(Safe(f.Verdict.Message)))
}

// forwardAnswer is what the app answered, or why it did not.
func forwardAnswer(st *Styles, f *listener.Forward) string {
	lat := st.Dim.Render("(" + verdict.Latency(f.Latency) + ")")
	if !f.Answered() {
		text := "no answer: " + f.Err
		if f.Hint != "" && !f.SenderGone() {
			text += ": " + f.Hint
		}
		return st.Fail.Render(Safe(text)) + " " + lat
	}
	line := "← " + st.StatusText(f.Status) + " " + lat
	if f.Redirect != "" {
		line += " " + st.Warn.Render("redirect to "+SafeURL(f.Redirect)+" not followed ("+Safe(f.RedirectNote)+")")
	}
	if body := strings.TrimSpace(f.BodyStart); body != "" {
		line += " " + st.Dim.Render(excerpt([]byte(body), 60))
	}
	return line
}
