package replay

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hospitable-hook/hospitable-hook/pkg/capture"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func record(method, id, action, body string, h http.Header) capture.Record {
	r := capture.Record{Method: method, Path: "/webhooks/hospitable", ID: id, Action: action, Headers: h, Status: 200}
	if body != "" || method == http.MethodPost {
		r.SetBody([]byte(body))
	}
	return r
}

func line(t *testing.T, r capture.Record) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func TestNewItemKeepsBodyAndHeaders(t *testing.T) {
	body := `{"id":"01A","action":"reservation.created","data":{"url":"https:\/\/x"}}`
	h := http.Header{
		"Content-Type": {"application/json"}, "Signature": {"abc"}, "User-Agent": {"Hospitable/1.0"},
		"X-Trace": {"1", "2"}, "Content-Length": {"70"}, "Accept-Encoding": {"gzip"}, "Connection": {"close"},
		"Host": {"old.example"},
	}
	t.Run("as captured", func(t *testing.T) {
		it, err := NewItem(3, record("POST", "01A", "reservation.created", body, h), "")
		if err != nil {
			t.Fatal(err)
		}
		d := it.Delivery
		if string(d.Body) != body || d.Signature != "abc" || d.ID != "01A" || d.Action != "reservation.created" || it.Resigned || it.Line != 3 {
			t.Errorf("NewItem = %+v", it)
		}
		want := http.Header{"Content-Type": {"application/json"}, "Signature": {"abc"}, "User-Agent": {"Hospitable/1.0"}, "X-Trace": {"1", "2"}}
		checkHeaders(t, d.Header, want)
		extra := it.Extra(http.Header{"X-Trace": {"mine"}})
		if extra.Get("User-Agent") != "Hospitable/1.0" || !slices.Equal(extra["X-Trace"], []string{"mine"}) {
			t.Errorf("Extra = %v", extra)
		}
	})
	t.Run("resigned", func(t *testing.T) {
		it, _ := NewItem(3, record("POST", "01A", "reservation.created", body, h), "new-secret")
		if !it.Resigned || it.Delivery.Signature != signature.Sign([]byte(body), "new-secret") || it.Delivery.Header.Get("Signature") != it.Delivery.Signature {
			t.Errorf("resigned item = %+v", it.Delivery)
		}
		if h.Get("Signature") != "abc" {
			t.Errorf("re-signing changed the record's headers")
		}
	})
}

// checkHeaders: got holds exactly the headers of want, each with the same values.
func checkHeaders(t *testing.T, got, want http.Header) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("headers = %v, want %v", got, want)
	}
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			t.Errorf("header %s = %q, want %q", k, got[k], v)
		}
	}
}

func TestLoadSelectsAndSkips(t *testing.T) {
	sig := http.Header{"Signature": {"x"}}
	data := line(t, record("POST", "01A", "reservation.created", `{"id":"01A","action":"reservation.created"}`, sig)) +
		line(t, record("GET", "", "", "", nil)) +
		"{not json at all\n" +
		line(t, record("POST", "01B", "message.created", `{"id":"01B","action":"message.created"}`, sig)) +
		line(t, record("POST", "", "", "", sig)) + // refused unread (413): no body
		line(t, record("POST", "01A", "reservation.created", `{"id":"01A","action":"reservation.created"}`, sig)) +
		`{"method":"POST","body":"{\"id\":\"01C\"`
	var bad []int
	// None of these records was verified when captured: only Forged
	// selects them, and without it they are counted as skipped.
	tests := []struct {
		f       Filter
		lines   []int
		skipped int
	}{
		{Filter{Forged: true}, []int{1, 4, 6}, 0},
		{Filter{IDs: []string{"01A"}, Forged: true}, []int{1, 6}, 0},
		{Filter{Actions: []string{"message.created", "review.created"}, Forged: true}, []int{4}, 0},
		{Filter{IDs: []string{"01A"}, Actions: []string{"message.created"}, Forged: true}, nil, 0},
		{Filter{}, nil, 3},
		{Filter{IDs: []string{"01A"}}, nil, 2},
	}
	for _, tt := range tests {
		bad = nil
		p, err := load(strings.NewReader(data), tt.f, "", func(le *capture.LineError) { bad = append(bad, le.Line) })
		if err != nil {
			t.Fatal(err)
		}
		var lines []int
		for _, it := range p.Items {
			lines = append(lines, it.Line)
		}
		if !slices.Equal(lines, tt.lines) || p.SkippedForged != tt.skipped || p.Records != 5 || p.Deliveries != 3 || !slices.Equal(p.Actions, []string{"reservation.created", "message.created"}) {
			t.Errorf("load(%+v) = lines %v, %d skipped, %d records, %d deliveries, actions %v", tt.f, lines, p.SkippedForged, p.Records, p.Deliveries, p.Actions)
		}
		if !slices.Equal(bad, []int{3, 7}) {
			t.Errorf("bad lines = %v, want 3 and 7", bad)
		}
	}
	if got := (Filter{IDs: []string{"a", "b"}, Actions: []string{"c"}}).Describe(); got != "--id a,b --action c" {
		t.Errorf("Describe() = %q", got)
	}
}

func TestLoadNeverReplaysATruncatedBody(t *testing.T) {
	sig := http.Header{"Signature": {"x"}}
	cut := record("POST", "01A", "reservation.created", `{"id":"01A","act`, sig)
	cut.BodyTruncated, cut.BodySize = true, 1<<20
	valid := record("POST", "01B", "message.created", `{"id":"01B","action":"message.created"}`, sig)
	valid.Verified = true
	p, err := load(strings.NewReader(line(t, cut)+line(t, valid)), Filter{Forged: true}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].Line != 2 || p.Items[0].ExpectRefusal || !slices.Equal(p.Truncated, []int{1}) {
		t.Errorf("load = %d items, truncated %v; want line 2 only, line 1 truncated", len(p.Items), p.Truncated)
	}
}

// loaded is a Plan with every delivery Each handed over, in file order.
type loaded struct {
	Plan
	Items []Item
}

// load selects every delivery of a capture the way replay streams them,
// holding them all, which is what these tests compare.
func load(r io.Reader, f Filter, resign string, bad func(*capture.LineError)) (loaded, error) {
	var l loaded
	p, err := Each(r, f, resign, bad, func(it Item) error {
		l.Items = append(l.Items, it)
		return nil
	})
	l.Plan = p
	return l, err
}
