package signature

import (
	"bytes"
	"testing"
)

// benchBody is about the size of a reservation.created delivery.
var benchBody = bytes.Repeat([]byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2M3N","a":"b"}`), 60)

const benchSecret = "c2VjcmV0QGV4YW1wbGUuY29t"

func BenchmarkSign(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		_ = Sign(benchBody, benchSecret)
	}
}

func BenchmarkVerify(b *testing.B) {
	sig := Sign(benchBody, benchSecret)
	b.ReportAllocs()
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		if err := Verify(benchBody, sig, benchSecret); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKeySign(b *testing.B) {
	k := NewKey(benchSecret)
	b.ReportAllocs()
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		_ = k.Sign(benchBody)
	}
}

func BenchmarkKeyVerify(b *testing.B) {
	k := NewKey(benchSecret)
	sig := k.Sign(benchBody)
	b.ReportAllocs()
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		if err := k.Verify(benchBody, sig); err != nil {
			b.Fatal(err)
		}
	}
}
