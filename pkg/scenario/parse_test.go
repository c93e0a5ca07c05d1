package scenario

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

const goodFile = `name: cancel-after-message
description: the guest writes, then cancels
start: 2026-05-01T10:00:00Z
steps:
  - name: booked
    fixture: reservation.created
  - name: asks
    fixture: message.created
    wait: 90m
    set:
      - data.reservation_id=${steps.booked.data.id}
      - data.body=Can we bring a dog?
  - name: cancelled
    fixture: reservation.changed
    wait: 1d12h
    set:
      - data.id=${steps.booked.data.id}
      - data.reservation_status.current.category=cancelled
    unset: [data.review]
    triggers: [status_changed]
    chaos: [duplicate, retry]
    expect: {status: 200, processed: 1}
    note: mark it cancelled
`

func parseOpts() ParseOptions {
	set := fixture.New(fixtures.FS)
	return ParseOptions{Fixture: func(name string) error { _, err := set.Entry(name); return err }}
}

func TestParseGood(t *testing.T) {
	sc, err := Parse("story.yaml", []byte(goodFile), parseOpts())
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "cancel-after-message" || len(sc.Steps) != 3 || !sc.Start.Equal(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("Parse() = %+v", sc)
	}
	c := sc.Steps[2]
	if c.Wait != 36*time.Hour || c.Line != 13 || c.Expect.WantProcessed() != 1 || !c.Has(Duplicate) || !c.Has(Retry) ||
		len(c.Unset) != 1 || c.Triggers[0] != "status_changed" || c.Note != "mark it cancelled" {
		t.Errorf("step 3 = %+v", c)
	}
}

