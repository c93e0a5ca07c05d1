package inspector

import (
	"fmt"
	"sync"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/listener"
)

func seqs(entries []Entry) []uint64 {
	var out []uint64
	for _, e := range entries {
		out = append(out, e.Seq)
	}
	return out
}

func ev(body string) listener.Event {
	return listener.Event{Kind: listener.KindDelivery, Body: []byte(body)}
}

func TestRingKeepsTheLastN(t *testing.T) {
	r := NewRing(3, 0)
	for i := range 5 {
		r.Add(ev(fmt.Sprint(i)))
	}
	if got := fmt.Sprint(seqs(r.Snapshot(0))); got != "[3 4 5]" {
		t.Errorf("Snapshot(0) = %s, want [3 4 5]", got)
	}
	if got := fmt.Sprint(seqs(r.Snapshot(4))); got != "[5]" {
		t.Errorf("Snapshot(4) = %s, want [5]", got)
	}
	if _, ok := r.Get(2); ok {
		t.Error("Get(2) found an entry pushed out")
	}
	if e, ok := r.Get(4); !ok || string(e.Event.Body) != "3" {
		t.Errorf("Get(4) = %q, %v; want body 3", e.Event.Body, ok)
	}
	c := r.Counts()
	if c.Kept != 3 || c.Evicted != 2 || c.Newest != 5 || c.Bytes != 3 {
		t.Errorf("Counts = %+v, want 3 kept, 2 evicted, newest 5, 3 bytes", c)
	}
	r.Clear()
	if got := r.Snapshot(0); len(got) != 0 {
		t.Errorf("after Clear, Snapshot = %v", seqs(got))
	}
	if _, ok := r.Get(5); ok {
		t.Error("Get(5) found a cleared entry")
	}
	r.Add(ev("x"))
	if got := fmt.Sprint(seqs(r.Snapshot(0))); got != "[6]" {
		t.Errorf("after Clear and Add, Snapshot = %s, want [6]: numbers go on", got)
	}
}

func TestRingBoundsBodyBytes(t *testing.T) {
	r := NewRing(100, 10)
	for range 5 {
		r.Add(ev("abcd"))
	}
	if got := fmt.Sprint(seqs(r.Snapshot(0))); got != "[4 5]" {
		t.Errorf("with 10 bytes for 4-byte bodies, Snapshot = %s, want [4 5]", got)
	}
	// One body over the bound alone is still kept: the newest always is.
	r.Add(ev("0123456789abcdef"))
	if got := fmt.Sprint(seqs(r.Snapshot(0))); got != "[6]" {
		t.Errorf("after a 16-byte body, Snapshot = %s, want [6]", got)
	}
	if c := r.Counts(); c.Bytes != 16 {
		t.Errorf("Bytes = %d, want 16", c.Bytes)
	}
}

func TestRingConcurrentAdds(t *testing.T) {
	r := NewRing(50, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				r.Add(ev(fmt.Sprint(g, i)))
			}
		})
	}
	wg.Go(func() {
		for range 200 {
			r.Snapshot(0)
			r.Counts()
		}
	})
	wg.Wait()
	got := r.Snapshot(0)
	if len(got) != 50 || got[len(got)-1].Seq != 1600 {
		t.Fatalf("after 1600 adds, %d entries, newest %d; want 50, newest 1600", len(got), got[len(got)-1].Seq)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Seq != got[i-1].Seq+1 {
			t.Fatalf("sequence has a gap: %v", seqs(got))
		}
	}
}
