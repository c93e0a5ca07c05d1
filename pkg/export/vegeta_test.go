package export

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hospitable-hook/hospitable-hook/pkg/event"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

const testSecret = "dGVzdEBleGFtcGxlLmNvbQ=="

// target is one parsed entry of vegeta's HTTP format.
type target struct {
	method, url string
	header      http.Header
	body        []byte
}

// readTargets parses a vegeta HTTP targets file the way vegeta's
// NewHTTPTargeter does: a request line, header lines, an optional @body
// line, entries separated by blank lines; the body path is relative to dir.
func readTargets(t *testing.T, dir, name string) []target {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []target
	var cur *target
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			cur = nil
		case cur == nil:
			method, url, ok := strings.Cut(line, " ")
			if !ok {
				t.Fatalf("%s: bad request line %q", name, line)
			}
			out = append(out, target{method: method, url: url, header: http.Header{}})
			cur = &out[len(out)-1]
		case strings.HasPrefix(line, "@"):
			b, err := os.ReadFile(filepath.Join(dir, line[1:]))
			if err != nil {
				t.Fatalf("%s: body %s: %v", name, line, err)
			}
			cur.body = b
		default:
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				t.Fatalf("%s: bad header line %q", name, line)
			}
			cur.header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func newNext(t *testing.T) func() (event.Delivery, error) {
	t.Helper()
	clock := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	b := event.NewBuilder(func() time.Time { clock = clock.Add(time.Millisecond); return clock }, bytes.NewReader(bytes.Repeat([]byte{7}, 1<<16)))
	tpl, err := b.Template(event.Spec{Action: "reservation.created", Data: []byte(`{"id":"r1","guest":{"first_name":"José"},"url":"https://x.test/a"}`)})
	if err != nil {
		t.Fatal(err)
	}
	key := signature.NewKey(testSecret)
	return func() (event.Delivery, error) {
		d, err := tpl.Build()
		return d.Signed(key), err
	}
}

func TestWriteVegetaTargetsVerifyAndIDsAreFresh(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "load")
	extra := http.Header{"X-Run": {"bench"}}
	ex, err := WriteVegeta(context.Background(), VegetaOptions{
		Dir: dir, URL: "http://127.0.0.1:5000/webhooks/hospitable", Header: extra, Count: 25, Next: newNext(t),
	})
	if err != nil {
		t.Fatalf("WriteVegeta: %v", err)
	}
	if ex.Count != 25 || len(ex.Targets) != 1 || ex.Targets[0] != "targets.txt" {
		t.Fatalf("Export = %+v, want 25 deliveries in targets.txt", ex)
	}
	targets := readTargets(t, dir, "targets.txt")
	if len(targets) != 25 {
		t.Fatalf("parsed %d targets, want 25", len(targets))
	}
	key := signature.NewKey(testSecret)
	seen := map[string]bool{}
	var total int64
	for i, tg := range targets {
		checkTarget(t, i, tg, key)
		id := gjson.GetBytes(tg.body, "id").String()
		if len(id) != 26 || seen[id] {
			t.Errorf("target %d: id %q is not a fresh ULID", i, id)
		}
		seen[id] = true
		total += int64(len(tg.body))
	}
	if ex.Bytes != total {
		t.Errorf("Export.Bytes = %d, want %d", ex.Bytes, total)
	}
}

// checkTarget holds target i to what send would post: POST to the URL,
// JSON, the -H header, a signature over the exact body file.
func checkTarget(t *testing.T, i int, tg target, key *signature.Key) {
	t.Helper()
	if tg.method != http.MethodPost || tg.url != "http://127.0.0.1:5000/webhooks/hospitable" {
		t.Errorf("target %d: %s %s, want POST to the URL", i, tg.method, tg.url)
	}
	if got := tg.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("target %d: Content-Type %q", i, got)
	}
	if got := tg.header.Get("X-Run"); got != "bench" {
		t.Errorf("target %d: X-Run %q, want the -H header", i, got)
	}
	if err := key.Verify(tg.body, tg.header.Get("Signature")); err != nil {
		t.Errorf("target %d: signature does not verify: %v", i, err)
	}
	if bytes.HasSuffix(tg.body, []byte("\n")) {
		t.Errorf("target %d: body ends with a newline that was not signed", i)
	}
}

func TestWriteVegetaShardsSplitTheDeliveries(t *testing.T) {
	dir := t.TempDir()
	ex, err := WriteVegeta(context.Background(), VegetaOptions{
		Dir: dir, URL: "http://127.0.0.1:5000/h", Count: 10, Shards: 3, Next: newNext(t),
	})
	if err != nil {
		t.Fatalf("WriteVegeta: %v", err)
	}
	want := []string{"targets-1.txt", "targets-2.txt", "targets-3.txt"}
	if strings.Join(ex.Targets, ",") != strings.Join(want, ",") {
		t.Fatalf("Targets = %v, want %v", ex.Targets, want)
	}
	ids := map[string]string{}
	sizes := []int{}
	for _, name := range ex.Targets {
		ts := readTargets(t, dir, name)
		sizes = append(sizes, len(ts))
		for _, tg := range ts {
			id := gjson.GetBytes(tg.body, "id").String()
			if other, dup := ids[id]; dup {
				t.Errorf("id %s is in %s and %s: a distributed attack would deliver it twice", id, other, name)
			}
			ids[id] = name
		}
	}
	if len(ids) != 10 || sizes[0] != 4 || sizes[1] != 3 || sizes[2] != 3 {
		t.Errorf("shards hold %v (%d ids), want 4,3,3 and 10 distinct ids", sizes, len(ids))
	}
}

func TestWriteVegetaRefusesBadInput(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "old.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts VegetaOptions
		want string
	}{
		{"non-empty folder", VegetaOptions{Dir: full, URL: "http://127.0.0.1:1/", Count: 1}, "is not empty"},
		{"no count", VegetaOptions{Dir: t.TempDir(), URL: "http://127.0.0.1:1/", Count: 0}, "--count"},
		{"too many shards", VegetaOptions{Dir: t.TempDir(), URL: "http://127.0.0.1:1/", Count: 2, Shards: 3}, "at least one delivery"},
		{"bad URL", VegetaOptions{Dir: t.TempDir(), URL: "ftp://x", Count: 1}, "URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Next = newNext(t)
			_, err := WriteVegeta(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("WriteVegeta() error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
