// Package capture reads and writes capture files: JSON Lines, one received
// request a line, holding the exact body bytes, so that a delivery can be
// verified offline or replayed byte for byte.
package capture

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"
)

// Record is one captured request, one line of a capture file.
type Record struct {
	// ReceivedAt is when the request arrived (RFC 3339 with nanoseconds).
	ReceivedAt time.Time `json:"received_at"`
	// Method is the HTTP method.
	Method string `json:"method"`
	// Path is the request path with its query.
	Path string `json:"path"`
	// RemoteAddr is the sender's address as the listener judged it.
	RemoteAddr string `json:"remote_addr"`
	// Headers are the request headers as received.
	Headers http.Header `json:"headers"`
	// Body is the exact body when it is valid UTF-8.
	Body *string `json:"body,omitempty"`
	// BodyBase64 is the exact body, base64, when it is not valid UTF-8.
	BodyBase64 string `json:"body_base64,omitempty"`
	// BodyTruncated says that body (or body_base64) holds only the start
	// of the body: the listener keeps a bounded part of deliveries it
	// refused (see SetBodyUpTo).
	BodyTruncated bool `json:"body_truncated,omitempty"`
	// BodySize is the length in bytes of the whole body, when truncated.
	BodySize int64 `json:"body_size,omitempty"`
	// Verified says whether the signature matched.
	Verified bool `json:"verified"`
	// Reason says why the signature did not match.
	Reason string `json:"reason,omitempty"`
	// Action is the envelope's action, when the body has one.
	Action string `json:"action,omitempty"`
	// ID is the envelope's id, when the body has one.
	ID string `json:"id,omitempty"`
	// Status is the status the listener answered.
	Status int `json:"status"`
}

// SetBody stores body exactly: as text when it is valid UTF-8, else base64.
func (r *Record) SetBody(body []byte) {
	if utf8.Valid(body) {
		s := string(body)
		r.Body, r.BodyBase64 = &s, ""
		return
	}
	r.Body, r.BodyBase64 = nil, base64.StdEncoding.EncodeToString(body)
}

// SetBodyUpTo stores at most limit bytes of body, cut at a character
// boundary when it is text, and marks the record truncated when it cut.
func (r *Record) SetBodyUpTo(body []byte, limit int) {
	if limit < 0 || len(body) <= limit {
		r.SetBody(body)
		r.BodyTruncated, r.BodySize = false, 0
		return
	}
	cut := limit
	if utf8.Valid(body) {
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
	}
	r.SetBody(body[:cut])
	r.BodyTruncated, r.BodySize = true, int64(len(body))
}

// BodyBytes returns the exact body bytes (only their start when
// BodyTruncated).
func (r *Record) BodyBytes() ([]byte, error) {
	if r.Body != nil {
		return []byte(*r.Body), nil
	}
	if r.BodyBase64 == "" {
		return []byte{}, nil
	}
	b, err := base64.StdEncoding.DecodeString(r.BodyBase64)
	if err != nil {
		return nil, fmt.Errorf("body_base64: %w", err)
	}
	return b, nil
}
