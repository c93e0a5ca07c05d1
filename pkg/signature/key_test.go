package signature

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestKeyMatchesSignAndVerify(t *testing.T) {
	k := NewKey(benchSecret)
	body := []byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"reservation.created"}`)
	good := Sign(body, benchSecret)
	if got := k.Sign(body); got != good {
		t.Errorf("Key.Sign() = %q, want %q", got, good)
	}
	tests := []struct {
		name, sig string
	}{
		{"valid", good},
		{"missing", ""},
		{"short", "abc"},
		{"upper case", strings.ToUpper(good)},
		{"prefixed", "sha256=" + good},
		{"other secret", Sign(body, "guess")},
		{"not hex", strings.Repeat("z", 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := Verify(body, tt.sig, benchSecret)
			got := k.Verify(body, tt.sig)
			if (got == nil) != (want == nil) || got != nil && (errors.Is(got, ErrMissing) != errors.Is(want, ErrMissing) ||
				errors.Is(got, ErrMalformed) != errors.Is(want, ErrMalformed) || errors.Is(got, ErrMismatch) != errors.Is(want, ErrMismatch)) {
				t.Errorf("Key.Verify(%q) = %v, want %v", tt.sig, got, want)
			}
		})
	}
}

func TestKeyConcurrent(t *testing.T) {
	k := NewKey(benchSecret)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			body := []byte(strings.Repeat("x", i*100))
			sig := Sign(body, benchSecret)
			for range 200 {
				if err := k.Verify(body, sig); err != nil {
					t.Errorf("Verify in goroutine %d: %v", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func FuzzKeyVerify(f *testing.F) {
	f.Add([]byte("{}"), "")
	f.Add([]byte(`{"a":1}`), Sign([]byte(`{"a":1}`), benchSecret))
	k := NewKey(benchSecret)
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		if (k.Verify(body, sig) == nil) != (Verify(body, sig, benchSecret) == nil) {
			t.Fatalf("Key.Verify and Verify disagree on %q", sig)
		}
		if k.Verify(body, k.Sign(body)) != nil {
			t.Fatalf("Verify(Sign(b)) failed")
		}
	})
}
