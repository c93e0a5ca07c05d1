package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/bytediff"
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

// BodyDiff prints how a body compares with the original, `verify
// --against`: identical, or the first difference with its offset, line and
// column, the bytes around it in both bodies (quoted, so control
// characters show) and in hex, the differing byte in brackets.
func BodyDiff(w io.Writer, st *Styles, name, original string, d bytediff.Result) {
	if d.Equal {
		fmt.Fprintf(w, "%s %s\n", st.Tick(), st.OK.Render(fmt.Sprintf("identical: %s and %s are the same %d bytes", Safe(name), Safe(original), d.Length)))
		return
	}
	fmt.Fprintf(w, "%s %s\n", st.Cross(), st.Fail.Render(fmt.Sprintf("the bodies differ from byte %d (line %d, column %d)", d.Offset, d.Line, d.Column)))
	row := func(k, v string) { fmt.Fprintf(w, "  %s %s\n", st.Key.Render(fmt.Sprintf("%-9s", k)), v) }
	row("what", Safe(d.Summary))
	row("this", fmt.Sprintf("%d bytes  %s", d.Length, contextText(d.Context, d.Start > 0)))
	row("original", fmt.Sprintf("%d bytes  %s", d.OtherLength, contextText(d.OtherContext, d.Start > 0)))
	row("hex", hexWindow(d.Context, d.Offset-d.Start))
	row("", hexWindow(d.OtherContext, d.Offset-d.Start)+st.Dim.Render("  (original)"))
}

// contextText quotes a window of bytes, marking that it starts mid-body.
func contextText(b []byte, cut bool) string {
	s := Safe(bytediff.Show(b))
	if cut {
		s = "…" + s
	}
	return s
}

// hexWindow writes b in hex, the byte at mark in brackets.
func hexWindow(b []byte, mark int) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02x", c)
		if i == mark {
			parts[i] = "[" + parts[i] + "]"
		}
	}
	if mark >= len(b) {
		parts = append(parts, "[end]")
	}
	return strings.Join(parts, " ")
}

// BodyDiffRecord is `verify --against --json`: the comparison as one
// object, the context windows quoted and in hex.
type BodyDiffRecord struct {
	Type string `json:"type"`
	bytediff.Result
	ContextText         string `json:"context,omitempty"`
	OriginalContextText string `json:"original_context,omitempty"`
	Hex                 string `json:"hex,omitempty"`
	OriginalHex         string `json:"original_hex,omitempty"`
}

// NewBodyDiffRecord returns the JSON form of a comparison.
func NewBodyDiffRecord(d bytediff.Result) BodyDiffRecord {
	r := BodyDiffRecord{Type: "diff", Result: d}
	if !d.Equal {
		r.ContextText, r.OriginalContextText = string(d.Context), string(d.OtherContext)
		r.Hex, r.OriginalHex = fmt.Sprintf("%x", d.Context), fmt.Sprintf("%x", d.OtherContext)
	}
	return r
}
