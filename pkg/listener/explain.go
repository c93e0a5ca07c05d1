package listener

import "github.com/hospitable-hook/hospitable-hook/pkg/signature"

// maxExplainBody bounds the bodies Explain looks at: the forensics compute
// about a hundred HMACs of the body, which is nothing for a delivery and
// too much to spend on a hostile megabyte.
const maxExplainBody = 256 << 10

// Explain runs the signature forensics on a delivery whose signature did
// not match, to say why (a trailing newline, re-serialised JSON, a secret
// with whitespace, …). It reports false when there is nothing to explain:
// a valid or unchecked delivery, no or several Signature headers, a body
// too large, or a signature no known mistake accounts for. It is meant for
// the display, off the answering path.
func (e Event) Explain(secret string) (signature.Finding, bool) {
	if !e.Checked || e.Verified || e.Cut > 0 || len(e.Body) > maxExplainBody {
		return signature.Finding{}, false
	}
	sigs := e.Header.Values(signature.Header)
	if len(sigs) != 1 || sigs[0] == "" {
		return signature.Finding{}, false
	}
	f := signature.Explain(e.Body, sigs[0], []signature.Candidate{{Name: "the listener's secret", Secret: secret}})
	return f, f.Explained
}
