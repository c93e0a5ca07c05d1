package listener

import (
	"bytes"
	"sync"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// memRecorder keeps records in memory.
type memRecorder struct {
	mu   sync.Mutex
	recs []capture.Record
}

func (m *memRecorder) Append(r capture.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = append(m.recs, r)
	return nil
}

// TestRefusedBodiesAreCappedInTheCapture checks that a forged delivery's
// body is kept only up to MaxRefusedBody, and says so, while a valid one
// (or a forged one accepted) is kept whole.
func TestRefusedBodiesAreCappedInTheCapture(t *testing.T) {
	big := append([]byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"reservation.created","data":{"note":"`),
		bytes.Repeat([]byte("x"), 3*MaxRefusedBody)...)
	big = append(big, `"}}`...)
	tests := []struct {
		name     string
		noVerify bool
		sig      string
		status   int
		kept     int
	}{
		{"forged, refused", false, "", 401, MaxRefusedBody},
		{"valid", false, signature.Sign(big, secret), 200, len(big)},
		{"forged, accepted with --no-verify", true, "", 200, len(big)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &memRecorder{}
			_, srv := newServer(t, Config{Recorder: rec, NoVerify: tt.noVerify})
			if resp, _ := post(t, srv.URL, big, tt.sig); resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			r := rec.recs[0]
			body, _ := r.BodyBytes()
			if len(body) != tt.kept || !bytes.Equal(body, big[:tt.kept]) {
				t.Errorf("kept %d bytes, want the first %d", len(body), tt.kept)
			}
			cut := tt.kept < len(big)
			if r.BodyTruncated != cut || cut && r.BodySize != int64(len(big)) {
				t.Errorf("body_truncated %v, body_size %d; want %v, %d", r.BodyTruncated, r.BodySize, cut, len(big))
			}
		})
	}
}
