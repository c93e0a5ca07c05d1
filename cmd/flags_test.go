package cmd

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// parseFlags runs a command built by newCmd with args, stopping at runF:
// flag parsing and RunE's checks, nothing else (cli/cli's way).
func parseFlags[T any](t *testing.T, newCmd func(*Deps, func(*T) error) *cobra.Command, args ...string) (*T, error) {
	t.Helper()
	d, _, _, _ := testDeps(t, nil)
	var got *T
	c := newCmd(d, func(o *T) error { got = o; return nil })
	c.SetArgs(args)
	c.SetOut(io.Discard)
	c.SetErr(io.Discard)
	err := c.Execute()
	return got, err
}

// flagCase is one row of a flag-parsing table: the args, and either the
// error expected (a substring) or a check of the parsed options.
type flagCase[T any] struct {
	name  string
	args  []string
	err   string
	check func(*T) string // "" when the options are right, else what is wrong
}

func runFlagCases[T any](t *testing.T, newCmd func(*Deps, func(*T) error) *cobra.Command, tests []flagCase[T]) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlags(t, newCmd, tt.args...)
			switch {
			case tt.err != "":
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("%v: err = %v, want one containing %q", tt.args, err, tt.err)
				}
				if got != nil {
					t.Errorf("%v: run was called despite the error", tt.args)
				}
			case err != nil:
				t.Fatalf("%v: err = %v", tt.args, err)
			case got == nil:
				t.Fatalf("%v: run was not called", tt.args)
			default:
				if msg := tt.check(got); msg != "" {
					t.Errorf("%v: %s", tt.args, msg)
				}
			}
		})
	}
}

func TestCheckFlagParsing(t *testing.T) {
	runFlagCases(t, newCheckCmd, []flagCase[checkOptions]{
		{name: "defaults", args: []string{"http://127.0.0.1:1/h"}, check: func(o *checkOptions) string {
			if o.Format != "text" || o.Budget <= 0 || o.Concurrency < 1 {
				return "defaults: format " + o.Format
			}
			return ""
		}},
		{name: "format junit", args: []string{"http://127.0.0.1:1/h", "--format", "junit"}, check: func(o *checkOptions) string {
			if o.Format != "junit" {
				return "format = " + o.Format
			}
			return ""
		}},
		{name: "format unknown", args: []string{"http://127.0.0.1:1/h", "--format", "xml"}, err: `unknown format "xml": use text, json, junit or tap`},
		{name: "budget zero", args: []string{"http://127.0.0.1:1/h", "--budget", "0s"}, err: "bad `--budget`"},
		{name: "no URL", args: nil, err: "missing URL"},
	})
}

func TestFixturesShowFlagParsing(t *testing.T) {
	runFlagCases(t, newFixturesShowCmd, []flagCase[fixturesShowOptions]{
		{name: "raw compact", args: []string{"review.created", "--raw", "--encoding", "compact"}, check: func(o *fixturesShowOptions) string {
			if !o.Raw || o.Encoding != "compact" || o.Action != "review.created" {
				return "parsed wrong"
			}
			return ""
		}},
		{name: "default encoding", args: []string{"review.created"}, check: func(o *fixturesShowOptions) string {
			if o.Encoding != "php" {
				return "encoding = " + o.Encoding
			}
			return ""
		}},
		{name: "unknown encoding", args: []string{"review.created", "--raw", "--encoding", "pretty"}, err: `unknown encoding "pretty": use php or compact`},
		{name: "encoding without raw", args: []string{"review.created", "--encoding", "compact"}, err: "goes with `--raw`"},
	})
}

func TestSendFlagParsing(t *testing.T) {
	runFlagCases(t, newSendCmd, []flagCase[sendOptions]{
		{name: "compact encoding reaches the body", args: []string{"message.created", "--encoding", "compact"}, check: func(o *sendOptions) string {
			ds, err := o.Deliveries()
			if err != nil {
				return err.Error()
			}
			if strings.Contains(string(ds[0].Body), `\/`) || ds[0].Signature == "" {
				return "body is not compact, or unsigned: " + string(ds[0].Body)
			}
			return ""
		}},
		{name: "php encoding by default", args: []string{"message.created"}, check: func(o *sendOptions) string {
			ds, err := o.Deliveries()
			if err != nil {
				return err.Error()
			}
			if !strings.Contains(string(ds[0].Body), `\/`) {
				return "body is not PHP-escaped: " + string(ds[0].Body)
			}
			return ""
		}},
		{name: "load mode", args: []string{"review.created", "--count", "5", "--rate", "10/s"}, check: func(o *sendOptions) string {
			if !o.Load || o.Count != 5 || o.rate.IsZero() || o.Concurrency != 10 {
				return "load flags parsed wrong"
			}
			return ""
		}},
		{name: "all", args: []string{"--all"}, check: func(o *sendOptions) string {
			if len(o.Actions) < 6 {
				return "--all did not expand to every action"
			}
			return ""
		}},
		{name: "unknown encoding", args: []string{"review.created", "--encoding", "pretty"}, err: `unknown encoding "pretty"`},
		{name: "count without number", args: []string{"review.created", "--rate", "10/s"}, err: "--count N"},
		{name: "actions and all", args: []string{"review.created", "--all"}, err: "not both"},
	})
}

