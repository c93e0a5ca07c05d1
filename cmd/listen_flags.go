package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

// completeActionList completes a comma-separated list of action names.
func completeActionList(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return completeList(fixture.Actions(), toComplete)
}

// completeList completes the last entry of a comma-separated list from names.
func completeList(names []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	done, _ := cutLast(toComplete, ",")
	var out []string
	for _, n := range names {
		out = append(out, done+n)
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

func cutLast(s, sep string) (string, string) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", s
	}
	return s[:i+1], s[i+1:]
}

// parse checks the flags and their combinations, in the order they are
// documented, so the first bad one is the one reported.
func (o *listenOptions) parse(c *cobra.Command) error {
	for _, check := range []func(*cobra.Command) error{
		o.checkAddress, o.checkSave, o.parseLimits, o.parseAnswers, o.parseForward, o.checkExpect, o.ui.parse,
	} {
		if err := check(c); err != nil {
			return err
		}
	}
	o.parseEvents()
	return nil
}

// checkAddress checks --port, --host and --path.
func (o *listenOptions) checkAddress(*cobra.Command) error {
	if o.Port < 0 || o.Port > 65535 {
		return flagErrorf("bad `--port` %d: use 1-65535, or 0 for any free port", o.Port)
	}
	if o.Host == "" {
		return flagErrorf("empty `--host`: use 127.0.0.1 (this machine only) or 0.0.0.0 (all interfaces)")
	}
	if o.Path != "" && !strings.HasPrefix(o.Path, "/") {
		return flagErrorf("bad `--path` %q: start it with /, like /webhooks/hospitable", o.Path)
	}
	return nil
}

// checkSave checks that --save-follow-symlink comes with --save.
func (o *listenOptions) checkSave(*cobra.Command) error {
	if o.SaveFollow && o.Save == "" {
		return flagErrorf("`--save-follow-symlink` needs `--save FILE`: it lets that path be a symbolic link")
	}
	return nil
}

// parseLimits reads --max-body and --allow-ip (repeatable, or a comma list).
func (o *listenOptions) parseLimits(*cobra.Command) error {
	n, err := listener.ParseBytes(o.MaxBody)
	if err != nil {
		return flagErrorf("bad `--max-body`: %w", err)
	}
	o.maxBody = n
	for _, s := range o.AllowIP {
		for _, part := range strings.Split(s, ",") {
			p, err := listener.ParsePrefix(strings.TrimSpace(part))
			if err != nil {
				return flagErrorf("bad `--allow-ip` %q: use a CIDR like 38.80.170.0/24 or a single address", part)
			}
			o.allow = append(o.allow, p)
		}
	}
	return nil
}

// parseAnswers reads --respond and --delay.
func (o *listenOptions) parseAnswers(c *cobra.Command) error {
	if c.Flags().Changed("respond") {
		var err error
		if o.script, err = listener.ParseScript(o.Respond); err != nil {
			return flagErrorf("bad `--respond`: %w", err)
		}
	}
	if o.Delay < 0 {
		return flagErrorf("bad `--delay` %s: use a positive duration like 2s", o.Delay)
	}
	return nil
}

// parseForward reads --forward-to and --forward-timeout.
func (o *listenOptions) parseForward(c *cobra.Command) error {
	if c.Flags().Changed("forward-timeout") && (o.ForwardTo == "" || o.ForwardTimeout <= 0) {
		return flagErrorf("bad `--forward-timeout` %s: it needs `--forward-to URL` and a positive duration like 5s", o.ForwardTimeout)
	}
	if o.ForwardTo == "" {
		return nil
	}
	if err := checkURL(o.ForwardTo); err != nil {
		return err
	}
	var err error
	fo := listener.ForwardOptions{Timeout: o.ForwardTimeout, Budget: check.DefaultBudget}
	if o.forward, err = listener.NewForwarder(o.ForwardTo, fo); err != nil {
		return flagErrorf("%w", err)
	}
	return nil
}

// checkExpect checks --expect and --timeout.
func (o *listenOptions) checkExpect(c *cobra.Command) error {
	if o.Expect < 0 {
		return flagErrorf("bad `--expect` %d: give how many verified deliveries to wait for", o.Expect)
	}
	if o.Timeout < 0 || c.Flags().Changed("timeout") && o.Expect == 0 {
		return flagErrorf("`--timeout` needs `--expect N`: it bounds the wait for N deliveries")
	}
	return nil
}

// parseEvents reads --events; an unknown action is a warning, since a
// receiver must take actions it does not know yet.
func (o *listenOptions) parseEvents() {
	if len(o.Events) == 0 {
		return
	}
	o.eventSet = make(map[string]bool)
	for _, e := range o.Events {
		e = strings.TrimSpace(e)
		if _, ok := fixture.Lookup(e); !ok {
			hint := ""
			if s := fixture.Suggest(e, fixture.Actions()); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			o.IO.Warnf("--events: %q is not a known action%s; showing it anyway", e, hint)
		}
		o.eventSet[e] = true
	}
}
