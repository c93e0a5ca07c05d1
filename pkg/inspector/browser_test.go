//go:build browser

// Browser tests: the page in a real headless Chromium (Debian's chromium,
// installed by .ci/browser). Run with `go test -tags browser ./pkg/inspector`;
// CHROMIUM names the binary, INSPECTOR_SCREENSHOT a PNG to save the page to.

package inspector

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/hospitable-hook/hospitable-hook/pkg/fixture"
	"github.com/hospitable-hook/hospitable-hook/pkg/fixture/fixturetest"
	"github.com/hospitable-hook/hospitable-hook/pkg/signature"
)

func chromiumPath(t *testing.T) string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH: run .ci/browser, which installs Debian's chromium, or set CHROMIUM")
	return ""
}

// browser starts a headless Chromium with a fresh profile that can reach
// nothing but 127.0.0.1, and records every URL the pages request, and any
// dialog a page opens (which would mean a body's markup ran).
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// No network: every name but the loopback address fails to resolve.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelCtx(); cancelAlloc() })

	var mu sync.Mutex
	var seen []string
	dialogs := make(chan struct{}, 16)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			seen = append(seen, e.Request.URL)
		case *page.EventJavascriptDialogOpening:
			seen = append(seen, "DIALOG:"+e.Message)
			select {
			case dialogs <- struct{}{}:
			default:
			}
		}
	})
	if err != nil {
		t.Fatalf("listen to chromium: %v", err)
	}
	// Dismiss any dialog, so the page goes on and the test can report it.
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-dialogs:
				_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			}
		}
	}()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable the network domain: %v", err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

// waitJS waits until expr is truthy.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func call[P, R any](t *testing.T, ctx context.Context, cmd cdp.Command[P, R], params P) {
	t.Helper()
	if _, err := chromedp.Call(ctx, cmd, params); err != nil {
		t.Fatalf("%s: %v", cmd.Method, err)
	}
}

func TestBrowserInspector(t *testing.T) {
	ctx, requested := browser(t)
	target := newRig(t, rigOptions{})
	r := newRig(t, rigOptions{})
	// The steps run in this order on one page: each builds on what the
	// ones before it sent and opened.
	pageLoads(t, ctx, r)
	bodies := deliveriesAppearLive(t, ctx, r)
	forgedIsExplained(t, ctx)
	n := personalDataMaskedUntilClicked(t, ctx)
	editAndSend(t, ctx, target, bodies[n-1])
	replayWithR(t, ctx, target, bodies[n-1])
	markupRunsNothing(t, ctx, r)
	burstIsListed(t, ctx, r)
	darkThemeAndNarrowWindow(t, ctx)
	screenshot(t, ctx)
	needsNothingFromOutside(t, "http://"+r.addr, requested())
	otherSitesCannotUseTheAPI(t, ctx, r)
	for _, u := range requested() {
		if strings.HasPrefix(u, "DIALOG:") {
			t.Errorf("a page opened a dialog: %s", u)
		}
	}
}

