package event

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
)

// Template is a Spec prepared for many deliveries, as `send --count`
// makes: the action, data, version and triggers are encoded once, and each
// Build only adds a fresh id and created (the caller signs). Build's bytes are
// exactly Builder.Build's for the same Spec, clock and entropy (the
// encoding is token by token, so encoding the pieces and joining them is
// encoding the whole). A Spec with overrides, which may touch any field,
// is built in full every time. It is safe for concurrent use.
type Template struct {
	b    *Builder
	spec Spec
	// id and created are the encoded fixed values, "" for fresh ones.
	id, created string
	// head runs from after the id to the created value; tail from after
	// created to the end. Both are encoded; nil means no fast path.
	head, tail []byte
}

// Template prepares s for many deliveries. It fails as Build would.
func (b *Builder) Template(s Spec) (*Template, error) {
	// Build one in full: the same checks and errors as Build.
	if _, err := b.Body(s); err != nil {
		return nil, err
	}
	t := &Template{b: b, spec: s}
	if len(s.Overrides) > 0 {
		return t, nil
	}
	style := s.Encoding.Style()
	enc := func(v any) []byte {
		raw, err := json.Marshal(v)
		if err != nil {
			panic(err) // strings and string slices always marshal
		}
		out, err := jsonstyle.Encode(raw, style)
		if err != nil {
			panic(err)
		}
		return out
	}
	data, err := jsonstyle.Encode(s.Data, style)
	if err != nil {
		return nil, fmt.Errorf("data is not JSON: %w", err)
	}
	version := s.Version
	if version == "" {
		version = DefaultVersion
	}
	if s.ID != "" {
		t.id = string(enc(s.ID))
	}
	if s.Created != "" {
		t.created = string(enc(s.Created))
	}
	t.head = slices.Concat([]byte(`,"action":`), enc(s.Action), []byte(`,"data":`), data, []byte(`,"created":`))
	t.tail = slices.Concat([]byte(`,"version":`), enc(version))
	if s.Triggers != nil {
		t.tail = slices.Concat(t.tail, []byte(`,"triggers":`), enc(s.Triggers))
	}
	t.tail = append(t.tail, '}')
	return t, nil
}

// Build makes one delivery with a fresh id and created (unless the Spec
// fixes them), unsigned.
func (t *Template) Build() (Delivery, error) {
	if t.head == nil {
		return t.b.Build(t.spec)
	}
	id, idJSON := t.spec.ID, t.id
	var now time.Time
	if idJSON == "" {
		var err error
		if now, id, err = t.b.stamp(); err != nil {
			return Delivery{}, err
		}
	} else {
		now = t.b.now()
	}
	body := make([]byte, 0, len(`{"id":`)+len(t.head)+len(t.tail)+64)
	body = append(body, `{"id":`...)
	if idJSON != "" {
		body = append(body, idJSON...)
	} else {
		// A ULID is Crockford base32: nothing to escape in any style.
		body = append(append(append(body, '"'), id...), '"')
	}
	body = append(body, t.head...)
	if t.created != "" {
		body = append(body, t.created...)
	} else {
		// Digits, '-', ':', 'T' and 'Z': nothing to escape either.
		body = append(now.UTC().AppendFormat(append(body, '"'), CreatedLayout), '"')
	}
	body = append(body, t.tail...)
	return Delivery{Action: t.spec.Action, ID: id, Body: body}, nil
}
