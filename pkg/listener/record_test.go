package listener_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/inspect"
	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

func TestEventRecord(t *testing.T) {
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	ev := listener.Event{
		ReceivedAt: at, Method: http.MethodPost, Path: "/hook", RemoteAddr: "127.0.0.1:9",
		Header: http.Header{"Signature": {"abc"}}, Verified: false, Reason: "no signature",
		Delivery: inspect.Received{Action: "review.created", ID: "01X"}, Status: 401,
		Body: []byte(`{"id":"01X"}`),
	}
	rec := ev.Record()
	if !rec.ReceivedAt.Equal(at) || rec.Method != "POST" || rec.Path != "/hook" || rec.RemoteAddr != "127.0.0.1:9" ||
		rec.Headers.Get("Signature") != "abc" || rec.Verified || rec.Reason != "no signature" ||
		rec.Action != "review.created" || rec.ID != "01X" || rec.Status != 401 {
		t.Errorf("Record() = %+v, want every field of the event", rec)
	}
	if rec.Body != nil || rec.BodyBase64 != "" {
		t.Errorf("Record() carries a body (%v): the caller chooses how much to keep", rec.Body)
	}
}
