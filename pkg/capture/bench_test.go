package capture

import (
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
)

// BenchmarkAppendRecord encodes the record `listen --save` writes for one
// signed reservation.created delivery: a JSON body (every quote escaped)
// and the headers a real delivery carries. It is appendRecord's hot path,
// measured on its own, apart from the write(2) BenchmarkServeHTTPSave adds.
func BenchmarkAppendRecord(b *testing.B) {
	body := fixturetest.Envelope(b, "reservation.created", "01KB2Y5X0Q3W7F8G9H0J1K2M3N")
	rec := Record{
		ReceivedAt: time.Date(2026, 5, 8, 9, 35, 24, 123456789, time.UTC),
		Method:     "POST",
		Path:       "/webhooks/hospitable",
		RemoteAddr: "127.0.0.1:40000",
		Headers: map[string][]string{
			"Content-Type":   {"application/json"},
			"Content-Length": {"2048"},
			"Signature":      {"cc99bf5947391ddb0d0d9866f5b9d3a68e8b273c5ac8f699b4ae2399a7433118"},
			"User-Agent":     {"Hospitable-Webhooks/1.0"},
			"Accept":         {"*/*"},
		},
		Verified: true,
		Action:   "reservation.created",
		ID:       "01KB2Y5X0Q3W7F8G9H0J1K2M3N",
		Status:   200,
	}
	rec.SetBody(body)
	buf := make([]byte, 0, 8<<10)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var ok bool
		if buf, ok = appendRecord(buf[:0], &rec); !ok {
			b.Fatal("appendRecord refused the record")
		}
	}
}
