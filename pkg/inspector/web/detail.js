// hospitable-hook inspector: the detail view of one request and its body.
// Loaded after list.js (see index.html).
"use strict";

// --- the detail view ---------------------------------------------------------

function section(title, ...children) {
  return el("section", { class: "block" }, el("h3", {}, title), ...children);
}

function closeDetail() {
  state.open = 0;
  $("detail-pane").hidden = true;
  $("detail-pane").replaceChildren();
  document.body.classList.remove("detail-open");
  scheduleRender();
}

async function openDetail(seq) {
  state.open = seq;
  scheduleRender();
  let d;
  try {
    d = await api("GET", "/api/deliveries/" + seq);
  } catch (err) {
    showDetail(el("p", { class: "error" }, err.message));
    return;
  }
  if (state.open !== seq) return;
  showDetail(detailView(d));
}

function showDetail(node) {
  const pane = $("detail-pane");
  pane.replaceChildren(node);
  pane.hidden = false;
  pane.scrollTop = 0;
  document.body.classList.add("detail-open");
}

function detailView(d) {
  const head = el("div", { class: "detail-head" },
    el("button", { type: "button", class: "close", "aria-label": "close", onclick: closeDetail }, "×"),
    el("h2", {}, el("span", { class: "badge v-" + d.verdict }, VERDICTS[d.verdict] || d.verdict), " ",
      d.action || (d.kind === "delivery" ? "(no action)" : d.method + " " + d.path)),
    el("p", { class: "mono dim" }, "#" + d.seq, d.id ? " · id " + d.id : "", d.attempt ? " · attempt " + d.attempt : ""));

  const reqLine = el("p", { class: "mono reqline" },
    el("strong", {}, d.method + " " + d.path), " from " + d.remote_addr + " at " + new Date(d.received_at).toISOString(),
    " → answered ", el("span", { class: "st " + statusClass(d.status) }, d.status || "no answer"), " in " + fmtLatency(d.latency_ms),
    d.scripted ? " (scripted " + d.scripted + ")" : "");

  const parts = [head, reqLine];
  if (d.reason) {
    const forensic = [el("p", { class: d.verified ? "" : "fail" }, el("strong", {}, "why: "), d.reason)];
    if (d.explanation) {
      forensic.push(el("p", { class: "explain" }, el("strong", {}, "forensics: "), d.explanation.sentence));
      forensic.push(el("p", { class: "fix" }, el("strong", {}, "fix: "), d.explanation.fix));
    }
    parts.push(section("Signature", ...forensic));
  }
  if (d.warnings.length) parts.push(section("Warnings", el("ul", { class: "warnings" }, d.warnings.map((w) => el("li", { title: w.code }, w.message)))));
  if (d.digest && d.digest.length) {
    parts.push(section("Digest", el("dl", { class: "digest" }, d.digest.map((f) => [el("dt", {}, f.label), el("dd", {}, f.value)]))));
  }
  if (d.forward) parts.push(section("Your app's answer", appAnswer(d.forward)));
  if (d.capture_error) parts.push(section("Capture file", el("p", { class: "fail" }, d.capture_error)));
  parts.push(section("Actions", actions(d)));
  parts.push(section("Headers", headersTable(d.headers)));
  parts.push(section("Body (" + d.body.size + " bytes)", bodyView(d)));
  return el("article", { class: "detail" }, parts);
}

function appAnswer(f) {
  return el("div", {},
    el("p", { class: "mono" }, "→ " + f.url + " ← ", el("span", { class: "st " + statusClass(f.status) }, f.status || "no answer"), " in " + fmtLatency(f.latency_ms)),
    f.redirect ? el("p", { class: "warn" }, "redirect to " + f.redirect + " not followed") : "",
    f.error ? el("p", { class: "fail" }, f.error) : "",
    el("p", { class: f.verdict.ok ? "ok" : "fail" }, f.verdict.message),
    f.body_start ? el("pre", { class: "raw" }, f.body_start) : "");
}

