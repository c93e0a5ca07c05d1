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

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cmd.Execute(ctx, cmd.SystemDeps())
	stop()
	os.Exit(code)
}
