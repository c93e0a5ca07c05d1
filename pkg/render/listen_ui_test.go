package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestListenReadyNamesTheInspector(t *testing.T) {
	var out bytes.Buffer
	info := ListenInfo{URL: "http://127.0.0.1:5000", Port: 5000, UI: "http://127.0.0.1:4040", UIToken: "TOKEN"}
	ListenReady(&out, newStyles(false), info)
	want := "  inspector on http://127.0.0.1:4040 (deliveries, replay and the JSON API in a browser; --no-ui to turn off)\n"
	if !strings.HasSuffix(out.String(), want) {
		t.Errorf("ready line:\n%s\nwant it to end with:\n%s", out.String(), want)
	}
	if strings.Contains(out.String(), "TOKEN") {
		t.Errorf("the ready line shows the token: it is for machines (--json)")
	}
	b, _ := json.Marshal(info)
	if !strings.Contains(string(b), `"ui":"http://127.0.0.1:4040","ui_token":"TOKEN"`) {
		t.Errorf("--json ready object = %s", b)
	}
	out.Reset()
	ListenReady(&out, newStyles(false), ListenInfo{URL: "http://127.0.0.1:5000"})
	if strings.Contains(out.String(), "inspector") {
		t.Errorf("--no-ui: the ready line names an inspector: %s", out.String())
	}
}
