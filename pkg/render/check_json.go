package render

import "github.com/hospitable-hook/hospitable-hook/pkg/check"

// `check --format json`: JSON Lines, the diagnosis, one object per case,
// then the summary.

// CheckRecord is one case as `check --format json` prints it.
type CheckRecord struct {
	Type      string  `json:"type"`
	Name      string  `json:"name"`
	Title     string  `json:"title"`
	Pass      bool    `json:"pass"`
	Skipped   bool    `json:"skipped,omitempty"`
	Warn      bool    `json:"warn,omitempty"`
	Sent      string  `json:"sent"`
	Got       string  `json:"got"`
	Status    int     `json:"status"`
	Excerpt   string  `json:"body_excerpt,omitempty"`
	Why       string  `json:"why,omitempty"`
	Fix       string  `json:"fix,omitempty"`
	Note      string  `json:"note,omitempty"`
	Cause     string  `json:"cause,omitempty"`
	LatencyMS float64 `json:"latency_ms"`
}

// NewCheckRecord returns the JSON form of a case's result.
func NewCheckRecord(r check.Result) CheckRecord {
	return CheckRecord{Type: "case", Name: r.Name, Title: r.Title, Pass: r.Pass, Skipped: r.Skipped, Warn: r.Warn, Sent: r.Sent, Got: r.Got,
		Status: r.Status, Excerpt: r.Excerpt, Why: r.Why, Fix: r.Fix, Note: r.Note, Cause: string(r.Cause), LatencyMS: ms(r.Latency)}
}

// CheckDiagnosisRecord is the diagnosis as `check --format json` prints it.
type CheckDiagnosisRecord struct {
	Type     string              `json:"type"`
	Verdict  string              `json:"verdict"`
	Cause    string              `json:"cause"`
	Fix      string              `json:"fix,omitempty"`
	Accepted []string            `json:"accepted"`
	Probes   []check.ProbeResult `json:"probes"`
}

// NewCheckDiagnosisRecord returns the JSON form of a diagnosis.
func NewCheckDiagnosisRecord(d check.Diagnosis) CheckDiagnosisRecord {
	acc := d.Accepted
	if acc == nil {
		acc = []string{}
	}
	probes := append([]check.ProbeResult{d.Valid, d.Control}, d.Results...)
	return CheckDiagnosisRecord{Type: "diagnosis", Verdict: string(d.Verdict), Cause: d.Cause, Fix: d.Fix, Accepted: acc, Probes: probes}
}

// CheckSummaryRecord ends `check --format json`.
type CheckSummaryRecord struct {
	Type        string        `json:"type"`
	URL         string        `json:"url"`
	Pass        bool          `json:"pass"`
	Total       int           `json:"total"`
	Passed      int           `json:"passed"`
	Failed      int           `json:"failed"`
	Skipped     int           `json:"skipped"`
	Failures    []string      `json:"failures"`
	Suite       int           `json:"suite"`
	BudgetMS    int64         `json:"budget_ms"`
	Common      *check.Common `json:"common_cause,omitempty"`
	Unreachable string        `json:"unreachable,omitempty"`
	Interrupted bool          `json:"interrupted,omitempty"`
}

// NewCheckSummaryRecord returns the JSON form of a run's tally.
func NewCheckSummaryRecord(run CheckRun, rep check.Report) CheckSummaryRecord {
	failed, skipped := failedNames(rep.Results), skippedNames(rep.Results)
	if failed == nil {
		failed = []string{}
	}
	s := CheckSummaryRecord{Type: "summary", URL: run.URL, Pass: rep.Passed(), Total: len(rep.Results), Passed: len(rep.Results) - len(failed) - len(skipped),
		Failed: len(failed), Skipped: len(skipped), Failures: failed, Suite: run.Suite, BudgetMS: run.Budget.Milliseconds(),
		Common: rep.Common, Interrupted: rep.Interrupted}
	if rep.Unreachable != nil {
		s.Unreachable = rep.Unreachable.Error()
	}
	return s
}

// CheckJSON writes the whole run as JSON Lines: the diagnosis (when probes
// ran), one object per case, then the summary.
func CheckJSON(io *IO, run CheckRun, rep check.Report) error {
	if rep.Diagnosis != nil {
		if err := io.JSON(NewCheckDiagnosisRecord(*rep.Diagnosis)); err != nil {
			return err
		}
	}
	for _, r := range rep.Results {
		if err := io.JSON(NewCheckRecord(r)); err != nil {
			return err
		}
	}
	return io.JSON(NewCheckSummaryRecord(run, rep))
}
