package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"sync"
)

// Key is one secret ready to sign and verify many bodies, as a listener
// under load or a sender in load mode does. hmac.New for every body
// allocates two SHA-256 states and the padded keys each time; a Key keeps
// a pool of keyed HMAC states instead and resets one per body (a reset
// HMAC returns to the state just after keying), so Sign costs the hashing
// and one string, and Verify of a well-formed signature allocates
// nothing. It is safe for concurrent use; each body gets a state of its own.
type Key struct {
	pool sync.Pool
}

// NewKey returns a Key for secret, used as its bytes as given.
func NewKey(secret string) *Key {
	k := &Key{}
	k.pool.New = func() any { return &macState{h: hmac.New(sha256.New, []byte(secret))} }
	return k
}

// macState is one pooled HMAC and the buffer its sum is written to (a
// local array would escape through the hash.Hash interface).
type macState struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

// mac returns a pooled state holding the HMAC-SHA256 of body in sum; give
// it back with k.pool.Put.
func (k *Key) mac(body []byte) *macState {
	m := k.pool.Get().(*macState)
	m.h.Reset()
	m.h.Write(body)
	m.h.Sum(m.sum[:0])
	return m
}

// Sign returns the signature of body, as Sign does.
func (k *Key) Sign(body []byte) string {
	m := k.mac(body)
	var text [2 * sha256.Size]byte
	hex.Encode(text[:], m.sum[:])
	k.pool.Put(m)
	return string(text[:])
}

// Verify checks a received signature against body in constant time, with
// the same results as the package's Verify.
func (k *Key) Verify(body []byte, received string) error {
	if !isLowerHex(received) {
		_, err := Parse(received) // the error that says what is wrong
		return err
	}
	var got [sha256.Size]byte
	for i := range got {
		got[i] = unhex(received[2*i])<<4 | unhex(received[2*i+1])
	}
	m := k.mac(body)
	defer k.pool.Put(m)
	if !hmac.Equal(got[:], m.sum[:]) {
		return ErrMismatch
	}
	return nil
}

// unhex decodes one lowercase hex digit, already checked by isLowerHex.
func unhex(c byte) byte {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}
