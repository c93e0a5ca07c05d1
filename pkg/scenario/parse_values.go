package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// fields calls fn for each key of a mapping, refusing unknown and repeated
// keys.
func (p *parser) fields(m *yaml.Node, prefix string, known []string, fn func(key string, v *yaml.Node) error) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if err := p.knownKey(k, prefix, known, seen); err != nil {
			return err
		}
		if err := fn(k.Value, v); err != nil {
			return err
		}
	}
	return nil
}

// knownKey refuses a key that is not a plain name, not one of known (with
// the likely intended one), or already in seen; else it adds it to seen.
func (p *parser) knownKey(k *yaml.Node, prefix string, known []string, seen map[string]bool) error {
	path := prefix + k.Value
	if k.Kind != yaml.ScalarNode {
		return p.errf(k, prefix, "keys must be plain names")
	}
	if !slices.Contains(known, k.Value) {
		hint := ""
		if s := fixture.Suggest(k.Value, known); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		return p.errf(k, path, "unknown key%s; known keys here: %s", hint, strings.Join(known, ", "))
	}
	if seen[k.Value] {
		return p.errf(k, path, "given twice: keep one")
	}
	seen[k.Value] = true
	return nil
}

func (p *parser) str(v *yaml.Node, key string) (string, error) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		return "", p.errf(v, key, "must be a single value (a string)")
	}
	return v.Value, nil
}

// strAs reads a string and hands it to use; use's error is reported at v
// as it is.
func (p *parser) strAs(v *yaml.Node, key string, use func(string) error) error {
	s, err := p.str(v, key)
	if err != nil {
		return err
	}
	if err := use(s); err != nil {
		return p.errf(v, key, "%v", err)
	}
	return nil
}

func (p *parser) strList(v *yaml.Node, key string) ([]string, error) {
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		return nil, p.errf(v, key, "must be a list, like [%s]", v.Value)
	}
	if v.Kind != yaml.SequenceNode {
		return nil, p.errf(v, key, "must be a list of strings")
	}
	out := []string{}
	for i, item := range v.Content {
		s, err := p.str(item, fmt.Sprintf("%s[%d]", key, i+1))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (p *parser) integer(v *yaml.Node, key string) (int, error) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" {
		return 0, p.errf(v, key, "must be a whole number")
	}
	n, err := strconv.Atoi(v.Value)
	if err != nil {
		return 0, p.errf(v, key, "must be a whole number")
	}
	return n, nil
}

// parseStart reads a file's start: RFC 3339.
func parseStart(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q: write RFC 3339, like 2026-05-01T10:00:00Z", s)
	}
	return t, nil
}

// ParseWait reads a wait: a Go duration (90m, 2h30m) or days (3d, 1d12h).
func ParseWait(s string) (time.Duration, error) {
	bad := fmt.Errorf("bad wait %q: write a duration like 90m, 2h or 3d", s)
	var days time.Duration
	rest := s
	if d, after, ok := strings.Cut(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 3650 {
			return 0, bad
		}
		days, rest = time.Duration(n)*24*time.Hour, after
	}
	var dur time.Duration
	if rest != "" {
		var err error
		if dur, err = time.ParseDuration(rest); err != nil || dur < 0 {
			return 0, bad
		}
	}
	return days + dur, nil
}
