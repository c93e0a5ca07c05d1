package signature

import (
	"bytes"
	"fmt"
)

// MaxExplainBody is the largest body whose bytes Explain varies: every
// variant is a copy of the body, hashed once per key. A larger body is
// checked as it is, with the signature's and the secret's variants only.
const MaxExplainBody = 1 << 20

// bodySet collects body variants, each distinct from the body and from
// every variant before it.
type bodySet struct {
	out  []variant
	seen map[string]bool
}

func (s *bodySet) add(b []byte, sp Suspect) {
	if !s.seen[string(b)] {
		s.seen[string(b)] = true
		s.out = append(s.out, variant{b, &sp})
	}
}

// bodyVariants returns the body and the variants of it to try, and, when
// the bounds stopped some from being made, a phrase saying which and why.
func bodyVariants(body []byte) ([]variant, string) {
	if len(body) > MaxExplainBody {
		return []variant{{value: body}}, fmt.Sprintf("the body is larger than %d KiB, so only the signature's form and the secret's were varied; forensics of the body skipped", MaxExplainBody>>10)
	}
	set := &bodySet{out: []variant{{value: body}}, seen: map[string]bool{string(body): true}}
	addLineEndVariants(set, body)
	skipped := addJSONVariants(set, body)
	return set.out, skipped
}

// addLineEndVariants adds the body with the line breaks a tool adds or
// takes away: a trailing CR or newline added, one trimmed, line endings
// converted either way.
func addLineEndVariants(set *bodySet, body []byte) {
	if b, sp := trailingCR(body); sp != nil {
		set.add(b, *sp)
	}
	switch {
	case bytes.HasSuffix(body, []byte("\r\n")):
		set.add(body[:len(body)-2], Suspect{"body-trailing-newline-added",
			"the body ends with a line break (\\r\\n) that was not signed",
			"verify the exact bytes received; do not append a newline when saving or forwarding the body"})
	case bytes.HasSuffix(body, []byte("\n")):
		set.add(body[:len(body)-1], Suspect{"body-trailing-newline-added",
			"the body ends with a newline that was not signed (an editor, `echo` or a logger added it)",
			"verify the exact bytes received; save bodies with `printf %s` or `--data-binary`, not `echo`"})
	}
	set.add(append(append([]byte{}, body...), '\n'), Suspect{"body-trailing-newline-removed",
		"the signed body ended with a newline that this body lacks (something trimmed it)",
		"do not trim the body before verifying"})
	if bytes.Contains(body, []byte("\r\n")) {
		set.add(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), Suspect{"body-crlf",
			"line endings were converted from LF to CRLF after signing",
			"keep the body's bytes as received; open files in binary mode"})
	} else if bytes.Contains(body, []byte("\n")) {
		set.add(bytes.ReplaceAll(body, []byte("\n"), []byte("\r\n")), Suspect{"body-lf",
			"line endings were converted from CRLF to LF after signing",
			"keep the body's bytes as received; open files in binary mode"})
	}
}

// trailingCR is the variant of a body that ends with a lone carriage
// return (a Windows tool or a paste added it), and the suspect naming it.
func trailingCR(body []byte) ([]byte, *Suspect) {
	if !bytes.HasSuffix(body, []byte("\r")) {
		return nil, nil
	}
	return body[:len(body)-1], &Suspect{"body-trailing-cr-added",
		`the body ends with a carriage return (\r) that was not signed (a Windows tool or a paste added it)`,
		"verify the exact bytes received; save bodies in binary mode and do not add line endings"}
}
