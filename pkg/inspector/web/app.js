// hospitable-hook inspector. Plain JavaScript, no build step, no network
// beyond this inspector's own API. Everything that came from a request is
// put on the page as text (textContent, text nodes), never as HTML.
"use strict";

const token = document.querySelector('meta[name="inspector-token"]').content;
const $ = (id) => document.getElementById(id);

const VERDICTS = {
  verified: "verified", forged: "forged", not_json: "not JSON", too_large: "too large",
  forbidden: "forbidden", read_error: "read error", no_record: "not recorded", other: "not a delivery",
};
const MASKED = "[masked]";
const MAX_TREE_DEPTH = 200;
const PAGE_ROWS = 200;        // rows drawn at first; "show more" adds as many again
const MIN_RENDER_GAP = 250;   // ms between two redraws of the list during a burst

const state = {
  rows: new Map(),      // seq -> summary
  newest: 0,
  paused: false,
  pending: [],          // batches held while paused
  selected: new Set(),  // seqs ticked for download
  cursor: 0,            // seq of the highlighted row
  open: 0,              // seq shown in the detail pane
  query: "", queryHits: null, // seqs the API matched for the free text
  shown: PAGE_ROWS,     // how many rows the list draws
  lastRender: 0,
  session: null,
  actions: new Set(),
};

// el builds an element; strings among the children become text nodes.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (method !== "GET") init.headers["X-Inspector-Token"] = token;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  const ct = resp.headers.get("Content-Type") || "";
  const data = ct.includes("json") ? await resp.json() : await resp.text();
  if (!resp.ok) throw new Error((data && data.error) || resp.status + " " + resp.statusText);
  return data;
}

function fmtTime(iso) {
  const d = new Date(iso);
  const p = (n, w = 2) => String(n).padStart(w, "0");
  return p(d.getHours()) + ":" + p(d.getMinutes()) + ":" + p(d.getSeconds()) + "." + p(d.getMilliseconds(), 3);
}
function fmtLatency(ms) {
  if (ms < 1) return Math.round(ms * 1000) + "µs";
  if (ms < 1000) return (ms < 10 ? ms.toFixed(1) : Math.round(ms)) + "ms";
  return (ms / 1000).toFixed(2) + "s";
}
function statusClass(code) {
  if (code === 200) return "ok";
  if (code === 0) return "fail";
  if (code < 300) return "warn";
  return "fail";
}

// --- the list ----------------------------------------------------------------

function addRows(list) {
  for (const s of list) {
    state.rows.set(s.seq, s);
    state.newest = Math.max(state.newest, s.seq);
    if (s.action && !state.actions.has(s.action)) {
      state.actions.add(s.action);
      const opts = [...state.actions].sort();
      const sel = $("f-action"), cur = sel.value;
      sel.replaceChildren(el("option", { value: "" }, "all"), ...opts.map((a) => el("option", { value: a }, a)));
      sel.value = cur;
    }
  }
  // Keep what the ring keeps: older rows could not be opened any more.
  const keep = state.session ? state.session.ring.keep : 1000;
  while (state.rows.size > keep) state.rows.delete(state.rows.keys().next().value);
}

function matches(s) {
  const a = $("f-action").value, v = $("f-verdict").value;
  if (a && s.action !== a) return false;
  if (v && s.verdict !== v) return false;
  if (state.query && !(state.queryHits && state.queryHits.has(s.seq))) return false;
  return true;
}

// ordered returns the rows to show, newest activity first, with the
// attempts of one delivery id grouped under its first attempt.
function ordered() {
  const groups = new Map();
  for (const s of state.rows.values()) {
    if (!matches(s)) continue;
    const key = s.kind === "delivery" && s.id ? "id:" + s.id : "seq:" + s.seq;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { rows: [], last: 0 }));
    g.rows.push(s);
    g.last = Math.max(g.last, s.seq);
  }
  const out = [];
  for (const g of [...groups.values()].sort((x, y) => y.last - x.last)) {
    g.rows.sort((x, y) => x.seq - y.seq);
    g.rows.forEach((s, i) => out.push({ s, grouped: i > 0, groupSize: g.rows.length }));
  }
  return out;
}

