// hospitable-hook inspector: the list of requests and its live updates.
// Loaded after base.js (see index.html).
"use strict";

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
