package inspect

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestDetachKeepsWhatARowShows(t *testing.T) {
	body := []byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","action":"reservation.created","created":"2026-11-28T09:35:24+01:00","version":"1.0","triggers":["a"],"data":{"code":"HM123","platform":"airbnb","guest":{"first_name":"José"},"pad":"` + strings.Repeat("x", 1<<20) + `"}}`)
	d := Parse(body)
	got := d.Detach()
	if got.ID != d.ID || got.Action != d.Action || got.Created != d.Created || !reflect.DeepEqual(got.Triggers, d.Triggers) ||
		!reflect.DeepEqual(got.Warnings, d.Warnings) || !reflect.DeepEqual(got.Digest(), d.Digest()) || got.DataKind != d.DataKind {
		t.Errorf("Detach() = %+v\nwant the fields and digest of %+v", got, d)
	}
	if len(got.Digest()) == 0 {
		t.Error("no digest to compare")
	}
	// Kept alone, a detached delivery of a 1 MB body costs its facts only.
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.HeapAlloc
	kept := make([]Received, 20)
	for i := range kept {
		kept[i] = Parse(body).Detach()
	}
	runtime.GC()
	runtime.ReadMemStats(&m)
	if grew := int64(m.HeapAlloc) - int64(before); grew > 4<<20 {
		t.Errorf("20 detached deliveries of 1 MB bodies hold %d MB, want under 4 MB", grew>>20)
	}
	runtime.KeepAlive(kept)
}
