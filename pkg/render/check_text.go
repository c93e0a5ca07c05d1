package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
)

// countOf writes a count with its noun: "1 case", "3 cases".
func countOf(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// para prints text behind a mark, wrapped at width with a hanging indent.
func para(w io.Writer, _ *Styles, mark string, style func(...string) string, text string, width, indent int) {
	lines := wrapWidth(Safe(text), width-indent, 0)
	for i, l := range lines {
		if i == 0 {
			fmt.Fprintf(w, "%s%s\n", mark, style(l))
			continue
		}
		fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", indent), style(l))
	}
}

// wrapWidth wraps text at width without cutting words (a word longer than
// the line stays whole); lines after the first are indented by indent
// spaces. A width of 0 or less means one line.
func wrapWidth(text string, width, indent int) []string {
	if width <= 20 {
		return []string{text}
	}
	lines := wrap(text, width)
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.Repeat(" ", indent) + lines[i]
	}
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

// failedNames are the cases that ran and failed, in report order.
func failedNames(results []check.Result) []string {
	var failed []string
	for _, r := range results {
		if !r.Pass && !r.Skipped {
			failed = append(failed, r.Name)
		}
	}
	return failed
}

// skippedNames are the cases that did not run, in report order.
func skippedNames(results []check.Result) []string {
	var out []string
	for _, r := range results {
		if r.Skipped {
			out = append(out, r.Name)
		}
	}
	return out
}