function headersTable(h) {
  const names = Object.keys(h).sort();
  return el("table", { class: "headers" }, el("tbody", {}, names.flatMap((n) => h[n].map((v) =>
    el("tr", { class: n.toLowerCase() === "signature" ? "sig" : "" }, el("th", {}, n), el("td", { class: "mono" }, v))))));
}

function actions(d) {
  const out = el("div", { class: "actions" });
  const result = el("div", { class: "result", "aria-live": "polite" });
  const replayable = d.method === "POST" && d.body.size > 0;
  const ss = state.session;
  const where = ss ? ss.forward_to || ss.delivery_url + (ss.path || d.path) : "target URL";
  const url = el("input", { type: "url", class: "url", placeholder: where, title: "empty: " + where, "aria-label": "replay to URL" });
  const replay = el("button", { type: "button", id: "replay", disabled: !replayable, onclick: () => doReplay(d.seq, url.value, result) }, "Replay (r)");
  const edit = el("button", { type: "button", id: "edit", disabled: !replayable, onclick: () => editor.hidden = !editor.hidden }, "Edit & send…");
  const curl = el("button", { type: "button", id: "curl", disabled: !d.body.size, onclick: () => copyCurl(d.seq, result) }, "Copy as curl");
  const dl = el("a", { class: "button", href: "/api/deliveries/" + d.seq + "/body", download: "" }, "Download body");
  const text = d.body.text !== undefined ? d.body.text : "";
  const area = el("textarea", { id: "edit-body", spellcheck: "false", rows: 12, "aria-label": "body to sign and send" });
  area.value = text;
  const editor = el("div", { class: "editor", hidden: true },
    el("p", { class: "dim" }, "Edit the body; it is signed with the listener's secret (" + (state.session ? state.session.secret : "") + ") and sent as typed."),
    area,
    el("div", { class: "row" },
      el("button", { type: "button", onclick: () => { try { area.value = JSON.stringify(JSON.parse(area.value), null, 2); } catch (e) { result.replaceChildren(el("p", { class: "fail" }, "not JSON: " + e.message)); } } }, "Format"),
      el("button", { type: "button", id: "send-edited", class: "primary", onclick: () => doSend(d.seq, area.value, url.value, result) }, "Sign & send")));
  out.append(el("div", { class: "row" }, url, replay, edit, curl, dl), editor, result);
  return out;
}

function showResult(box, r) {
  box.replaceChildren(el("div", { class: "send-result " + (r.success ? "ok" : "fail") },
    el("p", {}, el("strong", {}, r.success ? r.label + ": delivered" : r.error ? "no answer" : r.label),
      " from " + r.url + " in " + fmtLatency(r.latency_ms) + (r.resigned ? " · re-signed " : " · original signature ") + r.signature.slice(0, 12) + "…"),
    r.error ? el("p", {}, r.error) : "",
    r.note ? el("p", {}, r.note) : "",
    (r.warnings || []).map((w) => el("p", { class: "warn" }, w.message)),
    r.body ? el("pre", { class: "raw" }, r.body) : ""));
}

async function doReplay(seq, url, box) {
  box.replaceChildren(el("p", { class: "dim" }, "replaying #" + seq + "…"));
  try {
    showResult(box, await api("POST", "/api/deliveries/" + seq + "/replay", url ? { url } : {}));
  } catch (err) {
    box.replaceChildren(el("p", { class: "fail" }, err.message));
  }
}

async function doSend(seq, body, url, box) {
  box.replaceChildren(el("p", { class: "dim" }, "signing and sending…"));
  try {
    const req = { body, from: seq };
    if (url) req.url = url;
    showResult(box, await api("POST", "/api/send", req));
  } catch (err) {
    box.replaceChildren(el("p", { class: "fail" }, err.message));
  }
}

async function copyCurl(seq, box) {
  const cmd = await api("GET", "/api/deliveries/" + seq + "/curl");
  let copied = false;
  try { await navigator.clipboard.writeText(cmd); copied = true; } catch (e) { /* no clipboard without a secure context */ }
  box.replaceChildren(el("p", { class: "dim" }, copied ? "copied:" : "copy this:"), el("pre", { class: "raw curl" }, cmd));
}

// --- bodies --------------------------------------------------------------------

