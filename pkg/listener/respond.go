package listener

import (
	"fmt"
	"strconv"
	"strings"
)

// Step is one scripted answer: a status code, or no answer at all.
type Step struct {
	// Status is the code to answer; 0 with Timeout.
	Status int
	// Timeout means never answer within the sender's timeout: hold the
	// request until the sender gives up (or a cap), then drop it.
	Timeout bool
}

// String renders the step as it is written in a script.
func (s Step) String() string {
	if s.Timeout {
		return "timeout"
	}
	return strconv.Itoa(s.Status)
}

// Script is the answers for the attempts of one delivery id: the n-th
// attempt gets the n-th step, and the last step repeats.
type Script []Step

// maxSteps bounds a script; Hospitable makes six attempts, so more is a typo.
const maxSteps = 100

// ParseScript reads a script such as "500,500,timeout,200".
func ParseScript(s string) (Script, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("empty script: list answers like 500,500,timeout,200")
	}
	parts := strings.Split(s, ",")
	if len(parts) > maxSteps {
		return nil, fmt.Errorf("%d answers: at most %d (Hospitable makes 6 attempts)", len(parts), maxSteps)
	}
	script := make(Script, 0, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if strings.EqualFold(p, "timeout") {
			script = append(script, Step{Timeout: true})
			continue
		}
		code, err := strconv.Atoi(p)
		if err == nil && code >= 100 && code <= 199 {
			// A 1xx is an interim answer: net/http sends it and then its
			// own 200 OK when the handler returns, so the sender would see
			// a success while the row and the record said 1xx.
			return nil, fmt.Errorf("answer %d is %d: a 1xx status is an interim answer, always followed by a final one, so it cannot be scripted; use a final status from 200 to 599 or `timeout`", i+1, code)
		}
		if err != nil || code < 200 || code > 599 {
			return nil, fmt.Errorf("answer %d is %q: use an HTTP status from 200 to 599 or `timeout`", i+1, clip(p, 20))
		}
		script = append(script, Step{Status: code})
	}
	return script, nil
}

// At returns the step for attempt n (counting from 1).
func (s Script) At(n int) Step {
	if len(s) == 0 {
		return Step{Status: 200}
	}
	return s[min(max(n, 1), len(s))-1]
}

// String renders the script as it is written.
func (s Script) String() string {
	parts := make([]string, len(s))
	for i, st := range s {
		parts[i] = st.String()
	}
	return strings.Join(parts, ",")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
