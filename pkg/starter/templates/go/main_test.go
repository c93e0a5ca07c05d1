package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const testSecret = "dXNlckBleGFtcGxlLmNvbQ==" // base64 of user@example.com

func sign(body string) string {
	mac := hmac.New(sha256.New, []byte(testSecret))
	mac.Write([]byte(body))
	return hex.EncodeToString(mac.Sum(nil))
}

// Escaped slashes and \u escapes, as Hospitable's PHP sender writes them:
// re-encoding this body would change its bytes.
const body = `{"id":"01JTESTTESTTESTTESTTESTTES","action":"reservation.created","data":{"url":"https:\/\/example.com","guest":"Jos\u00e9"},"created":"2025-01-01T00:00:00Z","version":"1.0"}`

func TestVerify(t *testing.T) {
	good := sign(body)
	tests := []struct {
		name   string
		values []string
		body   string
		want   error
	}{
		{"valid", []string{good}, body, nil},
		{"missing", nil, body, errMissing},
		{"empty", []string{""}, body, errMalformed},
		{"short", []string{good[:10]}, body, errMalformed},
		{"upper-case hex", []string{strings.ToUpper(good)}, body, errMalformed},
		{"sha256= prefix", []string{"sha256=" + good}, body, errMalformed},
		{"two headers", []string{good, good}, body, errMalformed},
		{"tampered body", []string{good}, strings.Replace(body, "Jos", "Joe", 1), errMismatch},
		{"re-encoded body", []string{good}, strings.ReplaceAll(body, `\/`, `/`), errMismatch},
		{"trailing newline", []string{good}, body + "\n", errMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verify(testSecret, []byte(tt.body), tt.values); got != tt.want {
				t.Errorf("verify(%q) = %v, want %v", tt.values, got, tt.want)
			}
		})
	}
}

func TestEndpoint(t *testing.T) {
	rc, err := newReceiver(func(k string) string {
		if k == "HOSPITABLE_WEBHOOK_SECRET" {
			return testSecret
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	post := func(body, sig string) int {
		r := httptest.NewRequest(http.MethodPost, "/webhooks/hospitable", strings.NewReader(body))
		if sig != "" {
			r.Header.Set("Signature", sig)
		}
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, r)
		return w.Code
	}
	unknown := strings.Replace(body, "reservation.created", "something.new", 1)
	unknown = strings.Replace(unknown, "01JTESTTESTTESTTESTTESTTES", "01JTESTTESTTESTTESTTESTTEZ", 1)
	big := `{"id":"x","pad":"` + strings.Repeat("a", maxBody) + `"}`
	tests := []struct {
		name, body, sig string
		want            int
	}{
		{"valid", body, sign(body), http.StatusOK},
		{"retry of the same id", body, sign(body), http.StatusOK},
		{"unknown action", unknown, sign(unknown), http.StatusOK},
		{"no signature", body, "", http.StatusUnauthorized},
		{"wrong secret", body, strings.Repeat("0", 64), http.StatusUnauthorized},
		{"over 5 MiB", big, sign(big), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := post(tt.body, tt.sig); got != tt.want {
				t.Errorf("POST %s = %d, want %d", tt.name, got, tt.want)
			}
		})
	}
	if n := len(rc.jobs); n != 2 {
		t.Errorf("%d jobs queued, want 2 (the retry must not queue the work again)", n)
	}
}

func TestMissingSecret(t *testing.T) {
	if _, err := newReceiver(func(string) string { return "" }); err == nil {
		t.Fatal("newReceiver with no secret: got no error")
	}
}