func TestSimulateFlagParsing(t *testing.T) {
	runFlagCases(t, newSimulateCmd, []flagCase[simulateOptions]{
		{name: "defaults", args: []string{"review.created"}, check: func(o *simulateOptions) string {
			if o.Speed <= 1 || len(o.Schedule) != 5 || o.JSON {
				return "defaults parsed wrong"
			}
			return ""
		}},
		{name: "schedule", args: []string{"review.created", "--schedule", "1s,2s", "--json"}, check: func(o *simulateOptions) string {
			if !slices.Equal(o.Schedule, []time.Duration{time.Second, 2 * time.Second}) || !o.JSON {
				return "schedule or json parsed wrong: " + o.Schedule.String()
			}
			return ""
		}},
	})
}

func TestReplayFlagParsing(t *testing.T) {
	runFlagCases(t, newReplayCmd, []flagCase[replayOptions]{
		{name: "filters", args: []string{"c.jsonl", "--id", "A, B", "--action", "review.created", "--dry-run"}, check: func(o *replayOptions) string {
			if o.File != "c.jsonl" || !slices.Equal(o.IDs, []string{"A", "B"}) || !o.DryRun || o.Resign {
				return "parsed wrong"
			}
			return ""
		}},
		{name: "secret without resign", args: []string{"c.jsonl", "--secret", "x"}, err: "only apply with `--resign`"},
		{name: "two files", args: []string{"a.jsonl", "b.jsonl"}, err: "one capture file"},
	})
}

func TestSignVerifySecretVersionDemoFlagParsing(t *testing.T) {
	runFlagCases(t, newSignCmd, []flagCase[signOptions]{
		{name: "sign curl", args: []string{"--file", "b.json", "--curl", "http://127.0.0.1:1/h"}, check: func(o *signOptions) string {
			if o.File != "b.json" || o.Curl != "http://127.0.0.1:1/h" {
				return "parsed wrong"
			}
			return ""
		}},
		{name: "sign bad curl URL", args: []string{"--file", "b.json", "--curl", "localhost:1"}, err: "bad URL"},
	})
	runFlagCases(t, newVerifyCmd, []flagCase[verifyOptions]{
		{name: "verify", args: []string{"--file", "b.json", "--signature", docSig}, check: func(o *verifyOptions) string {
			if o.File != "b.json" || o.Signature != docSig {
				return "parsed wrong"
			}
			return ""
		}},
	})
	runFlagCases(t, newSecretCmd, []flagCase[secretOptions]{
		{name: "secret", args: []string{"ana@example.com"}, check: func(o *secretOptions) string {
			if o.Email != "ana@example.com" {
				return "email = " + o.Email
			}
			return ""
		}},
	})
	runFlagCases(t, newVersionCmd, []flagCase[versionOptions]{
		{name: "version json", args: []string{"--json"}, check: func(o *versionOptions) string {
			if !o.JSON {
				return "json not set"
			}
			return ""
		}},
	})
	runFlagCases(t, newDemoCmd, []flagCase[demoOptions]{
		{name: "demo json", args: []string{"--json"}, check: func(o *demoOptions) string {
			if !o.JSON {
				return "json not set"
			}
			return ""
		}},
	})
}

// TestEnumFlagsComplete: every enumerated flag completes its options.
func TestEnumFlagsComplete(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "send", "--encoding", ""}, []string{"php", "compact"}},
		{[]string{"__complete", "simulate", "--encoding", ""}, []string{"php", "compact"}},
		{[]string{"__complete", "fixtures", "show", "review.created", "--raw", "--encoding", ""}, []string{"php", "compact"}},
		{[]string{"__complete", "check", "--format", ""}, []string{"text", "json", "junit", "tap"}},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, "", tt.args...)
		got := strings.Fields(r.stdout)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%v: completions %q lack %q", tt.args, got, w)
			}
		}
	}
}

// TestEnumFlagsDocumented: the help lists an enumerated flag's options.
func TestEnumFlagsDocumented(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"send", "--help"}, "{php|compact}"},
		{[]string{"fixtures", "show", "--help"}, "{php|compact}"},
		{[]string{"check", "--help"}, "{text|json|junit|tap}"},
	}
	for _, tt := range tests {
		if r := runCLI(t, nil, "", tt.args...); !strings.Contains(r.stdout, tt.want) {
			t.Errorf("%v: help lacks %q", tt.args, tt.want)
		}
	}
}

func TestOrList(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a or b"}, {[]string{"a", "b", "c"}, "a, b or c"}}
	for _, tt := range tests {
		if got := orList(tt.in); got != tt.want {
			t.Errorf("orList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
