package scenario

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// A value in a step's `set` may hold references, resolved when the step is
// built:
//
//	${steps.NAME.PATH}  what step NAME sent at PATH (a dot path into its
//	                    envelope: data.id, id, data.properties.0.id)
//	${created}          this step's `created`, in Hospitable's form
//	${env.NAME}         the environment variable NAME, only when the run
//	                    allows it (scenario run --allow-env)
//
// A value that is exactly one reference takes the referenced JSON as it is
// (a number stays a number, an object an object); references inside longer
// text are replaced by their text.

// refKind says what a reference points at.
type refKind int

const (
	refStep refKind = iota
	refCreated
	refEnv
)

// ref is one ${…} in a value.
type ref struct {
	kind  refKind
	step  string // refStep: the step's name
	path  string // refStep: the dot path; refEnv: the variable
	text  string // the whole ${…}
	start int    // byte offset of text in the value
}

// parseRefs finds the references in value. An unclosed ${ or one that is
// none of the three forms is an error that says what to write.
func parseRefs(value string) ([]ref, error) {
	var out []ref
	for i := 0; i < len(value); {
		j := strings.Index(value[i:], "${")
		if j < 0 {
			break
		}
		start := i + j
		end := strings.IndexByte(value[start:], '}')
		if end < 0 {
			return nil, fmt.Errorf("unclosed %q: close it with }, like ${steps.booked.data.id}", value[start:])
		}
		text := value[start : start+end+1]
		body := text[2 : len(text)-1]
		r := ref{text: text, start: start}
		switch {
		case body == "created":
			r.kind = refCreated
		case strings.HasPrefix(body, "env."):
			r.kind, r.path = refEnv, strings.TrimPrefix(body, "env.")
			if r.path == "" {
				return nil, fmt.Errorf("%s names no variable: write ${env.NAME}", text)
			}
		case strings.HasPrefix(body, "steps."):
			name, path, ok := strings.Cut(strings.TrimPrefix(body, "steps."), ".")
			if !ok || name == "" || path == "" {
				return nil, fmt.Errorf("%s: write ${steps.NAME.PATH}, like ${steps.booked.data.id}", text)
			}
			r.kind, r.step, r.path = refStep, name, path
		default:
			return nil, fmt.Errorf("unknown reference %s: use ${steps.NAME.PATH}, ${created} or ${env.NAME}", text)
		}
		out = append(out, r)
		i = start + len(text)
	}
	return out, nil
}

// refScope is what references resolve against.
type refScope struct {
	// bodies holds the body each earlier step sent, by step name.
	bodies map[string][]byte
	// created is this step's `created`.
	created string
	// getenv reads the environment; nil when the run does not allow it.
	getenv func(string) string
}

// resolve returns value with its references replaced.
func (s refScope) resolve(value string) (string, error) {
	refs, err := parseRefs(value)
	if err != nil || len(refs) == 0 {
		return value, err
	}
	whole := len(refs) == 1 && refs[0].text == value
	var b strings.Builder
	last := 0
	for _, r := range refs {
		raw, text, err := s.lookup(r)
		if err != nil {
			return "", err
		}
		if whole {
			return raw, nil
		}
		b.WriteString(value[last:r.start])
		b.WriteString(text)
		last = r.start + len(r.text)
	}
	b.WriteString(value[last:])
	return b.String(), nil
}

// lookup returns what r stands for: as JSON, and as text.
func (s refScope) lookup(r ref) (raw, text string, err error) {
	str := func(v string) (string, string, error) {
		j, _ := json.Marshal(v)
		return string(j), v, nil
	}
	switch r.kind {
	case refCreated:
		return str(s.created)
	case refEnv:
		if s.getenv == nil {
			return "", "", fmt.Errorf("%s reads the environment, which a scenario may not do unless you pass `--allow-env`", r.text)
		}
		return str(s.getenv(r.path))
	}
	body, ok := s.bodies[r.step]
	if !ok {
		return "", "", fmt.Errorf("%s: no earlier step is called %q", r.text, r.step)
	}
	v := gjson.GetBytes(body, gjsonPath(r.path))
	if !v.Exists() {
		return "", "", fmt.Errorf("%s: step %q sent nothing at %s", r.text, r.step, r.path)
	}
	if v.Type == gjson.String {
		return v.Raw, v.String(), nil
	}
	return v.Raw, v.Raw, nil
}

// gjsonPath turns a dot path into a gjson path with every segment escaped,
// so that gjson's own syntax (*, ?, #, @, |) means nothing in it.
func gjsonPath(path string) string {
	segs := strings.Split(path, ".")
	for i, s := range segs {
		segs[i] = gjson.Escape(s)
	}
	return strings.Join(segs, ".")
}

// stepRefs lists the names of the steps a step's values refer to, in order,
// each once.
func stepRefs(st Step) []string {
	var out []string
	for _, set := range st.Set {
		_, value, _ := strings.Cut(set, "=")
		refs, _ := parseRefs(value)
		for _, r := range refs {
			if r.kind == refStep && !slices.Contains(out, r.step) {
				out = append(out, r.step)
			}
		}
	}
	return out
}
