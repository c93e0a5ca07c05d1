package anonymize

import (
	"strings"
	"testing"
)

// A large body with many distinct personal values stays fast: free text
// is searched for the originals once per string, not once per original.
func BenchmarkBody(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"data":[`)
	for i := 0; i < 2000; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`{"guest":{"first_name":"Name` + strings.Repeat("x", i%7) + `","email":"g` + string(rune('a'+i%26)) + `@mail.com"},"body":"Hello there, this is a message with some words in it"}`)
	}
	sb.WriteString(`]}`)
	in := []byte(sb.String())
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, _, err := Body(in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
