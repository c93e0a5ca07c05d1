package render

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// CurlCommand renders a curl command that posts body with headers to url.
// A body from a file is referenced as `--data-binary @file`, which posts the
// exact bytes; a body from standard input is inlined, shell-quoted. A
// password in the URL is not printed: the command names the user with
// `--user` instead, and curl asks for the password when it runs.
func CurlCommand(target string, headers map[string]string, file string, body []byte) string {
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	var user string
	if u, err := url.Parse(target); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			user = u.User.Username()
			u.User = nil
			target = u.String()
		}
	}
	parts := []string{"curl -sS -X POST " + ShellQuote(target)}
	if user != "" {
		parts = append(parts, "--user "+ShellQuote(user))
	}
	for _, k := range names {
		parts = append(parts, "-H "+ShellQuote(k+": "+headers[k]))
	}
	if file != "" && file != "-" {
		parts = append(parts, "--data-binary "+ShellQuote("@"+file))
	} else {
		parts = append(parts, "--data-binary "+ShellQuote(string(body)))
	}
	return strings.Join(parts, " \\\n  ")
}

// ShellQuote quotes s for a POSIX shell, byte for byte. Text that SafeBlock
// would change (control characters, bidi and zero-width characters, bytes
// that are not UTF-8) is written in bash's $'…' form with \xHH escapes
// instead, so the command still carries the exact bytes but printing it
// cannot drive the terminal.
func ShellQuote(s string) string {
	if SafeBlock(s) == s && !strings.Contains(s, "\r") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	marks := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		escape := r == utf8.RuneError && size == 1 || (unsafeRune(r) && r != '\n' && r != '\t')
		switch {
		case isMark(r):
			marks++
			escape = marks > maxMarks
		case !escape:
			marks = 0
		}
		switch {
		case escape:
			for _, c := range []byte(s[i : i+size]) {
				fmt.Fprintf(&b, `\x%02x`, c)
			}
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteString("'")
	return b.String()
}
