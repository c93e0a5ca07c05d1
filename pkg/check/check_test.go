package check

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hospitable-hook/hospitable-hook/fixtures"
	"github.com/hospitable-hook/hospitable-hook/pkg/deliver"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/jsonstyle"
)

const secret = "ZGV2QGhvc3BpdGFibGUtaG9vay5pbnZhbGlk"

// endpoint is a webhook receiver written the way integrators write them,
// correct by default, with one classic bug switched on at a time.
type endpoint struct {
	noVerify      bool          // accepts unsigned and forged deliveries
	reserialise   bool          // json.Unmarshal, json.Marshal, then HMAC
	stringify     bool          // re-encodes like JSON.stringify (order kept), then HMAC
	status        int           // answers this instead of 200
	rejectDup     bool          // 409 on an id already seen
	rejectUnknown bool          // 400 on an action it does not handle
	delay         time.Duration // waits this long before answering

	mu   sync.Mutex
	seen map[string]bool
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	if e.delay > 0 {
		t := time.NewTimer(e.delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	signed := body
	switch {
	case e.reserialise:
		var v any
		if json.Unmarshal(body, &v) != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		signed, _ = json.Marshal(v)
	case e.stringify:
		signed, _ = jsonstyle.Encode(body, jsonstyle.Compact)
	}
	if !e.noVerify {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(signed)
		if !hmac.Equal([]byte(hex.EncodeToString(m.Sum(nil))), []byte(r.Header.Get("Signature"))) {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
	}
	var env struct{ ID, Action string }
	if json.Unmarshal(body, &env) != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	if e.rejectUnknown && !slices.Contains(fixture.Actions(), env.Action) {
		http.Error(w, "unknown action", http.StatusBadRequest)
		return
	}
	e.mu.Lock()
	dup := e.seen[env.ID]
	if e.seen == nil {
		e.seen = map[string]bool{}
	}
	e.seen[env.ID] = true
	e.mu.Unlock()
	if dup && e.rejectDup {
		http.Error(w, "duplicate", http.StatusConflict)
		return
	}
	if e.status != 0 {
		w.WriteHeader(e.status)
		return
	}
	_, _ = io.WriteString(w, `{"status":"ok"}`)
}

func config(url string, budget time.Duration) Config {
	return Config{
		URL:      url,
		Secret:   secret,
		Client:   deliver.NewClient(deliver.ClientOptions{Timeout: 5 * time.Second}),
		Budget:   budget,
		Now:      func() time.Time { return time.Date(2026, 11, 28, 9, 35, 24, 0, time.UTC) },
		Entropy:  bytes.NewReader(bytes.Repeat([]byte{7}, 1<<16)),
		Fixtures: fixtures.FS,
	}
}

func failed(results []Result) []string {
	var out []string
	for _, r := range results {
		if !r.Pass {
			out = append(out, r.Name)
		}
	}
	return out
}

func signedAll(except ...string) []string {
	var out []string
	for _, a := range fixture.Actions() {
		if !slices.Contains(except, a) {
			out = append(out, "signed-"+strings.ReplaceAll(a, ".", "-"))
		}
	}
	return out
}

func TestClassicBugs(t *testing.T) {
	// Every case that needs a 200 for a valid delivery.
	all200 := append(signedAll(), "duplicate-delivery", "unknown-action", "both-encodings", "large-delivery")
	// A JSON.stringify-style re-encoder breaks only bodies with \/ or
	// \uXXXX escapes: the fixtures whose PHP and compact encodings differ.
	var plain []string
	for _, a := range fixture.Actions() {
		data, _ := fixture.New(fixtures.FS).Data(a)
		php, _ := jsonstyle.Encode(data, jsonstyle.PHP)
		compact, _ := jsonstyle.Encode(data, jsonstyle.Compact)
		if bytes.Equal(php, compact) {
			plain = append(plain, a)
		}
	}
	if len(plain) == 0 || len(plain) == len(fixture.Actions()) {
		t.Fatalf("%d of %d fixtures encode the same in PHP and compact JSON: the stringify case would prove nothing", len(plain), len(fixture.Actions()))
	}
	tests := []struct {
		name   string
		ep     *endpoint
		budget time.Duration
		fail   []string
	}{
		{"correct", &endpoint{}, 0, nil},
		{"accepts unsigned deliveries", &endpoint{noVerify: true}, 0, []string{"tampered-body", "missing-signature", "wrong-secret"}},
		{"re-serialises JSON (Go map) before verifying", &endpoint{reserialise: true}, 0, all200},
		{"re-encodes like JSON.stringify before verifying", &endpoint{stringify: true}, 0,
			append(signedAll(plain...), "duplicate-delivery", "unknown-action", "both-encodings", "large-delivery")},
		{"answers 204", &endpoint{status: http.StatusNoContent}, 0, all200},
		{"answers 201", &endpoint{status: http.StatusCreated}, 0, all200},
		{"rejects duplicates", &endpoint{rejectDup: true}, 0, []string{"duplicate-delivery"}},
		{"rejects unknown actions", &endpoint{rejectUnknown: true}, 0, []string{"unknown-action"}},
		{"slow", &endpoint{delay: 80 * time.Millisecond}, 30 * time.Millisecond, []string{"answer-time"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.ep)
			defer srv.Close()
			results, err := Run(context.Background(), config(srv.URL+"/webhooks/hospitable", tt.budget), Cases(), nil)
			if err != nil {
				t.Fatalf("Run() error = %v", err)
			}
			if len(results) != len(Cases()) {
				t.Fatalf("Run() gave %d results, want %d", len(results), len(Cases()))
			}
			got, want := failed(results), slices.Sorted(slices.Values(tt.fail))
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("failed cases = %v\nwant %v", got, want)
			}
			for _, r := range results {
				if r.Sent == "" || r.Got == "" || r.Title == "" {
					t.Errorf("%s: empty Sent, Got or Title: %+v", r.Name, r)
				}
				if !r.Pass && (r.Why == "" || r.Fix == "") {
					t.Errorf("%s failed without Why and Fix: %+v", r.Name, r)
				}
				if r.Pass && (r.Why != "" || r.Fix != "") {
					t.Errorf("%s passed with Why or Fix: %+v", r.Name, r)
				}
			}
		})
	}
}

func TestFailureExplanations(t *testing.T) {
	tests := []struct {
		ep      *endpoint
		name    string
		whyHas  string
		fixHas  string
		gotHas  string
		budget  time.Duration
		sentHas string
	}{
		{&endpoint{status: 204}, "signed-reservation-created", "only 200", "exactly 200", "204 No Content", 0, "reservation.created"},
		{&endpoint{noVerify: true}, "missing-signature", "fake reservations", "401", "200 OK", 0, "no Signature header"},
		{&endpoint{stringify: true}, "both-encodings", "re-serialises", "raw request bytes", "php 401 Unauthorized", 0, "PHP json_encode"},
		{&endpoint{rejectDup: true}, "duplicate-delivery", "same bytes and id", "deduplicate", "2nd 409 Conflict", 0, "twice"},
		{&endpoint{rejectUnknown: true}, "unknown-action", "adds actions", "ignore", "400 Bad Request", 0, UnknownAction},
		{&endpoint{delay: 120 * time.Millisecond}, "answer-time", "does not document its timeout", "answer 200 first", "200 OK", 50 * time.Millisecond, "budget 50ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.ep)
			defer srv.Close()
			cases, err := Select([]string{tt.name}, nil)
			if err != nil {
				t.Fatal(err)
			}
			results, err := Run(context.Background(), config(srv.URL, tt.budget), cases, nil)
			if err != nil || len(results) != 1 {
				t.Fatalf("Run() = %v, %v", results, err)
			}
			r := results[0]
			if r.Pass || !strings.Contains(r.Why, tt.whyHas) || !strings.Contains(r.Fix, tt.fixHas) ||
				!strings.Contains(r.Got, tt.gotHas) || !strings.Contains(r.Sent, tt.sentHas) {
				t.Errorf("%s = %+v\nwant a failure with why ~ %q, fix ~ %q, got ~ %q, sent ~ %q", tt.name, r, tt.whyHas, tt.fixHas, tt.gotHas, tt.sentHas)
			}
		})
	}
}

