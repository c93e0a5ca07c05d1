package cmd

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// fixturesDir is the --fixtures-dir flag of every command that builds
// deliveries from fixtures: where the user's fixtures live.
type fixturesDir struct{ flag string }

func (f *fixturesDir) add(c *cobra.Command) {
	c.Flags().StringVar(&f.flag, "fixtures-dir", "", "User fixtures `directory` (default: $"+fixture.EnvDir+", else ./"+fixture.DefaultDir+")")
	_ = c.MarkFlagDirname("fixtures-dir")
}

// dir is the user fixtures directory: the flag, the environment, or the
// project default.
func (f fixturesDir) dir(d *Deps) string { return fixture.Dir(f.flag, d.Getenv) }

// set returns the built-in fixtures with the user's layered over them. A
// directory that does not exist holds no fixtures; that is not an error.
func (f fixturesDir) set(d *Deps) *fixture.Set {
	dir := f.dir(d)
	return fixture.New(d.Fixtures).WithUser(os.DirFS(dir), dir)
}

// completeFixtures completes fixture names: the built-in actions, then the
// user fixtures of --fixtures-dir (or its defaults).
func completeFixtures(d *Deps) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		flag, _ := c.Flags().GetString("fixtures-dir")
		entries, _ := fixturesDir{flag: flag}.set(d).Entries()
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			names = append(names, e.Name)
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
}
