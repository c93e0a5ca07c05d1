package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// gatedCapture yields one capture line, then waits for the gate before
// yielding the next: a replay that read the whole capture before sending
// would never open the gate.
type gatedCapture struct {
	lines [][]byte
	gate  <-chan struct{}
	next  int
	rest  []byte
}

func (g *gatedCapture) Read(p []byte) (int, error) {
	if len(g.rest) == 0 {
		if g.next == len(g.lines) {
			return 0, io.EOF
		}
		if g.next > 0 {
			select {
			case <-g.gate:
			case <-time.After(10 * time.Second):
				return 0, errors.New("the first delivery was not sent before the rest of the capture was read")
			}
		}
		g.rest = g.lines[g.next]
		g.next++
	}
	n := copy(p, g.rest)
	g.rest = g.rest[n:]
	return n, nil
}

// replay sends each delivery as it reads it, so a capture of any size
// costs one record's memory: the second record is only read once the
// first delivery has arrived.
func TestReplayStreamsTheCapture(t *testing.T) {
	arrived := make(chan struct{}, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		arrived <- struct{}{}
	}))
	defer srv.Close()
	var lines [][]byte
	for i := range 2 {
		body := fmt.Appendf(nil, `{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3%d","action":"reservation.created","data":{}}`, i)
		rec := capture.Record{Method: http.MethodPost, Path: "/", Headers: map[string][]string{signature.Header: {signature.Sign(body, devSecret)}}, Status: 200, Verified: true}
		rec.SetBody(body)
		line, err := capture.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	d, _, out, errOut := testDeps(t, nil)
	d.Open = func(context.Context, string) (io.ReadCloser, error) {
		return io.NopCloser(&gatedCapture{lines: lines, gate: arrived}), nil
	}
	code := Execute(context.Background(), d, "replay", "capture.jsonl", "--to", srv.URL)
	if code != 0 {
		t.Errorf("replay = %d\n%s%s", code, out, errOut)
	}
}
