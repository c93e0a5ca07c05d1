package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
)

// DefaultVersion is the envelope version the webhook guide's example shows.
// Hospitable's v2 reference shows "v2"; Spec.Version selects it.
const DefaultVersion = "1.0"

// CreatedLayout is how Hospitable writes `created`: UTC, whole seconds, Z.
const CreatedLayout = "2006-01-02T15:04:05Z"

// Spec describes one delivery to build.
type Spec struct {
	// Action is the envelope's action.
	Action string
	// Data is the JSON of the envelope's `data`: an object or an array.
	Data []byte
	// Triggers, when not nil, adds "triggers" after "version".
	Triggers []string
	// Version is the envelope's version; "" means DefaultVersion.
	Version string
	// ID replaces the fresh ULID when set.
	ID string
	// Created replaces the creation time when set, verbatim.
	Created string
	// Overrides apply in order to the whole envelope, after everything else.
	Overrides []Override
	// Encoding is how the body is written; "" means PHP.
	Encoding Encoding
}

// FromFixture returns the Spec of the fixture called name: a user fixture
// of that name (see fixture.Set.WithUser), else the built-in fixture of that
// action, with its data and triggers. A name that is neither gives a
// *fixture.UnknownActionError.
func FromFixture(set *fixture.Set, name string) (Spec, error) {
	e, err := set.Entry(name)
	if err != nil {
		return Spec{}, err
	}
	return Spec{Action: e.Action, Data: e.Data, Triggers: e.Triggers}, nil
}

// Builder makes unsigned deliveries with a fresh ULID and creation time
// each (sign them with Delivery.Signed). Its
// clock and entropy are injected, so that tests get byte-stable ids; ids
// made in the same millisecond still differ and sort in order. It is safe
// for concurrent use.
type Builder struct {
	now     func() time.Time
	mu      sync.Mutex
	entropy *ulid.MonotonicEntropy
}

// NewBuilder returns a Builder that reads the time from now and draws ULID
// randomness from entropy.
func NewBuilder(now func() time.Time, entropy io.Reader) *Builder {
	return &Builder{now: now, entropy: ulid.Monotonic(entropy, 0)}
}

// NewID returns a fresh ULID for time t.
func (b *Builder) NewID(t time.Time) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	id, err := ulid.New(ulid.Timestamp(t), b.entropy)
	if err != nil {
		return "", fmt.Errorf("make a ULID: %w", err)
	}
	return id.String(), nil
}

// stamp reads the clock and makes a ULID for that time under one lock, so
// that deliveries built concurrently get ids in the order of their times
// (the monotonic entropy only increments within a millisecond that does not
// go backwards).
func (b *Builder) stamp() (time.Time, string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	id, err := ulid.New(ulid.Timestamp(now), b.entropy)
	if err != nil {
		return now, "", fmt.Errorf("make a ULID: %w", err)
	}
	return now, id.String(), nil
}

// Build makes the delivery s describes, unsigned.
func (b *Builder) Build(s Spec) (Delivery, error) {
	body, err := b.Body(s)
	if err != nil {
		return Delivery{}, err
	}
	d := Delivery{Body: body}
	// Overrides may have changed or removed them: read them back.
	if v := gjson.GetBytes(body, "action"); v.Type == gjson.String {
		d.Action = v.String()
	}
	if v := gjson.GetBytes(body, "id"); v.Type == gjson.String {
		d.ID = v.String()
	}
	return d, nil
}

// Body returns the encoded envelope s describes: the bytes Build returns.
func (b *Builder) Body(s Spec) ([]byte, error) {
	env, err := b.envelope(s)
	if err != nil {
		return nil, err
	}
	for _, o := range s.Overrides {
		if env, err = o.Apply(env); err != nil {
			return nil, err
		}
	}
	return jsonstyle.Encode(env, s.Encoding.Style())
}

// envelope writes the envelope compact, keys in Hospitable's order.
func (b *Builder) envelope(s Spec) ([]byte, error) {
	if len(bytes.TrimSpace(s.Data)) == 0 {
		return nil, errors.New("data is empty: give a JSON object or array")
	}
	var data bytes.Buffer
	if err := json.Compact(&data, s.Data); err != nil {
		return nil, fmt.Errorf("data is not JSON: %w", err)
	}
	now := b.now()
	id := s.ID
	if id == "" {
		var err error
		if id, err = b.NewID(now); err != nil {
			return nil, err
		}
	}
	created := s.Created
	if created == "" {
		created = now.UTC().Format(CreatedLayout)
	}
	version := s.Version
	if version == "" {
		version = DefaultVersion
	}
	var env bytes.Buffer
	field := func(sep, key string, v any) {
		k, _ := json.Marshal(key)
		val, _ := json.Marshal(v)
		env.WriteString(sep)
		env.Write(k)
		env.WriteByte(':')
		env.Write(val)
	}
	field("{", "id", id)
	field(",", "action", s.Action)
	env.WriteString(`,"data":`)
	env.Write(data.Bytes())
	field(",", "created", created)
	field(",", "version", version)
	if s.Triggers != nil {
		field(",", "triggers", s.Triggers)
	}
	env.WriteByte('}')
	return env.Bytes(), nil
}
