// Command hospitable-hook tests and debugs Hospitable webhooks offline: it
// signs and sends realistic deliveries, receives and verifies them, explains
// signature mismatches and rehearses the retry policy.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/hospitable-hook/hospitable-hook/cmd"
)

//go:generate sh -c "go run . completion bash > completions/hospitable-hook.bash"
//go:generate sh -c "go run . completion zsh > completions/hospitable-hook.zsh"
//go:generate sh -c "go run . completion fish > completions/hospitable-hook.fish"
//go:generate sh -c "go run . completion powershell > completions/hospitable-hook.ps1"

// Set by the release build (-X main.version=… and so on); empty otherwise.
var (
	version string
	commit  string
	date    string
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first Ctrl-C asks the command to finish cleanly; from then on the
	// signals have their default effect, so a second Ctrl-C ends the
	// process at once, whatever it is waiting for.
	go func() {
		<-ctx.Done()
		stop()
	}()
	deps := cmd.SystemDeps(cmd.BuildInfo{Version: version, Commit: commit, Date: date})
	code := cmd.Execute(ctx, deps)
	stop()
	os.Exit(code)
}
