package listener

import (
	"net/http"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func TestEventExplain(t *testing.T) {
	body := fixturetest.Envelope(t, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	sig := signature.Sign(body, secret)
	withNewline := append(append([]byte{}, body...), '\n')
	tests := []struct {
		name string
		ev   Event
		code string
	}{
		{"a trailing newline is named", Event{Checked: true, Body: withNewline, Header: http.Header{"Signature": {sig}}}, "body-trailing-newline-added"},
		{"an upper-case signature is named", Event{Checked: true, Body: body, Header: http.Header{"Signature": {upper(sig)}}}, "signature-uppercase"},
		{"verified: nothing to explain", Event{Checked: true, Verified: true, Body: body, Header: http.Header{"Signature": {sig}}}, ""},
		{"no header: nothing to explain", Event{Checked: true, Body: body, Header: http.Header{}}, ""},
		{"two headers: nothing to explain", Event{Checked: true, Body: body, Header: http.Header{"Signature": {sig, sig}}}, ""},
		{"another secret: nothing explains it", Event{Checked: true, Body: body, Header: http.Header{"Signature": {signature.Sign(body, "other")}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := tt.ev.Explain(secret)
			if ok != (tt.code != "") || ok && f.Suspects[0].Code != tt.code {
				t.Errorf("Explain() = %+v, %v; want %q", f.Suspects, ok, tt.code)
			}
		})
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