function render() {
  state.lastRender = performance.now();
  const all = ordered();
  const shown = all.slice(0, state.shown);
  const body = $("rows");
  const frag = document.createDocumentFragment();
  for (const { s, grouped, groupSize } of shown) {
    const app = s.app ? el("span", { class: "st " + statusClass(s.app.status), title: s.app.code }, s.app.status || "none") : "";
    const tr = el("tr", {
      dataset: { seq: s.seq, verdict: s.verdict },
      class: [grouped ? "retry" : "", groupSize > 1 && !grouped ? "group-head" : "", s.seq === state.cursor ? "cursor" : "", s.seq === state.open ? "open" : ""].filter(Boolean).join(" "),
      onclick: (e) => { if (e.target.type !== "checkbox") { state.cursor = s.seq; openDetail(s.seq); } },
    },
    el("td", { class: "c-sel" }, el("input", { type: "checkbox", checked: state.selected.has(s.seq), "aria-label": "select #" + s.seq, onchange: (e) => toggleSelect(s.seq, e.target.checked) })),
    el("td", { class: "mono dim" }, fmtTime(s.received_at)),
    el("td", { class: "action" }, grouped ? "↳ " : "", s.action || (s.kind === "delivery" ? "(no action)" : s.method + " " + s.path)),
    el("td", { class: "mono id", title: s.id || "" }, s.id || ""),
    el("td", {}, el("span", { class: "badge v-" + s.verdict }, VERDICTS[s.verdict] || s.verdict)),
    el("td", {}, el("span", { class: "st " + statusClass(s.status) }, s.status || "none")),
    el("td", { class: "num mono" }, fmtLatency(s.latency_ms)),
    el("td", { class: "num" }, s.attempt ? "#" + s.attempt : ""),
    el("td", {}, app));
    frag.append(tr);
  }
  if (all.length > shown.length) {
    frag.append(el("tr", { class: "more" }, el("td", { colspan: 9 },
      el("button", { type: "button", id: "show-more", onclick: () => { state.shown += PAGE_ROWS; render(); } },
        "Show " + Math.min(PAGE_ROWS, all.length - shown.length) + " more (" + (all.length - shown.length) + " not shown)"))));
  }
  body.replaceChildren(frag);
  $("empty").hidden = shown.length > 0;
  $("empty").textContent = state.rows.size ? "Nothing matches the filters." : "No requests yet. Send some with hospitable-hook send --all.";
  $("download-sel").disabled = state.selected.size === 0;
  $("download-sel").textContent = state.selected.size ? "Download selected (" + state.selected.size + ")" : "Download selected";
}

// scheduleRender redraws on the next frame, and during a burst at most
// every MIN_RENDER_GAP ms, so the page stays responsive however fast
// deliveries come.
let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  const wait = Math.max(0, state.lastRender + MIN_RENDER_GAP - performance.now());
  setTimeout(() => requestAnimationFrame(() => { renderQueued = false; render(); }), wait);
}

function toggleSelect(seq, on) {
  if (on) state.selected.add(seq); else state.selected.delete(seq);
  scheduleRender();
}

async function applyBatch(list) {
  addRows(list);
  if (state.query && list.length) {
    const after = Math.min(...list.map((s) => s.seq)) - 1;
    const res = await api("GET", "/api/deliveries?limit=1000&after=" + after + "&q=" + encodeURIComponent(state.query));
    for (const s of res.deliveries) state.queryHits.add(s.seq);
  }
  scheduleRender();
}

async function runQuery() {
  state.query = $("f-q").value.trim();
  if (!state.query) {
    state.queryHits = null;
  } else {
    const res = await api("GET", "/api/deliveries?limit=1000&q=" + encodeURIComponent(state.query));
    state.queryHits = new Set(res.deliveries.map((s) => s.seq));
  }
  scheduleRender();
}

// --- live updates ------------------------------------------------------------

function connect() {
  const es = new EventSource("/api/events?after=" + state.newest);
  const conn = $("conn");
  es.addEventListener("hello", () => { conn.dataset.state = "live"; conn.textContent = "live"; });
  es.addEventListener("deliveries", (e) => {
    const b = JSON.parse(e.data);
    if (state.paused) {
      state.pending.push(b.deliveries);
      const n = state.pending.reduce((t, l) => t + l.length, 0);
      $("pause").textContent = "Resume (" + n + " new)";
      return;
    }
    applyBatch(b.deliveries);
    if (b.skipped) refetchSoon();
  });
  es.addEventListener("clear", () => { clearLocal(); });
  es.onerror = () => { conn.dataset.state = "down"; conn.textContent = "reconnecting…"; };
}

