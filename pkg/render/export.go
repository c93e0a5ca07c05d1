package render

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/hospitable-hook/hospitable-hook/pkg/bytesize"

	"github.com/hospitable-hook/hospitable-hook/pkg/export"
)

// ExportRecord is `send --export --json`: what was written and where.
type ExportRecord struct {
	Format  string   `json:"format"`
	URL     string   `json:"url"`
	Dir     string   `json:"dir"`
	Targets []string `json:"targets"`
	Count   int      `json:"count"`
	Bytes   int64    `json:"bytes"`
}

// NewExportRecord is the --json form of an export.
func NewExportRecord(target string, ex export.Export) ExportRecord {
	return ExportRecord{Format: "vegeta", URL: SafeURL(target), Dir: ex.Dir, Targets: ex.Targets, Count: ex.Count, Bytes: ex.Bytes}
}

// ExportSummary says what `send --export vegeta` wrote and how to send
// it, from one machine or from several.
func ExportSummary(w io.Writer, st *Styles, target string, ex export.Export) {
	fmt.Fprintf(w, "%s wrote %d signed deliveries for %s to %s (%s of bodies)\n",
		st.Tick(), ex.Count, SafeURL(target), Safe(ex.Dir), bytesize.Approx(ex.Bytes))
	dir := Safe(ex.Dir)
	if strings.ContainsAny(dir, " '\"$`\\") {
		dir = "'" + strings.ReplaceAll(dir, "'", `'\''`) + "'"
	}
	fmt.Fprintf(w, "%s\n", st.Dim.Render("Send each delivery once (-lazy reads the targets in order and stops when they run out):"))
	if len(ex.Targets) == 1 {
		fmt.Fprintf(w, "  cd %s && vegeta attack -lazy -format http -targets %s -rate 500/s -duration 0 | tee results.bin | vegeta report\n", dir, ex.Targets[0])
		return
	}
	fmt.Fprintf(w, "%s\n", st.Dim.Render(fmt.Sprintf("Copy %s to %d machines; on machine K run:", filepath.Base(ex.Dir), len(ex.Targets))))
	fmt.Fprintf(w, "  vegeta attack -lazy -format http -targets targets-K.txt -rate 500/s -duration 0 > results-K.bin\n")
	fmt.Fprintf(w, "%s\n", st.Dim.Render("then gather the results and merge them:"))
	fmt.Fprintf(w, "  vegeta report results-*.bin\n")
}
