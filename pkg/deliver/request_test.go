package deliver

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/event"
)

// NewRequest shares header values with the delivery: replacing one on
// the request (a forged Signature via -H) must leave the delivery as it was,
// so the next attempt carries the real signature again.
func TestNewRequestLeavesDeliveryAlone(t *testing.T) {
	d := event.Wrap([]byte(`{"id":"x"}`), "secret")
	sig := d.Signature
	extra := http.Header{"Signature": {"forged"}, "X-Test": {"1"}, "Host": {"example.test"}}
	req, err := NewRequest(context.Background(), "http://127.0.0.1:1/hook", d, extra)
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	req.Header.Add("X-Test", "2")
	if got := req.Header.Get("Signature"); got != "forged" {
		t.Errorf("request Signature = %q, want forged", got)
	}
	if got := req.Header.Values("User-Agent"); !slices.Equal(got, []string{UserAgent}) {
		t.Errorf("request User-Agent = %q, want %q", got, UserAgent)
	}
	if req.Host != "example.test" {
		t.Errorf("request Host = %q, want example.test", req.Host)
	}
	if got := d.Header.Get("Signature"); got != sig {
		t.Errorf("delivery Signature after NewRequest = %q, want %q", got, sig)
	}
	if got := extra.Values("X-Test"); !slices.Equal(got, []string{"1"}) {
		t.Errorf("extra X-Test after Add on the request = %q, want [1]", got)
	}
	if _, ok := d.Header["User-Agent"]; ok {
		t.Errorf("delivery header gained a User-Agent: %v", d.Header)
	}
}

func TestHopByHopIsFresh(t *testing.T) {
	a := HopByHop()
	a[0] = "changed"
	if HopByHop()[0] != "Connection" {
		t.Errorf("HopByHop() shares its slice between calls")
	}
}

func TestCheckRedirect(t *testing.T) {
	req := func(raw string) *http.Request {
		r, err := http.NewRequest(http.MethodPost, raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := req("http://app.test/hook")
	tests := []struct {
		name   string
		n      int
		next   *http.Request
		via    []*http.Request
		follow bool
	}{
		{"none by default", 0, req("http://app.test/hook/"), []*http.Request{first}, false},
		{"same host", 3, req("http://app.test/hook/"), []*http.Request{first}, true},
		{"another host", 3, req("http://elsewhere.test/hook"), []*http.Request{first}, false},
		{"too many", 1, req("http://app.test/hook/"), []*http.Request{first, first}, false},
		{"no history", 3, req("http://app.test/hook/"), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkRedirect(tt.n)(tt.next, tt.via)
			if got := err == nil; got != tt.follow {
				t.Errorf("checkRedirect(%d)(%s, %d via) = %v, want follow %v", tt.n, tt.next.URL, len(tt.via), err, tt.follow)
			}
		})
	}
}
