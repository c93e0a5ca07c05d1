package cmd

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the scripts in testdata/script run `hospitable-hook` as a
// real process: testscript re-executes this test binary under that name.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"hospitable-hook": func() {
			os.Exit(Execute(context.Background(), SystemDeps(BuildInfo{Version: "script"})))
		},
	})
}

// TestScripts runs the command-line scenarios in testdata/script: what a
// user types, what comes out on stdout and stderr, and the exit status.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
