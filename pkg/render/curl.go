package render

import (
	"sort"
	"strings"
)

// CurlCommand renders a curl command that posts body with headers to url.
// A body from a file is referenced as `--data-binary @file`, which posts the
// exact bytes; a body from standard input is inlined, shell-quoted.
func CurlCommand(url string, headers map[string]string, file string, body []byte) string {
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := []string{"curl -sS -X POST " + ShellQuote(url)}
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

// ShellQuote quotes s for a POSIX shell, byte for byte.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
