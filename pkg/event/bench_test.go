package event

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// BenchmarkBuild is the cost of one delivery of send's load mode: a fresh
// ULID, the envelope, PHP-style encoding and the signature.
func BenchmarkBuild(b *testing.B) {
	spec, err := FromFixture(fixture.New(fixtures.FS), "reservation.created")
	if err != nil {
		b.Fatal(err)
	}
	builder := NewBuilder(time.Now, rand.Reader)
	key := signature.NewKey("c2VjcmV0QGV4YW1wbGUuY29t")
	b.ReportAllocs()
	for b.Loop() {
		d, err := builder.Build(spec)
		if err != nil {
			b.Fatal(err)
		}
		_ = d.Signed(key)
	}
}

// BenchmarkTemplateBuild is the same delivery through a Template, as
// `send --count` builds them: data encoded once, id, created and the
// signature per delivery.
func BenchmarkTemplateBuild(b *testing.B) {
	spec, err := FromFixture(fixture.New(fixtures.FS), "reservation.created")
	if err != nil {
		b.Fatal(err)
	}
	tpl, err := NewBuilder(time.Now, rand.Reader).Template(spec)
	if err != nil {
		b.Fatal(err)
	}
	key := signature.NewKey("c2VjcmV0QGV4YW1wbGUuY29t")
	b.ReportAllocs()
	for b.Loop() {
		d, err := tpl.Build()
		if err != nil {
			b.Fatal(err)
		}
		_ = d.Signed(key)
	}
}
