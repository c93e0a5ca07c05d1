package render

import (
	"errors"
	"testing"
)

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errors.New("disk full")
}

func TestJSONLines(t *testing.T) {
	s, _, out, _ := Test()
	if err := JSONLines(s, []int{1, 2}, func(n int) map[string]int { return map[string]int{"n": n} }); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "{\"n\":1}\n{\"n\":2}\n"; got != want {
		t.Errorf("JSONLines() wrote %q, want %q", got, want)
	}
	w := &failWriter{}
	s.Out = w
	if err := JSONLines(s, []int{1, 2}, func(n int) int { return n }); err == nil || w.n != 1 {
		t.Errorf("JSONLines() to a failing writer = %v after %d writes, want the error after 1", err, w.n)
	}
}
