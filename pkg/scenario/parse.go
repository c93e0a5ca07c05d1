package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// A scenario file is YAML (or JSON, which YAML reads too):
//
//	name: cancel-after-message
//	description: the guest writes, then cancels
//	start: 2026-05-01T10:00:00Z     # optional; default: the time of the run
//	steps:
//	  - name: booked
//	    fixture: reservation.created # a built-in action or a user fixture
//	  - name: cancelled
//	    fixture: reservation.changed
//	    action: reservation.changed  # optional: send under another action
//	    wait: 3d                     # virtual time before the step
//	    set:                         # send --set, in order
//	      - data.id=${steps.booked.data.id}
//	      - data.reservation_status.current.category=cancelled
//	    unset: [data.review]         # send --unset
//	    triggers: [status_changed]   # replaces the fixture's triggers
//	    chaos: [duplicate, retry]    # duplicate, reorder, concurrent, retry
//	    expect: {status: 200, processed: 1}
//	    note: mark it cancelled      # printed as the expected outcome

// ParseOptions says what a file may do.
type ParseOptions struct {
	// AllowEnv lets ${env.NAME} appear; without it such a file is refused.
	AllowEnv bool
	// Fixture, when set, checks that a fixture name exists; its error is
	// reported at the line that names the fixture.
	Fixture func(name string) error
}

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

// MaxSteps is the most steps a scenario file may have.
const MaxSteps = 1000

var (
	topKeys    = []string{"name", "description", "start", "steps"}
	stepKeys   = []string{"name", "fixture", "action", "set", "unset", "triggers", "wait", "chaos", "expect", "note"}
	expectKeys = []string{"status", "processed"}
)

// validStepName reports whether a step name is 1 to 64 letters, digits,
// '_' and '-' (checked by hand: a compiled pattern costs every start of
// the tool at package init).
func validStepName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// parser walks the YAML nodes of one file.
type parser struct {
	file string
	opts ParseOptions
}

func (p *parser) errf(n *yaml.Node, key, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &ParseError{File: p.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads a scenario file. Every mistake is a *ParseError naming the
// file, the line and the offending key: an unknown key (with the likely
// intended one), a value of the wrong kind, a step name used twice, a
// reference to a step that does not come earlier, an unknown fixture or
// chaos, an unreadable wait.
func Parse(file string, data []byte, opts ParseOptions) (Scenario, error) {
	p := &parser{file: file, opts: opts}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Scenario{}, p.yamlError(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return Scenario{}, p.errf(nil, "", "the file is empty: write a scenario with name and steps (see `hospitable-hook scenario show booking-lifecycle`)")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return Scenario{}, p.errf(root, "", "a scenario is a mapping with name, description and steps")
	}
	sc := Scenario{Source: file}
	var stepsNode *yaml.Node
	err := p.fields(root, "", topKeys, func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "name":
			sc.Name, err = p.str(v, key)
		case "description":
			sc.Description, err = p.str(v, key)
		case "start":
			var s string
			if s, err = p.str(v, key); err == nil {
				if sc.Start, err = time.Parse(time.RFC3339, s); err != nil {
					err = p.errf(v, key, "bad time %q: write RFC 3339, like 2026-05-01T10:00:00Z", s)
				}
			}
		case "steps":
			stepsNode = v
		}
		return err
	})
	if err != nil {
		return Scenario{}, err
	}
	if stepsNode == nil {
		return Scenario{}, p.errf(root, "steps", "missing: list the deliveries under steps:, each with at least a fixture")
	}
	if stepsNode.Kind != yaml.SequenceNode || len(stepsNode.Content) == 0 {
		return Scenario{}, p.errf(stepsNode, "steps", "must be a non-empty list of steps")
	}
	if len(stepsNode.Content) > MaxSteps {
		return Scenario{}, p.errf(stepsNode, "steps", "%d steps is more than a story needs (at most %d): split it into several files", len(stepsNode.Content), MaxSteps)
	}
	seen := map[string]int{}
	for i, n := range stepsNode.Content {
		st, err := p.step(n, i, seen)
		if err != nil {
			return Scenario{}, err
		}
		seen[st.Name] = i
		sc.Steps = append(sc.Steps, st)
	}
	if sc.Name == "" {
		sc.Name = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(baseName(file), ".yaml"), ".yml"), ".json")
	}
	return sc, nil
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
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

// fields calls fn for each key of a mapping, refusing unknown and repeated
// keys.
func (p *parser) fields(m *yaml.Node, prefix string, known []string, fn func(key string, k, v *yaml.Node) error) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
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
		if err := fn(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) str(v *yaml.Node, key string) (string, error) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		return "", p.errf(v, key, "must be a single value (a string)")
	}
	return v.Value, nil
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

