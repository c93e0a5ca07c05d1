package scenario

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// ParseError is a mistake in a scenario file, with where it is.
type ParseError struct {
	// File is the file's name as given.
	File string
	// Line is the 1-based line of the offending key or value.
	Line int
	// Key is the offending key, as a path like steps[2].wait; "" for the
	// file as a whole.
	Key string
	// Msg says what is wrong and what to write instead.
	Msg string
}

// Error reads like "story.yaml:12: steps[2].wait: bad duration …". Keys
// and values quoted from the file have their control characters escaped,
// so a hostile file cannot drive the terminal through an error message.
func (e *ParseError) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Key == "" {
		return safe(where + ": " + e.Msg)
	}
	return safe(fmt.Sprintf("%s: %s: %s", where, e.Key, e.Msg))
}

// safe escapes control characters and invalid UTF-8.
func safe(s string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// errf is a ParseError at n (the file as a whole when n is nil).
func (p *parser) errf(n *yaml.Node, key, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &ParseError{File: p.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// yamlError turns the YAML library's syntax error into a ParseError; it
// already names the line.
func (p *parser) yamlError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, after, ok := strings.Cut(rest, ":"); ok {
			if n, err := strconv.Atoi(num); err == nil {
				line, msg = n, strings.TrimSpace(after)
			}
		}
	}
	return &ParseError{File: p.file, Line: line, Msg: "not valid YAML or JSON: " + msg}
}