// pageLoads: the page loads with nothing from outside, and goes live.
func pageLoads(t *testing.T, ctx context.Context, r *rig) {
	t.Helper()
	base := "http://" + r.addr
	do(t, ctx, "load the page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("rows")))
	waitJS(t, ctx, "the event stream connects", `document.getElementById("conn").dataset.state === "live"`)
	waitJS(t, ctx, "the session line", `document.getElementById("session").textContent !== ""`)
	if session := text(t, ctx, "#session"); !strings.Contains(session, signature.Mask(testSecret)) || strings.Contains(session, testSecret) {
		t.Errorf("session line %q: want the masked secret only", session)
	}
}

// deliveriesAppearLive: eleven deliveries and a forged one appear live,
// newest on top.
func deliveriesAppearLive(t *testing.T, ctx context.Context, r *rig) [][]byte {
	t.Helper()
	bodies := r.sendAll()
	waitJS(t, ctx, "12 rows appear", `document.querySelectorAll("#rows tr[data-seq]").length === 12`)
	rows := eval[[]string](t, ctx, `[...document.querySelectorAll("#rows tr[data-seq]")].map(tr => tr.dataset.seq + " " + tr.children[2].textContent + " " + tr.children[4].textContent)`)
	var want []string
	for i, a := range fixture.Actions() {
		want = append(want, fmt.Sprintf("%d %s verified", i+1, a))
	}
	want = append(want, "12 reservation.created forged")
	slices.Reverse(want)
	if !slices.Equal(rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	return bodies
}

// forgedIsExplained: the forged delivery's detail explains the mismatch.
func forgedIsExplained(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "open the forged delivery", chromedp.Click(chromedp.CSS(`#rows tr[data-seq="12"] td.id`)), chromedp.WaitVisible(chromedp.CSS(".explain")))
	if explain := text(t, ctx, ".explain"); !strings.Contains(explain, "newline") {
		t.Errorf("forensics = %q, want the trailing newline named", explain)
	}
}

// personalDataMaskedUntilClicked: personal data is masked until clicked;
// keyboard: k moves up, enter opens. It returns the seq opened.
func personalDataMaskedUntilClicked(t *testing.T, ctx context.Context) uint64 {
	t.Helper()
	n := seqOf("reservation.created")
	do(t, ctx, "open a reservation with the keyboard",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#rows tr[data-seq="%d"] td.id`, n-1))),
		chromedp.KeyEvent("k"), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS("button.pii")))
	waitJS(t, ctx, "the reservation opens", fmt.Sprintf(`document.querySelector(".detail-head p").textContent.startsWith("#%d ")`, n))
	if digest := text(t, ctx, "dl.digest"); !strings.Contains(digest, "guest") || strings.Contains(digest, "[object") {
		t.Errorf("digest = %q, want its facts as text", digest)
	}
	masked := eval[string](t, ctx, `[...document.querySelectorAll("button.pii")].map(b => b.textContent).join(" ")`)
	if strings.Contains(masked, "@") || !strings.Contains(masked, "[masked]") {
		t.Errorf("before a click, personal data shows: %q", masked)
	}
	revealed := eval[string](t, ctx, `(() => { const k = [...document.querySelectorAll(".tree .k")].find(k => k.textContent === '"email"'); const b = k.parentElement.querySelector("button.pii"); b.click(); return b.textContent })()`)
	if !strings.Contains(revealed, "@") {
		t.Errorf("after a click, the email shows %q", revealed)
	}
	return n
}

// editAndSend: edit, re-sign and send to a second listener, which
// verifies it.
func editAndSend(t *testing.T, ctx context.Context, target *rig, opened []byte) {
	t.Helper()
	edited := strings.Replace(string(opened), `"1.0"`, `"v2"`, 1)
	do(t, ctx, "edit and send",
		chromedp.Click(chromedp.ID("edit")),
		chromedp.SetValue(chromedp.ID("edit-body"), edited),
		chromedp.SetValue(chromedp.CSS("input.url"), target.delivery.URL+"/webhooks/hospitable"),
		chromedp.Click(chromedp.ID("send-edited")),
		chromedp.WaitVisible(chromedp.CSS(".send-result")))
	if result := text(t, ctx, ".send-result"); !strings.Contains(result, "200 OK: delivered") || !strings.Contains(result, "re-signed") {
		t.Errorf("send result = %q", result)
	}
	got, ok := target.ring.Get(1)
	if !ok || !got.Event.Verified || string(got.Event.Body) != edited {
		t.Errorf("the second listener got verified=%v body equal %v: want the edited body, verified", got.Event.Verified, string(got.Event.Body) == edited)
	}
}

// replayWithR: r replays the open delivery to the URL typed in, byte for
// byte.
func replayWithR(t *testing.T, ctx context.Context, target *rig, opened []byte) {
	t.Helper()
	do(t, ctx, "replay with r", chromedp.Click(chromedp.CSS(".detail-head h2")), chromedp.KeyEvent("r"))
	waitJS(t, ctx, "the replay's result", `/200 OK: delivered.*original signature/.test(document.querySelector(".result").textContent)`)
	if got, ok := target.ring.Get(2); !ok || !got.Event.Verified || string(got.Event.Body) != string(opened) {
		t.Errorf("the replay reached the second listener: %v, verified %v", ok, got.Event.Verified)
	}
}

// markupRunsNothing: a body full of markup shows as text and runs nothing.
func markupRunsNothing(t *testing.T, ctx context.Context, r *rig) {
	t.Helper()
	evil := []byte(`{"id":"01KB2Y5X0Q3W7F8G9H0J1K2MEV","action":"<script>alert(1)</script>","data":{"x":"<img src=x onerror=alert(2)>"}}`)
	r.post(evil, signature.Sign(evil, testSecret))
	waitJS(t, ctx, "the markup delivery appears", `document.querySelector('#rows tr[data-seq="13"]') !== null`)
	do(t, ctx, "open it", chromedp.Click(chromedp.CSS(`#rows tr[data-seq="13"] td.id`)), chromedp.WaitVisible(chromedp.CSS(".tree")))
	waitJS(t, ctx, "its detail", `document.querySelector(".detail-head p").textContent.startsWith("#13 ")`)
	injected := eval[int](t, ctx, `document.querySelectorAll("#main script, #main img").length`)
	if title := text(t, ctx, ".detail-head h2"); injected != 0 || !strings.Contains(title, "<script>alert(1)</script>") {
		t.Errorf("markup body: %d injected elements, title %q", injected, title)
	}
}

