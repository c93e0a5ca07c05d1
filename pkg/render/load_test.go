package render

import (
	"bytes"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
)

func sampleLoad() deliver.LoadResult {
	lat := &deliver.Latencies{}
	for i := 1; i <= 100; i++ {
		lat.Add(time.Duration(i) * 150 * time.Microsecond)
	}
	return deliver.LoadResult{
		Count: 105, Concurrency: 50, Rate: deliver.Rate{Freq: 500, Per: time.Second}, Sent: 105,
		Elapsed: 1234 * time.Millisecond, Latency: lat,
		Status: map[int]int{200: 97, 500: 2, 204: 1},
		Errors: map[deliver.Kind]int{deliver.KindTimeout: 3, deliver.KindReset: 2},
	}
}

func TestLoadSummary(t *testing.T) {
	var out bytes.Buffer
	LoadSummary(&out, newStyles(false), "http://127.0.0.1:5000/webhooks/hospitable", sampleLoad())
	golden(t, t.Name()+".golden", out.Bytes())
}

func TestLoadSummaryTTY(t *testing.T) {
	var out bytes.Buffer
	LoadSummary(&out, newStyles(true), "http://127.0.0.1:5000/webhooks/hospitable", sampleLoad())
	golden(t, "TestLoadSummary.tty.golden", out.Bytes())
}

func TestNewLoadRecord(t *testing.T) {
	rec := NewLoadRecord("http://x", sampleLoad())
	if rec.OK || rec.Status["200"] != 97 || rec.Errors["timeout"] != 3 || rec.LatencyMS["p50"] != 7.5 || rec.LatencyMS["max"] != 15 || rec.Rate != 500 {
		t.Errorf("NewLoadRecord = %+v", rec)
	}
}
