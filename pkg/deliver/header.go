package deliver

import (
	"fmt"
	"net/http"
	"strings"
)

// ParseHeader reads a header written as `Name: value`, as curl's -H takes
// it. The name must be an HTTP token; the value may be empty but may not
// hold a line break or a NUL, which would split or corrupt the request.
func ParseHeader(s string) (name, value string, err error) {
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return "", "", fmt.Errorf("bad header %q: write it as 'Name: value', like -H 'X-Test: 1'", s)
	}
	for i := 0; i < len(name); i++ {
		if !isTokenChar(name[i]) {
			return "", "", fmt.Errorf("bad header %q: the name %q has %q, which a header name cannot hold", s, name, name[i])
		}
	}
	value = strings.TrimSpace(value)
	if strings.ContainsAny(value, "\r\n\x00") {
		return "", "", fmt.Errorf("bad header %q: the value holds a line break or NUL; pass one header per -H", s)
	}
	// Any other control character but a tab is refused by HTTP (and by
	// net/http, at every delivery): say so now, as a usage error.
	for _, c := range []byte(value) {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return "", "", fmt.Errorf("bad header %q: the value holds the control character %q, which HTTP does not allow in a header", s, c)
		}
	}
	return http.CanonicalHeaderKey(name), value, nil
}

// ParseHeaders reads several `Name: value` headers; repeated names keep
// every value, in order.
func ParseHeaders(lines []string) (http.Header, error) {
	h := http.Header{}
	for _, line := range lines {
		name, value, err := ParseHeader(line)
		if err != nil {
			return nil, err
		}
		h.Add(name, value)
	}
	return h, nil
}

// isTokenChar reports whether c may appear in an HTTP header name (RFC 9110 tchar).
func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
