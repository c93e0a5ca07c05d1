package scenario

import (
	"strings"

	"go.yaml.in/yaml/v3"
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
//
// parse.go reads the document and its top-level keys, parse_step.go one
// step, parse_values.go the values, parse_error.go says where a mistake is.

// ParseOptions says what a file may do.
type ParseOptions struct {
	// AllowEnv lets ${env.NAME} appear; without it such a file is refused.
	AllowEnv bool
	// Fixture, when set, checks that a fixture name exists; its error is
	// reported at the line that names the fixture.
	Fixture func(name string) error
}

// MaxSteps is the most steps a scenario file may have.
const MaxSteps = 1000

var topKeys = []string{"name", "description", "start", "steps"}

// parser walks the YAML nodes of one file.
type parser struct {
	file string
	opts ParseOptions
}

// Parse reads a scenario file. Every mistake is a *ParseError naming the
// file, the line and the offending key: an unknown key (with the likely
// intended one), a value of the wrong kind, a step name used twice, a
// reference to a step that does not come earlier, an unknown fixture or
// chaos, an unreadable wait.
func Parse(file string, data []byte, opts ParseOptions) (Scenario, error) {
	p := &parser{file: file, opts: opts}
	root, err := p.document(data)
	if err != nil {
		return Scenario{}, err
	}
	sc := Scenario{Source: file}
	stepsNode, err := p.top(root, &sc)
	if err != nil {
		return Scenario{}, err
	}
	if sc.Steps, err = p.steps(root, stepsNode); err != nil {
		return Scenario{}, err
	}
	if sc.Name == "" {
		sc.Name = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(baseName(file), ".yaml"), ".yml"), ".json")
	}
	return sc, nil
}

// document reads the YAML and returns its root mapping.
func (p *parser) document(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.yamlError(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, p.errf(nil, "", "the file is empty: write a scenario with name and steps (see `hospitable-hook scenario show booking-lifecycle`)")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root, "", "a scenario is a mapping with name, description and steps")
	}
	return root, nil
}

// top reads the top-level keys into sc and returns the steps node, nil
// when there is none.
func (p *parser) top(root *yaml.Node, sc *Scenario) (*yaml.Node, error) {
	var stepsNode *yaml.Node
	err := p.fields(root, "", topKeys, func(key string, v *yaml.Node) error {
		var err error
		switch key {
		case "name":
			sc.Name, err = p.str(v, key)
		case "description":
			sc.Description, err = p.str(v, key)
		case "start":
			err = p.strAs(v, key, func(s string) (err error) {
				sc.Start, err = parseStart(s)
				return err
			})
		case "steps":
			stepsNode = v
		}
		return err
	})
	return stepsNode, err
}

// steps reads the list of steps, each checked against those before it.
func (p *parser) steps(root, stepsNode *yaml.Node) ([]Step, error) {
	if stepsNode == nil {
		return nil, p.errf(root, "steps", "missing: list the deliveries under steps:, each with at least a fixture")
	}
	if stepsNode.Kind != yaml.SequenceNode || len(stepsNode.Content) == 0 {
		return nil, p.errf(stepsNode, "steps", "must be a non-empty list of steps")
	}
	if len(stepsNode.Content) > MaxSteps {
		return nil, p.errf(stepsNode, "steps", "%d steps is more than a story needs (at most %d): split it into several files", len(stepsNode.Content), MaxSteps)
	}
	var out []Step
	seen := map[string]int{}
	for i, n := range stepsNode.Content {
		st, err := p.step(n, i, seen)
		if err != nil {
			return nil, err
		}
		seen[st.Name] = i
		out = append(out, st)
	}
	return out, nil
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}