func TestLargeDeliveryIsAboutOneMegabyte(t *testing.T) {
	bodies := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- b
	}))
	defer srv.Close()
	cases, _ := Select([]string{"large-delivery"}, nil)
	results, err := Run(context.Background(), config(srv.URL, 0), cases, nil)
	if err != nil || !results[0].Pass {
		t.Fatalf("Run() = %+v, %v", results, err)
	}
	got := <-bodies
	if len(got) < LargeSize || len(got) > LargeSize+LargeSize/10 {
		t.Errorf("large delivery is %d bytes, want about %d", len(got), LargeSize)
	}
	var env struct {
		Action string
		Data   struct {
			ICalImports []map[string]any `json:"ical_imports"`
			Name        string
		}
	}
	if err := json.Unmarshal(got, &env); err != nil || env.Action != "property.changed" || len(env.Data.ICalImports) < 1000 || env.Data.Name == "" {
		t.Errorf("large delivery: action %q, %d ical_imports, name %q, err %v", env.Action, len(env.Data.ICalImports), env.Data.Name, err)
	}
	if !bytes.Contains(got, []byte(`https:\/\/www.vrbo.com`)) || !bytes.Contains(got, []byte(`Calend\u00e1rio`)) {
		t.Errorf("large delivery is not PHP-encoded")
	}
}

