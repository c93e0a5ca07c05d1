package event

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// TestTemplateMatchesBuild builds every fixture through a Template and
// through Build with the same clock and entropy: the bytes must be equal.
func TestTemplateMatchesBuild(t *testing.T) {
	set := fixture.New(fixtures.FS)
	set2, err := ParseSet(`data.note=Zoë/"x"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range fixture.Actions() {
		spec, err := FromFixture(set, action)
		if err != nil {
			t.Fatal(err)
		}
		variants := map[string]Spec{"php": spec}
		compact := spec
		compact.Encoding = Compact
		variants["compact"] = compact
		fixed := spec
		fixed.ID, fixed.Created, fixed.Version, fixed.Action = "é/id", "2026-11-28T09:35:24+01:00", "v2", action+"/é"
		variants["fixed id, created, version"] = fixed
		over := spec
		over.Overrides = []Override{set2}
		variants["overrides"] = over
		for name, s := range variants {
			t.Run(action+"/"+name, func(t *testing.T) {
				viaTemplate, viaBuild := newTestBuilder(), newTestBuilder()
				tpl, err := viaTemplate.Template(s)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := viaBuild.Body(s); err != nil { // Template checked with one Body
					t.Fatal(err)
				}
				for range 3 {
					got, err := tpl.Build()
					if err != nil {
						t.Fatal(err)
					}
					want, _ := viaBuild.Build(s)
					if !bytes.Equal(got.Body, want.Body) || got.ID != want.ID || got.Action != want.Action || got.Signature != want.Signature {
						t.Fatalf("Template.Build() =\n%s (%s %s %s)\nBuild() =\n%s (%s %s %s)", got.Body, got.ID, got.Action, got.Signature, want.Body, want.ID, want.Action, want.Signature)
					}
				}
			})
		}
	}
}

func TestTemplateFreshIDsConcurrently(t *testing.T) {
	spec, _ := FromFixture(fixture.New(fixtures.FS), "message.created")
	b := NewBuilder(time.Now, rand.NewChaCha8([32]byte{7}))
	tpl, err := b.Template(spec)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	ids := map[string]bool{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				d, err := tpl.Build()
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ids[d.ID] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(ids) != 400 {
		t.Errorf("%d distinct ids from 400 deliveries", len(ids))
	}
}

func TestTemplateRejectsWhatBuildRejects(t *testing.T) {
	if _, err := newTestBuilder().Template(Spec{Action: "a.b", Data: []byte(`{`)}); err == nil {
		t.Error("Template(bad data) = nil error")
	}
}