// refetchSoon reloads the list once a burst is over: during it, the event
// stream sends only the newest rows of each batch.
let refetchTimer = 0;
function refetchSoon() {
  clearTimeout(refetchTimer);
  refetchTimer = setTimeout(async () => {
    const list = await api("GET", "/api/deliveries?limit=1000");
    addRows(list.deliveries);
    if (state.query) await runQuery(); else scheduleRender();
  }, 1000);
}

function clearLocal() {
  state.rows.clear(); state.selected.clear(); state.pending = [];
  if (state.queryHits) state.queryHits.clear();
  closeDetail();
  scheduleRender();
}

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

// --- keyboard ------------------------------------------------------------------

function visibleSeqs() {
  return [...$("rows").querySelectorAll("tr[data-seq]")].map((tr) => Number(tr.dataset.seq));
}

function move(step) {
  const seqs = visibleSeqs();
  if (!seqs.length) return;
  let i = seqs.indexOf(state.cursor);
  i = i < 0 ? 0 : Math.min(seqs.length - 1, Math.max(0, i + step));
  state.cursor = seqs[i];
  render();
  const tr = $("rows").querySelector('tr[data-seq="' + state.cursor + '"]');
  if (tr) tr.scrollIntoView({ block: "nearest" });
}

document.addEventListener("keydown", (e) => {
  const t = e.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) {
    if (e.key === "Escape") t.blur();
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  switch (e.key) {
    case "j": case "ArrowDown": move(1); break;
    case "k": case "ArrowUp": move(-1); break;
    case "Enter": if (state.cursor) openDetail(state.cursor); break;
    case "Escape": closeDetail(); break;
    case "x": if (state.cursor) toggleSelect(state.cursor, !state.selected.has(state.cursor)); break;
    case "/": e.preventDefault(); $("f-q").focus(); break;
    case "r": {
      const seq = state.open || state.cursor;
      if (!seq) break;
      if (state.open !== seq) { openDetail(seq).then(() => { const b = $("replay"); if (b) b.click(); }); break; }
      const b = $("replay"); if (b && !b.disabled) b.click();
      break;
    }
    default: return;
  }
  e.preventDefault();
});

// --- start ---------------------------------------------------------------------

$("f-action").addEventListener("change", scheduleRender);
$("f-verdict").addEventListener("change", scheduleRender);
let qTimer = 0;
$("f-q").addEventListener("input", () => { clearTimeout(qTimer); qTimer = setTimeout(runQuery, 200); });
$("pause").addEventListener("click", () => {
  state.paused = !state.paused;
  const b = $("pause");
  b.setAttribute("aria-pressed", String(state.paused));
  b.textContent = state.paused ? "Resume" : "Pause";
  if (!state.paused) { const held = state.pending.flat(); state.pending = []; applyBatch(held); }
});
$("clear").addEventListener("click", async () => {
  try { await api("POST", "/api/clear"); clearLocal(); } catch (err) { $("conn").textContent = err.message; }
});
$("download-sel").addEventListener("click", () => {
  const a = el("a", { href: "/api/capture?seq=" + [...state.selected].sort((x, y) => x - y).join(","), download: "inspector-capture.jsonl" });
  document.body.append(a); a.click(); a.remove();
});
$("sel-all").addEventListener("change", (e) => {
  for (const s of visibleSeqs()) { if (e.target.checked) state.selected.add(s); else state.selected.delete(s); }
  scheduleRender();
});

(async function start() {
  try {
    state.session = await api("GET", "/api/session");
    const s = state.session;
    document.body.classList.toggle("forwarding", Boolean(s.forward_to));
    $("session").textContent = "deliveries to " + s.delivery_url + (s.path || "") + " · secret " + s.secret +
      (s.forward_to ? " · forwarding to " + s.forward_to : "") + " · keeps the last " + s.ring.keep;
    const list = await api("GET", "/api/deliveries?limit=1000");
    addRows(list.deliveries);
    render();
  } catch (err) {
    $("conn").textContent = "could not load: " + err.message;
  }
  connect();
})();