// burstIsListed: during a burst the list draws the newest 200 and counts
// the rest, all of which it holds once the burst is over.
func burstIsListed(t *testing.T, ctx context.Context, r *rig) {
	t.Helper()
	var wg sync.WaitGroup
	for g := range 8 {
		var burst [][]byte
		for i := range 50 {
			burst = append(burst, fixturetest.Envelope(t, "message.created", fmt.Sprintf("01KB2Y5X0Q3W7F8G9H0J1K%d%03d", g, i)))
		}
		wg.Go(func() {
			for _, b := range burst {
				req, _ := http.NewRequest(http.MethodPost, r.delivery.URL+"/", bytes.NewReader(b))
				req.Header.Set(signature.Header, signature.Sign(b, testSecret))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Errorf("burst: %v", err)
					return
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	waitJS(t, ctx, "the burst is listed", `(document.getElementById("show-more") || {}).textContent === "Show 200 more (213 not shown)"`)
	if n := eval[int](t, ctx, `document.querySelectorAll("#rows tr[data-seq]").length`); n != 200 {
		t.Errorf("after a burst, %d rows drawn, want 200", n)
	}
	do(t, ctx, "show more", chromedp.Click(chromedp.ID("show-more")))
	waitJS(t, ctx, "400 rows drawn", `document.querySelectorAll("#rows tr[data-seq]").length === 400`)
}

// darkThemeAndNarrowWindow: dark theme from the system setting; a narrow
// window.
func darkThemeAndNarrowWindow(t *testing.T, ctx context.Context) {
	t.Helper()
	light := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`)
	call(t, ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
	dark := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`)
	call(t, ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 480, Height: 800, DeviceScaleFactor: 1})
	narrow := eval[string](t, ctx, `getComputedStyle(document.getElementById("detail-pane")).position`)
	call(t, ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
	call(t, ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
	if light == dark || narrow != "fixed" {
		t.Errorf("light %s, dark %s (want different); narrow detail position %q, want fixed", light, dark, narrow)
	}
}

// screenshot saves the page for the README, when INSPECTOR_SCREENSHOT
// names a file: the list and a forged delivery explained.
func screenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	if path := os.Getenv("INSPECTOR_SCREENSHOT"); path != "" {
		call(t, ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 1280, Height: 800, DeviceScaleFactor: 1})
		do(t, ctx, "open the forged one", chromedp.Click(chromedp.CSS(`#rows tr[data-seq="12"] td.id`)), chromedp.WaitVisible(chromedp.CSS(".explain")))
		waitJS(t, ctx, "its detail", `document.querySelector(".detail-head p").textContent.startsWith("#12 ")`)
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// needsNothingFromOutside: the page requested nothing but the inspector.
func needsNothingFromOutside(t *testing.T, base string, requested []string) {
	t.Helper()
	for _, u := range requested {
		if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s: it must need nothing but the inspector", u)
		}
	}
}

// otherSitesCannotUseTheAPI: another site's page cannot use the API, even
// knowing the token.
func otherSitesCannotUseTheAPI(t *testing.T, ctx context.Context, r *rig) {
	t.Helper()
	base := "http://" + r.addr
	kept := r.ring.Counts().Kept
	evilSite := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!doctype html><title>elsewhere</title><p>another site</p>`)
	}))
	defer evilSite.Close()
	do(t, ctx, "open another site", chromedp.Navigate(evilSite.URL+"/"))
	outcome := eval[string](t, ctx, fmt.Sprintf(`(async () => {
		const out = [];
		try { const r = await fetch(%q, {method: "POST", headers: {"X-Inspector-Token": %q}}); out.push("clear " + r.status); } catch (e) { out.push("clear blocked"); }
		try { await fetch(%q, {method: "POST", mode: "no-cors", body: "x"}); out.push("no-cors sent"); } catch (e) { out.push("no-cors blocked"); }
		try { const r = await fetch(%q); out.push("read " + r.status); } catch (e) { out.push("read blocked"); }
		return out.join(", ");
	})()`, base+"/api/clear", r.server.Token(), base+"/api/clear", base+"/api/deliveries"))
	if !strings.Contains(outcome, "clear blocked") || !strings.Contains(outcome, "read blocked") {
		t.Errorf("cross-origin page: %s; want its clear and read blocked", outcome)
	}
	if now := r.ring.Counts().Kept; now != kept {
		t.Errorf("a cross-origin POST cleared the inspector: %d kept, was %d", now, kept)
	}
}
