// hospitable-hook inspector. Plain JavaScript, no build step, no network
// beyond this inspector's own API. Everything that came from a request is
// put on the page as text (textContent, text nodes), never as HTML.
//
// Four classic scripts share one global scope, loaded in this order by
// index.html: base.js (constants, state, element and format helpers),
// list.js (the list and its live updates), detail.js (one request and its
// body), app.js (keyboard and start-up).
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
