package jsonstyle

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestEncode(t *testing.T) {
	in := "{\n  \"name\": \"José\",\n  \"url\": \"https://x.example/a\",\n  \"msg\": \"hi 🙂\\n\\\"q\\\"\",\n  \"n\": 1.50,\n  \"big\": 12345678901234567890,\n  \"e\": [],\n  \"o\": {},\n  \"b\": [true, false, null]\n}\n"
	tests := []struct {
		name  string
		style Style
		want  string
	}{
		{"php", PHP, `{"name":"Jos\u00e9","url":"https:\/\/x.example\/a","msg":"hi \ud83d\ude42\n\"q\"","n":1.50,"big":12345678901234567890,"e":[],"o":{},"b":[true,false,null]}`},
		{"compact", Compact, `{"name":"José","url":"https://x.example/a","msg":"hi 🙂\n\"q\"","n":1.50,"big":12345678901234567890,"e":[],"o":{},"b":[true,false,null]}`},
		{"python", Style{Spaced: true, EscapeUnicode: true}, `{"name": "Jos\u00e9", "url": "https://x.example/a", "msg": "hi \ud83d\ude42\n\"q\"", "n": 1.50, "big": 12345678901234567890, "e": [], "o": {}, "b": [true, false, null]}`},
		{"indent", Style{Indent: "  "}, "{\n  \"name\": \"José\",\n  \"url\": \"https://x.example/a\",\n  \"msg\": \"hi 🙂\\n\\\"q\\\"\",\n  \"n\": 1.50,\n  \"big\": 12345678901234567890,\n  \"e\": [],\n  \"o\": {},\n  \"b\": [\n    true,\n    false,\n    null\n  ]\n}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Encode([]byte(in), tt.style)
			if err != nil {
				t.Fatalf("Encode() error = %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Encode(%s) =\n%s\nwant\n%s", tt.name, got, tt.want)
			}
		})
	}
}

func TestEncodeKeepsKeyOrderAndControlEscapes(t *testing.T) {
	got, err := Encode([]byte(`{"z":1,"a":"\u0001\t<&>","m":2}`), PHP)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"z":1,"a":"\u0001\t<&>","m":2}`; string(got) != want {
		t.Errorf("Encode() = %s, want %s", got, want)
	}
}

func TestEncodeRejects(t *testing.T) {
	for _, in := range []string{"", "{", `{"a":}`, "1 2", "nope"} {
		if _, err := Encode([]byte(in), PHP); !errors.Is(err, ErrNotJSON) {
			t.Errorf("Encode(%q) error = %v, want ErrNotJSON", in, err)
		}
	}
}

func TestEncodeDeepNesting(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	got, err := Encode([]byte(deep), Compact)
	if err != nil || len(got) != len(deep) {
		t.Errorf("Encode(100000 deep) = %d bytes, %v", len(got), err)
	}
}

func FuzzEncode(f *testing.F) {
	f.Add([]byte(`{"a":"Jos\u00e9 https://x 🙂","b":[1,2.5e3,null]}`))
	f.Add([]byte(`"\ud83d\ude42"`))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, st := range []Style{PHP, Compact, {Indent: "  ", Spaced: true}, PHPArrays} {
			out, err := Encode(in, st)
			if err != nil {
				continue
			}
			if !json.Valid(out) {
				t.Fatalf("Encode(%q) produced invalid JSON %q", in, out)
			}
			again, err := Encode(out, st)
			if err != nil || string(again) != string(out) {
				t.Fatalf("Encode is not stable: %q then %q (%v)", out, again, err)
			}
		}
	})
}

func TestEncodeLimited(t *testing.T) {
	deep := []byte(strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000))
	if _, err := EncodeLimited(deep, Style{Indent: "    "}, Limits{MaxDepth: 100}); !errors.Is(err, ErrLimit) {
		t.Errorf("EncodeLimited(10,000 deep, MaxDepth 100) error = %v, want ErrLimit", err)
	}
	wide := []byte("[[[" + strings.Repeat("1,", 10_000) + "1]]]")
	if _, err := EncodeLimited(wide, Style{Indent: "    "}, Limits{MaxBytes: 4 * len(wide)}); !errors.Is(err, ErrLimit) {
		t.Errorf("EncodeLimited(indented past MaxBytes) error = %v, want ErrLimit", err)
	}
	if got, err := EncodeLimited(wide, Compact, Limits{MaxDepth: 3, MaxBytes: len(wide)}); err != nil || string(got) != string(wide) {
		t.Errorf("EncodeLimited(within limits) = %d bytes, %v; want the input back", len(got), err)
	}
	if _, err := EncodeLimited([]byte(`[1] [2]`), Compact, Limits{}); !errors.Is(err, ErrNotJSON) {
		t.Errorf("EncodeLimited(two values) error = %v, want ErrNotJSON", err)
	}
}

func TestEncodePHPArrays(t *testing.T) {
	in := `{"s":"{}","o":{},"n":{"x":{ }},"a":[{},[]],"e":"\\{}"}`
	want := `{"s":"{}","o":[],"n":{"x":[]},"a":[[],[]],"e":"\\{}"}`
	if got, err := Encode([]byte(in), PHPArrays); err != nil || string(got) != want {
		t.Errorf("Encode(%s, PHPArrays) = %s, %v; want %s", in, got, err, want)
	}
	indented := "{\n  \"o\": [],\n  \"n\": {\n    \"x\": []\n  }\n}"
	if got, err := Encode([]byte(`{"o":{},"n":{"x":{}}}`), Style{Indent: "  ", EmptyObjectsAsArrays: true}); err != nil || string(got) != indented {
		t.Errorf("Encode(indented, EmptyObjectsAsArrays) = %q, %v; want %q", got, err, indented)
	}
}
