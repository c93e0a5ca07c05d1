package event

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
)

// BenchmarkBuild is the cost of one delivery of send's load mode: a fresh
// ULID, the envelope, PHP-style encoding and the signature.
func BenchmarkBuild(b *testing.B) {
	spec, err := FromFixture(fixture.New(fixtures.FS), "reservation.created")
	if err != nil {
		b.Fatal(err)
	}
	builder := NewBuilder(time.Now, rand.Reader, "c2VjcmV0QGV4YW1wbGUuY29t")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := builder.Build(spec); err != nil {
			b.Fatal(err)
		}
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
	tpl, err := NewBuilder(time.Now, rand.Reader, "c2VjcmV0QGV4YW1wbGUuY29t").Template(spec)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Build(); err != nil {
			b.Fatal(err)
		}
	}
}
