// hospitable-hook inspector: keyboard and start-up. Loaded last, after
// base.js, list.js and detail.js (see index.html).
"use strict";

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