// The good file builds: overrides, unset and waits apply.
func TestParseGoodBuilds(t *testing.T) {
	sc, err := Parse("story.yaml", []byte(goodFile), parseOpts())
	if err != nil {
		t.Fatal(err)
	}
	cfg := buildConfig()
	cfg.Start = sc.Start
	built, err := Build(sc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := get(built[2], "data.reservation_status.current.category").String(); got != "cancelled" {
		t.Errorf("cancelled category = %q", got)
	}
	if get(built[2], "data.review").Exists() {
		t.Error("unset data.review is still there")
	}
	if got := get(built[1], "created").String(); got != "2026-05-01T11:30:00Z" {
		t.Errorf("step 2 created = %s, want 2026-05-01T11:30:00Z", got)
	}
}

// A story in JSON reads the same; a step without a name gets step-N.
func TestParseJSON(t *testing.T) {
	js := `{"name":"j","steps":[{"name":"booked","fixture":"reservation.created"},
  {"fixture":"reservation.changed","set":["data.id=${steps.booked.data.id}"],"expect":{"status":200}}]}`
	sc, err := Parse("story.json", []byte(js), parseOpts())
	if err != nil || len(sc.Steps) != 2 || sc.Steps[1].Name != "step-2" {
		t.Fatalf("Parse(json) = %+v, %v", sc, err)
	}
}

// Every mistake names the file, the line and the offending key.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		want string
	}{
		{"empty", ``, "story.yaml: the file is empty"},
		{"not a mapping", `- a`, "story.yaml:1: a scenario is a mapping"},
		{"syntax", "name: a\nsteps: [\n", "story.yaml:2: not valid YAML or JSON"},
		{"unknown top key", "name: a\nstep:\n  - fixture: reservation.created\n", `story.yaml:2: step: unknown key (did you mean "steps"?)`},
		{"no steps", "name: a\n", "story.yaml:1: steps: missing"},
		{"empty steps", "steps: []\n", "story.yaml:1: steps: must be a non-empty list"},
		{"unknown step key", "steps:\n  - fixture: reservation.created\n    fixtrue: x\n", `story.yaml:3: steps[1].fixtrue: unknown key (did you mean "fixture"?)`},
		{"no fixture", "steps:\n  - name: a\n", "story.yaml:2: steps[1]: names no payload"},
		{"unknown fixture", "steps:\n  - name: a\n    fixture: reservation.create\n", `story.yaml:3: steps[1].fixture: unknown action "reservation.create": did you mean "reservation.created"?`},
		{"bad wait", "steps:\n  - fixture: reservation.created\n    wait: soon\n", `story.yaml:3: steps[1].wait: bad wait "soon"`},
		{"bad chaos", "steps:\n  - fixture: reservation.created\n    chaos: [duplicate, explode]\n", `story.yaml:3: steps[1].chaos: unknown chaos "explode"`},
		{"chaos not a list", "steps:\n  - fixture: reservation.created\n    chaos: duplicate\n", "story.yaml:3: steps[1].chaos: must be a list, like [duplicate]"},
		{"set as map", "steps:\n  - fixture: reservation.created\n    set: {data.id: 1}\n", "story.yaml:3: steps[1].set: write set as a list of path=value strings"},
		{"set without =", "steps:\n  - fixture: reservation.created\n    set:\n      - data.id\n", `story.yaml:4: steps[1].set[1]: "data.id": write path=value`},
		{"forward ref", "steps:\n  - name: a\n    fixture: reservation.created\n    set:\n      - data.id=${steps.b.data.id}\n  - name: b\n    fixture: reservation.created\n",
			`story.yaml:5: steps[1].set[1]: ${steps.b.data.id}: no earlier step is called "b"`},
		{"self ref", "steps:\n  - name: a\n    fixture: reservation.created\n    set: [\"data.id=${steps.a.data.id}\"]\n", "refers to this step itself"},
		{"env without flag", "steps:\n  - fixture: reservation.created\n    set:\n      - data.guest.email=${env.EMAIL}\n", "story.yaml:4: steps[1].set[1]: ${env.EMAIL} reads the environment; a scenario file may not unless you pass `--allow-env`"},
		{"bad ref", "steps:\n  - fixture: reservation.created\n    set:\n      - data.id=${shell.rm}\n", "unknown reference ${shell.rm}"},
		{"unclosed ref", "steps:\n  - fixture: reservation.created\n    set:\n      - data.id=${steps.a.data.id\n", "unclosed"},
		{"duplicate name", "steps:\n  - name: a\n    fixture: reservation.created\n  - name: a\n    fixture: reservation.created\n", `story.yaml:4: steps[2].name: "a" names an earlier step too`},
		{"bad name", "steps:\n  - name: a b\n    fixture: reservation.created\n", `story.yaml:2: steps[1].name: bad name "a b"`},
		{"key twice", "steps:\n  - fixture: reservation.created\n    wait: 1h\n    wait: 2h\n", "story.yaml:4: steps[1].wait: given twice"},
		{"bad status", "steps:\n  - fixture: reservation.created\n    expect: {status: 999}\n", "story.yaml:3: steps[1].expect.status: 999 is not an HTTP status"},
		{"status not a number", "steps:\n  - fixture: reservation.created\n    expect: {status: ok}\n", "story.yaml:3: steps[1].expect.status: must be a whole number"},
		{"unknown expect key", "steps:\n  - fixture: reservation.created\n    expect: {processd: 1}\n", `story.yaml:3: steps[1].expect.processd: unknown key (did you mean "processed"?)`},
		{"bad start", "start: yesterday\nsteps:\n  - fixture: reservation.created\n", `story.yaml:1: start: bad time "yesterday"`},
		{"control characters escaped", "steps:\n  - fixture: reservation.created\n    \"\\e[2Jx\": 1\n", `story.yaml:3: steps[1].\x1b[2Jx: unknown key`},
		{"json unknown key", `{"steps":[{"fixture":"reservation.created","exec":"rm -rf /"}]}`, "story.yaml:1: steps[1].exec: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("story.yaml", []byte(tt.file), parseOpts())
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse() error = %v, want a *ParseError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
	// With --allow-env the reference is accepted.
	opts := parseOpts()
	opts.AllowEnv = true
	if _, err := Parse("story.yaml", []byte("steps:\n  - fixture: reservation.created\n    set: [\"data.guest.email=${env.EMAIL}\"]\n"), opts); err != nil {
		t.Errorf("with AllowEnv: %v", err)
	}
}

func TestParseWait(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"90m", 90 * time.Minute, true}, {"2h30m", 150 * time.Minute, true}, {"3d", 72 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true}, {"0s", 0, true}, {"-1h", 0, false}, {"d", 0, false}, {"x", 0, false}, {"99999d", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseWait(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseWait(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(goodFile))
	f.Add([]byte(`{"steps":[{"fixture":"reservation.created"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("f.yaml", data, parseOpts())
		if err != nil {
			return
		}
		if len(sc.Steps) == 0 {
			t.Fatal("Parse accepted a scenario without steps")
		}
	})
}

func TestParseTooManySteps(t *testing.T) {
	file := "steps:\n" + strings.Repeat("  - fixture: reservation.created\n", MaxSteps+1)
	if _, err := Parse("big.yaml", []byte(file), ParseOptions{}); err == nil || !strings.Contains(err.Error(), "big.yaml:2: steps: 1001 steps is more than a story needs") {
		t.Errorf("Parse(%d steps) error = %v", MaxSteps+1, err)
	}
}

func TestValidStepName(t *testing.T) {
	for name, want := range map[string]bool{
		"booked": true, "step_2-b": true, strings.Repeat("x", 64): true,
		"": false, strings.Repeat("x", 65): false, "has space": false, "a.b": false, "${x}": false, "é": false,
	} {
		if got := validStepName(name); got != want {
			t.Errorf("validStepName(%q) = %v, want %v", name, got, want)
		}
	}
}