// step reads one step; seen holds the names of the steps before it.
func (p *parser) step(n *yaml.Node, i int, seen map[string]int) (Step, error) {
	prefix := fmt.Sprintf("steps[%d]", i+1)
	st := Step{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return st, p.errf(n, prefix, "a step is a mapping with at least a fixture, like {name: booked, fixture: reservation.created}")
	}
	var fixtureNode, setNode *yaml.Node
	err := p.fields(n, prefix+".", stepKeys, func(key string, k, v *yaml.Node) error {
		path := prefix + "." + key
		var err error
		switch key {
		case "name":
			if st.Name, err = p.str(v, path); err == nil && !validStepName(st.Name) {
				err = p.errf(v, path, "bad name %q: use letters, digits, '-' and '_' (later steps write ${steps.NAME.data.id})", st.Name)
			}
		case "fixture":
			st.Fixture, err = p.str(v, path)
			fixtureNode = v
		case "action":
			st.Action, err = p.str(v, path)
			if fixtureNode == nil {
				fixtureNode = v
			}
		case "set":
			if v.Kind == yaml.MappingNode {
				return p.errf(v, path, "write set as a list of path=value strings, like [data.guests.total=4], as send --set takes them")
			}
			st.Set, err = p.strList(v, path)
			setNode = v
		case "unset":
			st.Unset, err = p.strList(v, path)
		case "triggers":
			st.Triggers, err = p.strList(v, path)
		case "wait":
			var s string
			if s, err = p.str(v, path); err == nil {
				if st.Wait, err = ParseWait(s); err != nil {
					err = p.errf(v, path, "%v", err)
				}
			}
		case "chaos":
			var names []string
			if names, err = p.strList(v, path); err == nil {
				for j, name := range names {
					c, cerr := ParseChaos(name)
					if cerr != nil {
						return p.errf(v.Content[j], path, "%v", cerr)
					}
					st.Chaos = append(st.Chaos, c)
				}
			}
		case "expect":
			err = p.expect(v, path, &st.Expect)
		case "note":
			st.Note, err = p.str(v, path)
		}
		return err
	})
	if err != nil {
		return st, err
	}
	if st.Name == "" {
		st.Name = fmt.Sprintf("step-%d", i+1)
	}
	if _, dup := seen[st.Name]; dup {
		return st, p.errf(n, prefix+".name", "%q names an earlier step too: give each step its own name", st.Name)
	}
	if st.FixtureName() == "" {
		return st, p.errf(n, prefix, "names no payload: add fixture: (a built-in action like reservation.created, or a user fixture)")
	}
	if p.opts.Fixture != nil {
		if err := p.opts.Fixture(st.FixtureName()); err != nil {
			return st, p.errf(fixtureNode, prefix+".fixture", "%v", err)
		}
	}
	for j, set := range st.Set {
		key := fmt.Sprintf("%s.set[%d]", prefix, j+1)
		item := setNode.Content[j]
		path, value, ok := strings.Cut(set, "=")
		if !ok || path == "" {
			return st, p.errf(item, key, "%q: write path=value, like data.guests.total=4", set)
		}
		refs, err := parseRefs(value)
		if err != nil {
			return st, p.errf(item, key, "%v", err)
		}
		for _, r := range refs {
			switch {
			case r.kind == refEnv && !p.opts.AllowEnv:
				return st, p.errf(item, key, "%s reads the environment; a scenario file may not unless you pass `--allow-env`", r.text)
			case r.kind != refStep:
			case r.step == st.Name:
				return st, p.errf(item, key, "%s refers to this step itself: refer to an earlier step", r.text)
			default:
				if _, ok := seen[r.step]; !ok {
					return st, p.errf(item, key, "%s: no earlier step is called %q (steps can only refer back)", r.text, r.step)
				}
			}
		}
	}
	return st, nil
}

func (p *parser) expect(v *yaml.Node, path string, e *Expect) error {
	if v.Kind != yaml.MappingNode {
		return p.errf(v, path, "must be a mapping, like {status: 200, processed: 1}")
	}
	return p.fields(v, path+".", expectKeys, func(key string, k, val *yaml.Node) error {
		n, err := p.integer(val, path+"."+key)
		if err != nil {
			return err
		}
		switch key {
		case "status":
			if n < 100 || n > 599 {
				return p.errf(val, path+".status", "%d is not an HTTP status: use 100 to 599 (Hospitable needs 200)", n)
			}
			e.Status = n
		case "processed":
			if n < 0 {
				return p.errf(val, path+".processed", "cannot be negative")
			}
			e.Processed = &n
		}
		return nil
	})
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
