package anonymize

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// A phone number in text: international (+…), or digits broken up by
	// spaces or parentheses; never a date (2026-05-08) or a time.
	phoneRe = regexp.MustCompile(`\+[0-9][0-9 ().\-]{6,}[0-9]|\(?[0-9]{2,4}\)?[ .][0-9]{2,4}[ .\-][0-9]{3,4}`)
	digitRe = regexp.MustCompile(`[0-9]{3,}`)
)

// scrub replaces, inside free text, every original faked in the first
// pass (whole words only, longest first), every email and every phone-like
// number; codes (runs of 3 or more digits) too when scanCodes is set.
func (a *anonymizer) scrub(v string, scanCodes bool) string {
	if a.known == nil {
		a.known = a.knownPattern()
	}
	if a.known != nil {
		v = replaceWords(v, a.known, a.fakes)
	}
	if !strings.ContainsAny(v, " \n") {
		return v // an id, a code, a URL: not text that could hide a phone number
	}
	v = a.fakeMatches(v, emailRe, func(string) string { return a.newEmail() })
	v = a.fakeMatches(v, phoneRe, a.newDigits)
	if scanCodes {
		v = a.fakeMatches(v, digitRe, a.newDigits)
	}
	return v
}

// fakeMatches replaces every match of re in v by its fake, made with mk the
// first time; a match that is itself a fake stays.
func (a *anonymizer) fakeMatches(v string, re *regexp.Regexp, mk func(m string) string) string {
	return re.ReplaceAllStringFunc(v, func(m string) string {
		if a.made[m] {
			return m
		}
		return a.fake(m, func() string { return mk(m) })
	})
}

// knownPattern matches any original faked so far, longest first; nil
// when there is none. It is built once, after the values whose keys say
// what they are have been faked.
func (a *anonymizer) knownPattern() *regexp.Regexp {
	originals := make([]string, 0, len(a.fakes))
	for o := range a.fakes {
		if len([]rune(o)) >= 2 {
			originals = append(originals, o)
		}
	}
	if len(originals) == 0 {
		return nil
	}
	sort.Slice(originals, func(i, j int) bool {
		if len(originals[i]) != len(originals[j]) {
			return len(originals[i]) > len(originals[j])
		}
		return originals[i] < originals[j]
	})
	for i, o := range originals {
		originals[i] = regexp.QuoteMeta(o)
	}
	return regexp.MustCompile(strings.Join(originals, "|"))
}

// replaceWords replaces the whole-word matches of re in s by their fakes.
func replaceWords(s string, re *regexp.Regexp, fakes map[string]string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		if !wordEdge(s[:m[0]], true) || !wordEdge(s[m[1]:], false) {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(fakes[s[m[0]:m[1]]])
		last = m[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// wordEdge reports whether the text next to a match ends (or starts) a
// word: the match is not part of a longer word.
func wordEdge(s string, before bool) bool {
	if s == "" {
		return true
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(s)
	} else {
		r, _ = utf8.DecodeRuneInString(s)
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}
