package render

import (
	"io"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
)

// CheckDiagnosis prints the probes' finding on one line (wrapped on a
// terminal), with its fix.
func CheckDiagnosis(w io.Writer, st *Styles, run CheckRun, d check.Diagnosis) {
	mark, style := st.Cross()+" ", st.Fail.Render
	switch d.Verdict {
	case check.VerdictClean:
		mark, style = st.Tick()+" ", st.OK.Render
	case check.VerdictLenient, check.VerdictInconclusive:
		mark, style = st.Bang()+" ", st.Warn.Render
	}
	text := "diagnosis: " + d.Cause
	if d.Fix != "" {
		text += "; fix: " + d.Fix
	}
	para(w, st, mark, style, text, run.TermWidth, 2)
}

// diagnosisResult is the diagnosis as one more judged line of a CI report.
func diagnosisResult(d check.Diagnosis) check.Result {
	accepted := "none"
	if len(d.Accepted) > 0 {
		accepted = strings.Join(d.Accepted, ", ")
	}
	r := check.Result{Name: "diagnosis", Title: "probes signed the usual wrong ways are all refused", Pass: !d.Failed(),
		Warn: d.Verdict == check.VerdictLenient, Sent: "a valid delivery, one signed with a random key, and each probe",
		Got: "accepted: " + accepted, Why: d.Cause, Fix: d.Fix}
	if r.Pass {
		r.Note = d.Cause
	}
	return r
}