func TestUnreachableStopsTheSuite(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/webhooks/hospitable"
	ln.Close()
	var seen int
	results, err := Run(context.Background(), config(url, 0), Cases(), func(Result) { seen++ })
	var ue *UnreachableError
	if !errors.As(err, &ue) || ue.Err.Kind != deliver.KindRefused || len(results) != 0 || seen != 0 {
		t.Fatalf("Run() = %d results, %v; want none and an *UnreachableError (refused)", len(results), err)
	}
	if !strings.Contains(ue.Error(), "cannot reach "+url) {
		t.Errorf("Error() = %q", ue.Error())
	}
}

func TestSelect(t *testing.T) {
	tests := []struct {
		only, skip []string
		want       []string
		unknown    []string
	}{
		{nil, nil, Names(), nil},
		{[]string{"wrong-secret", "tampered-body"}, nil, []string{"tampered-body", "wrong-secret"}, nil},
		{[]string{"signed-*"}, []string{"signed-property-*"}, []string{"signed-integration-disconnected", "signed-message-created", "signed-reservation-changed", "signed-reservation-created", "signed-reservation-updated", "signed-review-created"}, nil},
		{nil, []string{"signed-*", "large-delivery"}, []string{"tampered-body", "missing-signature", "wrong-secret", "duplicate-delivery", "unknown-action", "both-encodings", "answer-time"}, nil},
		{[]string{"wrong-secrets"}, []string{"nope-*"}, nil, []string{"wrong-secrets", "nope-*"}},
	}
	for _, tt := range tests {
		cases, err := Select(tt.only, tt.skip)
		var unknown *UnknownCaseError
		if tt.unknown != nil {
			if !errors.As(err, &unknown) || !slices.Equal(unknown.Names, tt.unknown) || !strings.Contains(err.Error(), "answer-time") {
				t.Errorf("Select(%q, %q) error = %v, want unknown %q listing the valid names", tt.only, tt.skip, err, tt.unknown)
			}
			continue
		}
		var names []string
		for _, c := range cases {
			names = append(names, c.Name)
		}
		if err != nil || !slices.Equal(names, tt.want) {
			t.Errorf("Select(%q, %q) = %v, %v; want %v", tt.only, tt.skip, names, err, tt.want)
		}
	}
}

func TestNamesAreStableKebabCase(t *testing.T) {
	for _, n := range Names() {
		if n != strings.ToLower(n) || strings.ContainsAny(n, "._ ") {
			t.Errorf("case name %q is not kebab-case", n)
		}
	}
	if len(Names()) != len(fixture.Actions())+8 {
		t.Errorf("%d cases, want one per action and 8 more", len(Names()))
	}
}
