package cmd

import (
	"strings"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener/listenertest"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func TestListenForwardTimeoutFlag(t *testing.T) {
	for _, args := range [][]string{
		{"--forward-timeout", "5s"},
		{"--forward-to", "http://127.0.0.1:1", "--forward-timeout", "0s"},
	} {
		r := runCLI(t, nil, "", append([]string{"listen"}, args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "--forward-timeout") {
			t.Errorf("listen %v = %d %q, want exit 2 naming --forward-timeout", args, r.code, r.stderr)
		}
	}
}

// TestListenWarnsWhenNothingAnswersAtTheForwardURL starts listen in front
// of a stopped app: it warns at start-up, and the delivery's row says the
// 502 was the listener's, with send's wording of the failure.
func TestListenWarnsWhenNothingAnswersAtTheForwardURL(t *testing.T) {
	addr := listenertest.ClosedAddr(t)
	r := startListen(t, true, "--forward-to", "http://"+addr+"/webhooks", "--forward-timeout", "3s")
	warning := "nothing answers at http://" + addr + "/webhooks (connection refused on " + addr + ")"
	// The probe runs just after the ready line.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(r.stderr.String(), warning); {
		if time.Now().After(deadline) {
			t.Fatalf("no start-up warning about the stopped app:\n%s", r.stderr)
		}
		time.Sleep(5 * time.Millisecond) // polling output, not synchronising
	}
	if !strings.Contains(r.stderr.String(), "forwarding to http://"+addr+"/webhooks (timeout 3s)") {
		t.Errorf("the ready line does not give the forward timeout:\n%s", r.stderr)
	}
	body := deliveryBody("01KB6DGNF0E0G2JW0F2RHT0C6B")
	if code := postSigned(t, r.url+"/webhooks/hospitable", body, signature.Sign(body, devSecret)); code != 502 {
		t.Errorf("status %d, want 502", code)
	}
	r.cancel()
	r.wait(t)
	out := r.stdout.String()
	if !strings.Contains(out, "from the listener: your app gave no answer") || strings.Contains(out, "from your app") || strings.Contains(out, "dial tcp") {
		t.Errorf("the row takes the listener's 502 for the app's, or words the error as Go does:\n%s", out)
	}
}
