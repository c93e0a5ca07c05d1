package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
)

// CheckTAP writes the whole run as TAP version 14: a bail-out for an
// unreachable endpoint, skipped cases as SKIP, the diagnosis first.
func CheckTAP(w io.Writer, run CheckRun, rep check.Report) {
	results := reportResults(rep)
	plan := len(results)
	if rep.Unreachable != nil {
		plan = run.Cases
	}
	fmt.Fprintf(w, "TAP version 14\n1..%d\n# checking %s; answer-time budget %s (Hospitable does not document its timeout)\n",
		plan, SafeURL(run.URL), deliver.FormatDuration(run.Budget))
	if rep.Unreachable != nil {
		fmt.Fprintf(w, "Bail out! %s\n", oneLine(rep.Unreachable.Error()+"; "+rep.Unreachable.Hint()+" (no case was judged)"))
		return
	}
	for i, r := range results {
		checkTAPLine(w, i+1, r)
	}
}

// checkTAPLine writes case number n as a TAP test point; a failure (or a
// note) carries a YAML block with what was sent, what came back, the
// status, the body, why and the fix.
func checkTAPLine(w io.Writer, n int, r check.Result) {
	desc := Safe(strings.NewReplacer("#", `\#`, "\n", " ").Replace(r.Name + ": " + r.Title))
	switch {
	case r.Skipped:
		fmt.Fprintf(w, "ok %d - %s # SKIP %s\n", n, desc, oneLine(r.Why))
		return
	case r.Pass && r.Note == "":
		fmt.Fprintf(w, "ok %d - %s\n", n, desc)
		return
	case r.Pass:
		fmt.Fprintf(w, "ok %d - %s\n  ---\n", n, desc)
	default:
		fmt.Fprintf(w, "not ok %d - %s\n  ---\n", n, desc)
	}
	for _, kv := range checkDetail(r) {
		if kv[0] == "status" {
			fmt.Fprintf(w, "  status: %s\n", kv[1])
			continue
		}
		// A JSON string is a valid YAML double-quoted scalar.
		var q bytes.Buffer
		enc := json.NewEncoder(&q)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(kv[1])
		fmt.Fprintf(w, "  %s: %s\n", kv[0], SafeJSON(bytes.TrimSuffix(q.Bytes(), []byte("\n"))))
	}
	fmt.Fprintf(w, "  ...\n")
}
