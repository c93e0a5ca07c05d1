package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestVerifyLoneCarriageReturn: a body with a \r at the end gets a
// complete reason, not "re-serialised after signing: " and nothing.
func TestVerifyLoneCarriageReturn(t *testing.T) {
	body := writeFile(t, "cr.json", "{\"foo\":\"bar\"}\r")
	r := runCLI(t, nil, "", "verify", "-f", body, "-s", docSig, "--secret", "123456")
	if r.code != 1 || !strings.Contains(r.stdout, `carriage return (\r) that was not signed`) || strings.Contains(r.stdout, "signing: \n") {
		t.Errorf("exit %d, stdout:\n%s", r.code, r.stdout)
	}
}

func TestVerifyAgainst(t *testing.T) {
	original := writeFile(t, "original.json", `{"url":"https:\/\/x.test\/a","n":1}`)
	same := writeFile(t, "same.json", `{"url":"https:\/\/x.test\/a","n":1}`)
	hashed := writeFile(t, "hashed.json", `{"url":"https://x.test/a","n":1}`)
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"identical", []string{"--file", same, "--against", original}, 0, []string{"identical", "35 bytes"}},
		{"first difference", []string{"--file", hashed, "--against", original}, 1, []string{
			"the bodies differ from byte 14 (line 1, column 15)",
			`byte 14 is "/" (2f) here and "\" (5c) in the original`,
			`{"url":"https://x.test/a","n":`, `{"url":"https:\/\/x.test\/a",`, "[2f]", "[5c]",
		}},
		{"with the app's signature too", []string{"--file", hashed, "--against", original, "--signature", docSig, "--secret", "123456"}, 1, []string{"differ from byte 14", "invalid signature"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"verify"}, tt.args...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			if !strings.Contains(strings.Join(tt.args, " "), "--secret") && r.stderr != "" {
				t.Errorf("a comparison needs no secret, but stderr says:\n%s", r.stderr)
			}
		})
	}
	r := runCLI(t, nil, "", "verify", "--file", hashed, "--against", original, "--json")
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got["identical"] != false || got["offset"] != 14.0 || got["hex"] == "" || got["original_hex"] == "" {
		t.Errorf("--json: %s (%v)", r.stdout, err)
	}
}

func TestVerifyRecordAndExtract(t *testing.T) {
	rec := func(body, sig string) string {
		b, _ := json.Marshal(body)
		return `{"received_at":"2026-11-28T09:35:24Z","method":"POST","path":"/","remote_addr":"127.0.0.1:1","headers":{"Signature":["` + sig + `"]},"body":` + string(b) + `,"verified":true,"status":200,"action":"a.b","id":"01J"}`
	}
	file := writeFile(t, "capture.jsonl", rec(`{"foo":"bar"}`, docSig)+"\n"+rec("{\"foo\":\"bar\"}\r\n", docSig)+"\n")
	appSig := hmacHex([]byte("{\"foo\":\"bar\"}\r\n"), "123456")

	r := runCLI(t, nil, "", "verify", "-f", file, "--record", "2", "--extract")
	if r.code != 0 || r.stdout != "{\"foo\":\"bar\"}\r\n" || r.stderr != "" {
		t.Errorf("--extract: exit %d, stdout %q, stderr %q; want the exact body of line 2 and nothing else", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "", "verify", "-f", file, "--record", "2", "--secret", "123456")
	if r.code != 1 || !strings.Contains(r.stdout, "line 2 a.b 01J") || !strings.Contains(r.stdout, "line break") || strings.Contains(r.stdout, "line 1") {
		t.Errorf("--record 2: exit %d\n%s", r.code, r.stdout)
	}
	// The signature the app computed over the bytes of record 2 matches
	// those bytes: the app's bytes were right, its header was not.
	r = runCLI(t, nil, "", "verify", "-f", file, "--record", "2", "--signature", appSig, "--secret", "123456")
	if r.code != 0 || !strings.Contains(r.stdout, "valid signature") {
		t.Errorf("--record 2 --signature: exit %d\n%s", r.code, r.stdout)
	}

	body := writeFile(t, "body.json", `{}`)
	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"-f", file, "--extract"}, "pick it with `--record N`"},
		{[]string{"-f", file, "--record", "0"}, "bad `--record` 0"},
		{[]string{"-f", file, "--record", "7"}, "no readable capture record on line 7"},
		{[]string{"-f", body, "--record", "1"}, "is not one"},
		{[]string{"-f", file, "--against", body}, "pick the record"},
		{[]string{"-f", file, "--record", "1", "--extract", "--signature", docSig}, "only writes the body"},
	} {
		r := runCLI(t, nil, "", append([]string{"verify"}, tt.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.err) || strings.Contains(r.stderr, "development secret") {
			t.Errorf("verify %v: exit %d, stderr %q; want 2 with %q", tt.args, r.code, r.stderr, tt.err)
		}
	}
}

func TestVerifyHelpSignatureMayBeTheApps(t *testing.T) {
	r := runCLI(t, nil, "", "verify", "--help")
	for _, want := range []string{"the signature your app computed", "--against", "--record", "--extract"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("verify --help lacks %q", want)
		}
	}
}
