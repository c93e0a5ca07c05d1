package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// SecretExplanation shows how a personal secret is made, with the traps.
func SecretExplanation(w io.Writer, st *Styles, email, secret string) {
	sample := []byte(`{"foo":"bar"}`)
	hexBytes := make([]string, 0, len(email))
	for _, b := range []byte(email) {
		hexBytes = append(hexBytes, fmt.Sprintf("%02x", b))
	}
	row := func(k, v string) { fmt.Fprintf(w, "%s %s\n", st.Key.Render(fmt.Sprintf("%-16s", k)), v) }
	row("email", fmt.Sprintf("%q (%d bytes)", email, len(email)))
	row("bytes", strings.Join(hexBytes, " "))
	row("secret (base64)", st.Bold.Render(secret))
	row("HMAC key", fmt.Sprintf("the %d bytes of the base64 text above, not the decoded email", len(secret)))
	row("sample body", string(sample))
	row("its Signature", signature.Sign(sample, secret))
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Bold.Render("Traps"))
	traps := []string{
		fmt.Sprintf("`echo %s | base64` encodes a trailing newline and gives %s; use `printf %%s %s | base64`", email, signature.SecretFromEmail(email+"\n"), email),
		"the key is the base64 text: do not base64-decode it before computing the HMAC",
		"the secret depends on the exact bytes: capitals and spaces in the email change it",
		"a secret read from a .env file or pasted may carry a trailing newline: trim it",
		"sign and verify the raw body bytes; re-serialised JSON (pretty, unescaped \\/ or \\uXXXX) has another signature",
	}
	for _, t := range traps {
		fmt.Fprintf(w, "  %s %s\n", st.Bang(), t)
	}
}
