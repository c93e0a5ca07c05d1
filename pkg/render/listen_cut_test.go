package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

// An event from the display queue may hold only the start of a large
// body (Event.Cut); rows still give the size that arrived.
func TestListenEventOfACutBody(t *testing.T) {
	whole := bytes.Repeat([]byte("A"), 5<<20)
	for _, tt := range []struct {
		name    string
		verbose bool
		want    string
	}{
		{"row", false, "(not JSON, 5242880 bytes)"},
		{"verbose", true, "… 5177344 more bytes not shown"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ev := listenEvent(whole[:64<<10], func(e *listener.Event) {
				e.Cut = len(whole) - 64<<10
				e.Delivery.JSON = false
				e.Delivery.Warnings = nil
			})
			var out bytes.Buffer
			ListenEvent(&out, newStyles(false), ev, ListenOptions{Verbose: tt.verbose})
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("ListenEvent(cut body) =\n%.400s\nwant %q", out.String(), tt.want)
			}
		})
	}
}
