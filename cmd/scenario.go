package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/render"
	"github.com/hospitable-hook/hospitable-hook/pkg/scenario"
)

func newScenarioCmd(d *Deps) *cobra.Command {
	c := &cobra.Command{
		Use:   "scenario",
		Short: "Play linked stories of deliveries, with duplicates, reordering and retries",
		Long: `scenario plays stories of deliveries whose ids agree from step to step: a
booking created, a guest message, the dates changed, the booking cancelled
(as reservation.changed with status_changed, the way Hospitable sends it).
Chaos flags add what real traffic does: duplicates, pairs out of order,
two copies at the same moment, retries on Hospitable's schedule.

Built-in stories: booking-lifecycle, guest-journey, property-lifecycle,
disconnection. A YAML or JSON file of your own runs the same way.`,
		Example: `  $ hospitable-hook scenario list
  $ hospitable-hook scenario show booking-lifecycle
  $ hospitable-hook scenario run booking-lifecycle --to http://127.0.0.1:8000/webhooks/hospitable
  $ hospitable-hook scenario run booking-lifecycle --duplicates --reorder --seed 7
  $ hospitable-hook scenario run my-story.yaml --retry --observe './count-processed'`,
		Args: cobra.NoArgs,
	}
	c.AddCommand(newScenarioListCmd(d, nil), newScenarioShowCmd(d, nil), newScenarioRunCmd(d, nil))
	return c
}

// completeScenarios completes built-in scenario names, and files.
func completeScenarios(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return scenario.Names(scenario.Builtins()), cobra.ShellCompDirectiveDefault
}

type scenarioListOptions struct {
	IO   *render.IO
	JSON bool
}

func newScenarioListCmd(d *Deps, runF func(*scenarioListOptions) error) *cobra.Command {
	opts := &scenarioListOptions{IO: d.IO}
	c := &cobra.Command{
		Use:     "list",
		Short:   "List the built-in scenarios",
		Example: `  $ hospitable-hook scenario list`,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runScenarioList(opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "Print one JSON object per scenario")
	return c
}

func runScenarioList(opts *scenarioListOptions) error {
	list := scenario.Builtins()
	if !opts.JSON {
		render.ScenarioList(opts.IO.Out, opts.IO.Styles(), list)
		return nil
	}
	return render.JSONLines(opts.IO, list, render.NewScenarioListRecord)
}

// scenarioSource is what show and run share: which scenario, from where.
type scenarioSource struct {
	fixtures fixturesDir
	allowEnv bool
}

// load returns the built-in scenario called arg, or reads the file arg.
// Mistakes are input errors naming the file and line.
func (s *scenarioSource) load(d *Deps, arg string) (scenario.Scenario, error) {
	if sc, ok := scenario.Lookup(scenario.Builtins(), arg); ok {
		return sc, nil
	}
	data, err := d.ReadFile(context.Background(), arg, maxInput)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(arg, `/\.`) {
			return scenario.Scenario{}, flagErrorf("unknown scenario %q: built-in ones are %s (see `hospitable-hook scenario list`), or give the path of a YAML or JSON file",
				arg, strings.Join(scenario.Names(scenario.Builtins()), ", "))
		}
		return scenario.Scenario{}, inputErr(fmt.Errorf("read scenario %s: %w", arg, err))
	}
	set := s.fixtures.set(d)
	sc, err := scenario.Parse(arg, data, scenario.ParseOptions{
		AllowEnv: s.allowEnv,
		Fixture: func(name string) error {
			_, err := set.Entry(name)
			return err
		},
	})
	if err != nil {
		return scenario.Scenario{}, inputErr(err)
	}
	return sc, nil
}

type scenarioShowOptions struct {
	IO *render.IO
	// Load reads the scenario (scenarioSource.load).
	Load func() (scenario.Scenario, error)
}

func newScenarioShowCmd(d *Deps, runF func(*scenarioShowOptions) error) *cobra.Command {
	opts := &scenarioShowOptions{IO: d.IO}
	var src scenarioSource
	c := &cobra.Command{
		Use:               "show <name|file>",
		Short:             "Print a scenario's steps",
		Example:           `  $ hospitable-hook scenario show booking-lifecycle`,
		ValidArgsFunction: completeScenarios,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return flagErrorf("name one scenario (see `hospitable-hook scenario list`) or give a file")
			}
			opts.Load = func() (scenario.Scenario, error) { return src.load(d, args[0]) }
			if runF != nil {
				return runF(opts)
			}
			return runScenarioShow(opts)
		},
	}
	src.fixtures.add(c)
	c.Flags().BoolVar(&src.allowEnv, "allow-env", false, "Let the file read environment variables with ${env.NAME}")
	return c
}

func runScenarioShow(opts *scenarioShowOptions) error {
	sc, err := opts.Load()
	if err != nil {
		return err
	}
	render.ScenarioShow(opts.IO.Out, opts.IO.Styles(), sc)
	return nil
}
