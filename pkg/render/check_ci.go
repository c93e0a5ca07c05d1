package render

import (
	"fmt"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
)

// reportResults is what a CI report lists: the diagnosis first, then the
// cases.
func reportResults(rep check.Report) []check.Result {
	var out []check.Result
	if rep.Diagnosis != nil {
		out = append(out, diagnosisResult(*rep.Diagnosis))
	}
	out = append(out, rep.Results...)
	if rep.Interrupted {
		// A CI system that reads only the failure count must not see an
		// interrupted run as a green one.
		out = append(out, check.Result{Name: "run-complete", Title: "every selected case ran", Sent: "-", Got: "interrupted",
			Why: "the run was interrupted before every case ran: the cases marked skipped were not judged", Fix: "run check again to the end"})
	}
	return out
}

// checkDetail is a case as plain lines: for JUnit text and TAP.
func checkDetail(r check.Result) [][2]string {
	kv := [][2]string{{"sent", r.Sent}, {"got", r.Got}}
	if r.Status != 0 {
		kv = append(kv, [2]string{"status", fmt.Sprint(r.Status)})
	}
	if r.Excerpt != "" {
		kv = append(kv, [2]string{"body", r.Excerpt})
	}
	switch {
	case r.Skipped:
		kv = append(kv, [2]string{"why", r.Why})
	case !r.Pass:
		kv = append(kv, [2]string{"why", r.Why}, [2]string{"fix", r.Fix})
	}
	if r.Note != "" {
		kv = append(kv, [2]string{"note", r.Note})
	}
	return kv
}

func detailText(title string, kv [][2]string) string {
	var b strings.Builder
	b.WriteString(title)
	for _, p := range kv {
		fmt.Fprintf(&b, "\n%s: %s", p[0], p[1])
	}
	return b.String()
}
