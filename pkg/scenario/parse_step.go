package scenario

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// stepReader fills one step from its keys, remembering the nodes that
// later checks report at.
type stepReader struct {
	p  *parser
	st Step
	// fixtureNode is where the fixture is named (the action when no
	// fixture is); setNode holds the set list.
	fixtureNode, setNode *yaml.Node
}

// stepKey is a key a step may have and how its value is read; path is
// the key's path, like steps[2].wait.
type stepKey struct {
	name string
	read func(r *stepReader, v *yaml.Node, path string) error
}

// stepKeys lists the keys of a step, in the order an unknown key's error
// names them.
var stepKeys = []stepKey{
	{"name", (*stepReader).name},
	{"fixture", (*stepReader).fixture},
	{"action", (*stepReader).action},
	{"set", (*stepReader).set},
	{"unset", func(r *stepReader, v *yaml.Node, path string) (err error) {
		r.st.Unset, err = r.p.strList(v, path)
		return err
	}},
	{"triggers", func(r *stepReader, v *yaml.Node, path string) (err error) {
		r.st.Triggers, err = r.p.strList(v, path)
		return err
	}},
	{"wait", func(r *stepReader, v *yaml.Node, path string) error {
		return r.p.strAs(v, path, func(s string) (err error) {
			r.st.Wait, err = ParseWait(s)
			return err
		})
	}},
	{"chaos", (*stepReader).chaos},
	{"expect", func(r *stepReader, v *yaml.Node, path string) error {
		return r.p.expect(v, path, &r.st.Expect)
	}},
	{"note", func(r *stepReader, v *yaml.Node, path string) (err error) {
		r.st.Note, err = r.p.str(v, path)
		return err
	}},
}

var expectKeys = []string{"status", "processed"}

// stepKeyNames lists the names of stepKeys, in order.
func stepKeyNames() []string {
	names := make([]string, len(stepKeys))
	for i, k := range stepKeys {
		names[i] = k.name
	}
	return names
}

// step reads one step; seen holds the names of the steps before it.
func (p *parser) step(n *yaml.Node, i int, seen map[string]int) (Step, error) {
	prefix := fmt.Sprintf("steps[%d]", i+1)
	r := &stepReader{p: p, st: Step{Line: n.Line}}
	if n.Kind != yaml.MappingNode {
		return r.st, p.errf(n, prefix, "a step is a mapping with at least a fixture, like {name: booked, fixture: reservation.created}")
	}
	names := stepKeyNames()
	err := p.fields(n, prefix+".", names, func(key string, v *yaml.Node) error {
		return stepKeys[slices.Index(names, key)].read(r, v, prefix+"."+key)
	})
	if err != nil {
		return r.st, err
	}
	if r.st.Name == "" {
		r.st.Name = fmt.Sprintf("step-%d", i+1)
	}
	return r.st, r.check(n, prefix, seen)
}

func (r *stepReader) name(v *yaml.Node, path string) error {
	return r.p.strAs(v, path, func(s string) error {
		r.st.Name = s
		if !validStepName(s) {
			return fmt.Errorf("bad name %q: use letters, digits, '-' and '_' (later steps write ${steps.NAME.data.id})", s)
		}
		return nil
	})
}

func (r *stepReader) fixture(v *yaml.Node, path string) (err error) {
	r.st.Fixture, err = r.p.str(v, path)
	r.fixtureNode = v
	return err
}

func (r *stepReader) action(v *yaml.Node, path string) (err error) {
	r.st.Action, err = r.p.str(v, path)
	if r.fixtureNode == nil {
		r.fixtureNode = v
	}
	return err
}

func (r *stepReader) set(v *yaml.Node, path string) (err error) {
	if v.Kind == yaml.MappingNode {
		return r.p.errf(v, path, "write set as a list of path=value strings, like [data.guests.total=4], as send --set takes them")
	}
	r.st.Set, err = r.p.strList(v, path)
	r.setNode = v
	return err
}

func (r *stepReader) chaos(v *yaml.Node, path string) error {
	names, err := r.p.strList(v, path)
	if err != nil {
		return err
	}
	for j, name := range names {
		c, err := ParseChaos(name)
		if err != nil {
			return r.p.errf(v.Content[j], path, "%v", err)
		}
		r.st.Chaos = append(r.st.Chaos, c)
	}
	return nil
}

func (p *parser) expect(v *yaml.Node, path string, e *Expect) error {
	if v.Kind != yaml.MappingNode {
		return p.errf(v, path, "must be a mapping, like {status: 200, processed: 1}")
	}
	return p.fields(v, path+".", expectKeys, func(key string, val *yaml.Node) error {
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

// check looks at the step as a whole, once its keys are read: its name is
// its own, it names a fixture that exists, and its set values are
// path=value with references only to earlier steps.
func (r *stepReader) check(n *yaml.Node, prefix string, seen map[string]int) error {
	p, st := r.p, &r.st
	if _, dup := seen[st.Name]; dup {
		return p.errf(n, prefix+".name", "%q names an earlier step too: give each step its own name", st.Name)
	}
	if st.FixtureName() == "" {
		return p.errf(n, prefix, "names no payload: add fixture: (a built-in action like reservation.created, or a user fixture)")
	}
	if p.opts.Fixture != nil {
		if err := p.opts.Fixture(st.FixtureName()); err != nil {
			return p.errf(r.fixtureNode, prefix+".fixture", "%v", err)
		}
	}
	for j, set := range st.Set {
		if err := r.checkSet(set, st.Name, seen); err != nil {
			return p.errf(r.setNode.Content[j], fmt.Sprintf("%s.set[%d]", prefix, j+1), "%v", err)
		}
	}
	return nil
}

// checkSet says what is wrong with one path=value of the step called
// self.
func (r *stepReader) checkSet(set, self string, seen map[string]int) error {
	path, value, ok := strings.Cut(set, "=")
	if !ok || path == "" {
		return fmt.Errorf("%q: write path=value, like data.guests.total=4", set)
	}
	refs, err := parseRefs(value)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		if err := r.p.checkRef(ref, self, seen); err != nil {
			return err
		}
	}
	return nil
}

// checkRef refuses a reference to the environment unless allowed, and a
// reference to a step that is not an earlier one.
func (p *parser) checkRef(r ref, self string, seen map[string]int) error {
	switch {
	case r.kind == refEnv && !p.opts.AllowEnv:
		return fmt.Errorf("%s reads the environment; a scenario file may not unless you pass `--allow-env`", r.text)
	case r.kind != refStep:
		return nil
	case r.step == self:
		return fmt.Errorf("%s refers to this step itself: refer to an earlier step", r.text)
	}
	if _, ok := seen[r.step]; !ok {
		return fmt.Errorf("%s: no earlier step is called %q (steps can only refer back)", r.text, r.step)
	}
	return nil
}

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