function bodyView(d) {
  const b = d.body;
  const wrap = el("div", { class: "body" });
  if (!b.size) return el("p", { class: "dim" }, "no body");
  const tabs = el("div", { class: "tabs", role: "tablist" });
  const panes = [];
  const add = (name, make) => {
    const pane = el("div", { class: "pane", hidden: panes.length > 0 });
    let built = false;
    const btn = el("button", { type: "button", role: "tab", class: panes.length ? "" : "on", onclick: () => {
      if (!built) { pane.append(make()); built = true; }
      panes.forEach((p) => { p.pane.hidden = p.pane !== pane; p.btn.classList.toggle("on", p.pane === pane); });
    } }, name);
    if (!panes.length) { pane.append(make()); built = true; }
    panes.push({ pane, btn });
    tabs.append(btn);
  };
  if (b.json && b.text !== undefined) add("Tree", () => treeView(b));
  if (b.text !== undefined) add("Raw", () => rawView(b));
  else add("Hex", () => el("pre", { class: "raw hex" }, hexdump(atob(b.base64))));
  wrap.append(tabs, ...panes.map((p) => p.pane));
  return wrap;
}

function rawView(b) {
  const pre = el("pre", { class: "raw", id: "raw-body" }, b.masked !== undefined ? b.masked : b.text);
  if (b.masked === undefined) return pre;
  let shown = false;
  const btn = el("button", { type: "button", class: "reveal-all", onclick: () => {
    shown = !shown;
    pre.textContent = shown ? b.text : b.masked;
    btn.textContent = shown ? "Mask personal data" : "Reveal personal data";
  } }, "Reveal personal data");
  return el("div", {}, btn, pre);
}

function treeView(b) {
  let raw, masked;
  try {
    raw = JSON.parse(b.text);
    masked = b.masked !== undefined ? JSON.parse(b.masked) : raw;
  } catch (e) {
    return el("p", { class: "dim" }, "cannot show as a tree (" + e.message + "); see Raw");
  }
  return el("div", { class: "tree mono" }, node(raw, masked, null, 0));
}

// node renders one JSON value; values the listener masks (personal data)
// show as [masked] until clicked.
function node(raw, masked, key, depth) {
  const label = key === null ? [] : [el("span", { class: "k" }, JSON.stringify(key)), ": "];
  if (depth > MAX_TREE_DEPTH) return el("div", {}, label, el("span", { class: "dim" }, "… nested too deep; see Raw"));
  if (raw !== null && typeof raw === "object") {
    const isArr = Array.isArray(raw);
    const keys = isArr ? raw.map((_, i) => i) : Object.keys(raw);
    const det = el("details", { open: depth < 3 });
    det.append(el("summary", {}, label, isArr ? "[" + keys.length + "]" : "{" + keys.length + "}"));
    const kids = el("div", { class: "kids" });
    for (const k of keys) kids.append(node(raw[k], masked && typeof masked === "object" ? masked[k] : masked, isArr ? null : k, depth + 1));
    det.append(kids);
    return det;
  }
  const type = raw === null ? "null" : typeof raw;
  if (masked === MASKED && raw !== MASKED) {
    const v = el("button", { type: "button", class: "pii", title: "personal data: click to reveal" }, MASKED);
    v.addEventListener("click", () => { v.textContent = JSON.stringify(raw); v.classList.add("revealed"); v.title = "personal data"; }, { once: true });
    return el("div", {}, label, v);
  }
  return el("div", {}, label, el("span", { class: "t-" + type }, JSON.stringify(raw)));
}

function hexdump(bin) {
  const lines = [];
  for (let i = 0; i < bin.length && i < 64 * 1024; i += 16) {
    const chunk = bin.slice(i, i + 16);
    const hex = [...chunk].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join(" ");
    const asc = [...chunk].map((c) => { const n = c.charCodeAt(0); return n >= 32 && n < 127 ? c : "."; }).join("");
    lines.push(i.toString(16).padStart(8, "0") + "  " + hex.padEnd(48) + "  " + asc);
  }
  if (bin.length > 64 * 1024) lines.push("… " + (bin.length - 64 * 1024) + " more bytes: download the body");
  return lines.join("\n");
}
