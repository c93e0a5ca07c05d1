package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/check"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
)

// JUnit XML, the shape CI systems (Jenkins, GitLab, GitHub test reporters) read.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Failure    *junitFailure   `xml:"failure"`
	Skipped    *junitSkipped   `xml:"skipped"`
	SystemOut  string          `xml:"system-out"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// CheckJUnit writes the whole run as a JUnit XML report. It is complete
// whatever happened: an unreachable endpoint is one failed case, cases
// that did not run are skipped ones.
func CheckJUnit(w io.Writer, run CheckRun, rep check.Report) error {
	var total time.Duration
	results := reportResults(rep)
	suite := junitSuite{
		Name:  "hospitable-hook check " + run.URL,
		Tests: len(results),
		Properties: []junitProperty{
			{Name: "url", Value: run.URL},
			{Name: "budget", Value: deliver.FormatDuration(run.Budget)},
		},
	}
	if rep.Interrupted {
		suite.Properties = append(suite.Properties, junitProperty{Name: "interrupted", Value: "true"})
	}
	for _, r := range results {
		total += r.Latency
		c := junitCase{Name: r.Name, Classname: "hospitable-hook.check", Time: seconds(r.Latency),
			SystemOut: detailText(r.Title, checkDetail(r))}
		if r.Status != 0 {
			c.Properties = []junitProperty{{Name: "status", Value: fmt.Sprint(r.Status)}}
		}
		switch {
		case r.Skipped:
			suite.Skipped++
			c.Skipped = &junitSkipped{Message: r.Why}
		case !r.Pass:
			suite.Failures++
			msg := r.Why
			if r.Status != 0 {
				msg = fmt.Sprintf("status %d: %s", r.Status, r.Why)
			}
			c.Failure = &junitFailure{Message: msg, Type: "nonconformance", Text: detailText(r.Title, checkDetail(r))}
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Time = seconds(total)
	doc := junitSuites{Name: "hospitable-hook check", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped, Time: suite.Time, Suites: []junitSuite{suite}}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", SafeXML(b))
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
