// Package event builds webhook deliveries the way Hospitable sends them: the
// envelope {"id","action","data","created","version"} around a payload, a
// fresh ULID and creation time for every delivery, overrides applied in
// order without disturbing key order, the body encoded in a chosen style,
// and the signature over exactly those bytes.
//
// A Delivery is what every sending command (send, simulate, check, replay,
// demo) hands to pkg/deliver. Building and signing are separate steps:
// Builder.Build makes the unsigned bytes from a Spec (FromBody takes bytes
// that must be sent untouched), and Signed signs them once, with a
// signature.Key made once for the secret.
package event

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

// ContentType is the Content-Type of every delivery.
const ContentType = "application/json"

// Delivery is one request body, ready to post once Signed. Every attempt of
// a delivery posts the same Delivery, so the same bytes and the same id.
type Delivery struct {
	// Action is the envelope's action ("" when the body has none).
	Action string
	// ID is the envelope's id ("" when the body has none).
	ID string
	// Body is the exact bytes to post: compact JSON, no trailing newline.
	Body []byte
	// Signature is the lowercase hex HMAC-SHA256 of Body; "" until Signed.
	Signature string
	// Header holds the headers Hospitable sends: Content-Type and
	// Signature; nil until Signed.
	Header http.Header
}

// Wrap is FromBody(body) signed with secret: for a delivery signed with a
// one-off secret (a forgery, a test).
func Wrap(body []byte, secret string) Delivery {
	return FromBody(body).Signed(signature.NewKey(secret))
}

// FromBody makes the unsigned delivery of body as it is, with no envelope
// and no re-encoding, for `send --body` and for replays. Action and ID are
// read from the body when it is a JSON object that has them, for display
// only.
func FromBody(body []byte) Delivery {
	d := Delivery{Body: body}
	if gjson.ValidBytes(body) {
		root := gjson.ParseBytes(body)
		if root.IsObject() {
			if a := root.Get("action"); a.Type == gjson.String {
				d.Action = a.String()
			}
			if id := root.Get("id"); id.Type == gjson.String {
				d.ID = id.String()
			}
		}
	}
	return d
}

// Signed returns d signed with k: its Signature, and the headers Hospitable
// sends. Make k once per secret (signature.NewKey) and sign every delivery
// with it: its pooled HMAC saves keying one for each.
func (d Delivery) Signed(k *signature.Key) Delivery {
	d.Signature = k.Sign(d.Body)
	d.Header = http.Header{
		"Content-Type":   {ContentType},
		signature.Header: {d.Signature},
	}
	return d
}

// Encoding names a body encoding that a user can choose.
type Encoding string

// The encodings send offers.
const (
	// PHP is PHP's json_encode with default flags: compact, "/" written as
	// "\/", non-ASCII written as \uXXXX. It is what Hospitable most likely
	// sends, so it is the default.
	PHP Encoding = "php"
	// Compact is plain compact JSON with raw UTF-8 and unescaped "/".
	Compact Encoding = "compact"
)

// Encodings lists the encoding names, the default first.
func Encodings() []string { return []string{string(PHP), string(Compact)} }

// ParseEncoding reads an encoding name; "" is the default, PHP.
func ParseEncoding(s string) (Encoding, error) {
	if s == "" {
		return PHP, nil
	}
	if !slices.Contains(Encodings(), s) {
		return "", fmt.Errorf("unknown encoding %q: use php (like PHP's json_encode, the default) or compact (raw UTF-8, unescaped /)", s)
	}
	return Encoding(s), nil
}

// Style returns the jsonstyle the encoding stands for.
func (e Encoding) Style() jsonstyle.Style {
	if e == Compact {
		return jsonstyle.Compact
	}
	return jsonstyle.PHP
}
