package render

import (
	"fmt"
	"io"

	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// VerifyReport prints a signature report: the verdict first, then the facts
// a person compares by eye, then why and what to do.
func VerifyReport(w io.Writer, st *Styles, label string, r signature.Report) {
	verdict := st.OK.Render("✓ valid signature")
	if !r.Valid {
		verdict = st.Fail.Render("✗ invalid signature")
	}
	if label != "" {
		verdict += " " + st.Dim.Render(Safe(label))
	}
	fmt.Fprintln(w, verdict)
	row := func(k, v string) { fmt.Fprintf(w, "  %s %s\n", st.Key.Render(fmt.Sprintf("%-10s", k)), v) }
	row("body", fmt.Sprintf("%d bytes, sha256 %s", r.BodyLength, r.BodySHA256))
	row("signature", Safe(r.Received))
	if !r.Valid {
		row("expected", r.Expected)
	}
	row("secret", fmt.Sprintf("%s from %s", r.Secret, r.SecretOrigin))
	if r.Valid {
		return
	}
	row("why", Safe(r.Reason))
	row("fix", Safe(r.Fix))
}
