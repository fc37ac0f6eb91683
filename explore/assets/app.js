// app.js: the explorer's controls, state (kept in the URL), curves,
// designer and simulation check. Every number comes from the server's
// JSON API; this file only asks and draws.
"use strict";

const MODEL = ["n", "a", "s", "theta", "noise", "patterns", "segments"];
const TEXT = { max_fp: "1e-9", max_fn: "1e-3", grid: "paper", sim_kind: "fp", sim_method: "direct", sim_samples: "1e6", sim_seed: "1" };
const S = {}; // the state: MODEL integers and TEXT strings
let table = null; // /api/params
const qparams = {}; // quantity name → its parameters
const plots = {};
let generation = 0, inflight = null, pending = null;
const thresholdsCache = {};
// redraws: ms from a change to the last plot drawn; draws: ms of drawing
// alone, once every answer is in.
const stats = { redraws: [], draws: [], last: 0, lastDraw: 0, ready: false };
window.explore = { stats, state: S };

const $ = (id) => document.getElementById(id);

function qs(obj) {
  return Object.entries(obj).map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v)).join("&");
}

async function getJSON(url, signal) {
  const r = await fetch(url, { signal });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

// ---- controls ----

function sliderToValue(p, t) {
  if (!p.log) return Math.round(t);
  const lo = Math.log(Math.max(p.min, 1)), hi = Math.log(p.slider_max);
  return Math.round(Math.exp(lo + (t / 1000) * (hi - lo)));
}

function valueToSlider(p, v) {
  if (!p.log) return v;
  const lo = Math.log(Math.max(p.min, 1)), hi = Math.log(p.slider_max);
  return Math.round(((Math.log(Math.max(v, 1)) - lo) / (hi - lo)) * 1000);
}

function buildControls() {
  const box = $("sliders");
  for (const p of table.params) {
    if (!MODEL.includes(p.name)) continue;
    const row = document.createElement("div");
    row.className = "slider-row";
    row.innerHTML = `<label for="num_${p.name}"></label><span class="unit"></span>` +
      `<input type="range" id="rng_${p.name}"><input type="number" id="num_${p.name}" inputmode="numeric">`;
    row.querySelector("label").textContent = p.symbol + (p.name === "noise" ? " (cells)" : "");
    row.querySelector("label").title = p.meaning;
    row.querySelector(".unit").textContent = p.unit + (p.log ? ", log slider" : "");
    const rng = row.querySelector("input[type=range]"), num = row.querySelector("input[type=number]");
    rng.min = p.log ? 0 : p.min;
    rng.max = p.log ? 1000 : p.slider_max;
    rng.step = 1;
    rng.setAttribute("aria-label", p.meaning);
    num.min = p.min;
    num.max = p.max;
    num.step = 1;
    rng.addEventListener("input", () => setParam(p.name, sliderToValue(p, +rng.value), "slider"));
    num.addEventListener("change", () => setParam(p.name, Math.round(+num.value), "field"));
    box.appendChild(row);
  }
  $("noise_frac").addEventListener("change", () => setParam("noise", Math.round(+$("noise_frac").value * S.a), "frac"));
  for (const k of Object.keys(TEXT)) {
    $(k).addEventListener("change", () => { S[k] = $(k).value.trim(); changed(); });
  }
  const sel = $("preset");
  table.presets.forEach((pr, i) => {
    const o = document.createElement("option");
    o.value = String(i);
    o.textContent = pr.name;
    sel.appendChild(o);
  });
  sel.addEventListener("change", () => {
    const pr = table.presets[+sel.value];
    if (!pr) return;
    Object.assign(S, pr.params);
    $("preset-source").textContent = pr.source;
    syncControls();
    changed();
  });
  $("sim_start").addEventListener("click", startSim);
  $("sim_cancel").addEventListener("click", cancelSim);
  window.addEventListener("pagehide", cancelSim);
}

function param(name) { return table.params.find((p) => p.name === name); }

function setParam(name, v, from) {
  const p = param(name);
  if (!Number.isFinite(v)) return;
  S[name] = Math.min(Math.max(v, p.min), p.max);
  syncControls(from === "slider" ? name : null);
  changed();
}

// syncControls writes the state into every control (but the slider being
// dragged), with the dependent slider ranges: θ ≤ s, v ≤ a.
function syncControls(dragging) {
  for (const name of MODEL) {
    const p = param(name);
    const rng = $("rng_" + name), num = $("num_" + name);
    if (name === "theta") rng.max = Math.max(S.s, 1);
    if (name === "noise") rng.max = Math.max(S.a, 1);
    if (name !== dragging) rng.value = valueToSlider(p, S[name]);
    num.value = S[name];
  }
  $("noise_frac").value = S.a > 0 ? +(S.noise / S.a).toPrecision(4) : 0;
  for (const k of Object.keys(TEXT)) $(k).value = S[k];
}

// ---- state in the URL ----

function readURL() {
  for (const p of table.params) S[p.name] = p.default;
  Object.assign(S, TEXT);
  const u = new URLSearchParams(location.search);
  for (const name of MODEL) {
    if (!u.has(name)) continue;
    const v = Number(u.get(name)), p = param(name);
    if (Number.isInteger(v) && v >= p.min && v <= p.max) S[name] = v;
    else status(`ignored ${name}=${u.get(name)} from the URL (want an integer in [${p.min}, ${p.max}])`);
  }
  for (const k of Object.keys(TEXT)) if (u.has(k)) S[k] = u.get(k).slice(0, 64);
}

function writeURL() {
  const o = {};
  for (const k of MODEL) o[k] = S[k];
  for (const k of Object.keys(TEXT)) o[k] = S[k];
  history.replaceState(null, "", "?" + qs(o));
}

function status(msg) { $("status").textContent = msg; }

// ---- curves ----

function modelParams(q, except) {
  const o = {};
  for (const k of qparams[q]) if (k !== except) o[k] = S[k];
  return o;
}

function curveURL(q, x, lo, hi, extra) {
  return "/api/curve?" + qs({ q, x, lo, hi, mark: S[x], ...extra, ...modelParams(q, x) });
}

function toPts(curve) {
  return curve.points.map((p) => ({ x: p.x, y: p.log10 === null || p.log10 === undefined ? NaN : p.log10, text: p.value || "", err: p.error }));
}

const E2 = "P(false match)";
const DEFS = [
  { id: "fp-theta", title: "E2 false match against θ", xname: "θ", xlabel: "threshold θ (synapses)", ylabel: E2, ylog: true, file: "fp-vs-theta",
    mark: () => S.theta, reqs: () => [["fp", curveURL("fp", "theta", 1, Math.max(S.s, 1))]] },
  { id: "fp-s", title: "E2 false match against s", xname: "s", xlabel: "synapses on the segment s", ylabel: E2, ylog: true, file: "fp-vs-s",
    mark: () => S.s, reqs: () => [["fp", curveURL("fp", "s", Math.max(S.theta, 1), Math.min(S.n, 10000, Math.max(2 * S.s, S.theta + 20)))]] },
  { id: "fp-n", title: "E2 false match against n", xname: "n", xlabel: "cells n (log)", ylabel: E2, ylog: true, xlog: true, file: "fp-vs-n",
    mark: () => S.n, reqs: () => { const lo = Math.max(S.a, S.s, 1); return [["fp", curveURL("fp", "n", lo, Math.min(param("n").max, Math.max(100 * S.n, 10 * lo)), { scale: "log", points: 80 })]]; } },
  { id: "fn-noise", title: "E3 false negative against noise", xname: "v", xlabel: "noise v/a (fraction of the active cells)", ylabel: "P(false negative)", ylog: true, file: "fn-vs-noise",
    mark: () => S.noise, xscaleOf: () => 1 / Math.max(S.a, 1), reqs: () => [["fn", curveURL("fn", "noise", 0, S.a)]] },
  { id: "union", title: "E4 union false match against M", xname: "M", xlabel: "patterns per segment M", ylabel: E2, ylog: true, file: "union-vs-m",
    mark: () => S.patterns, reqs: () => { const hi = Math.min(param("patterns").max, Math.max(20, 2 * S.patterns)); return [["paper (s→round(s_M))", curveURL("union-fp", "patterns", 1, hi)], ["exact mixture", curveURL("union-fp-exact", "patterns", 1, hi, { clip: true })]]; } },
  { id: "union-ratio", title: "E4 paper ÷ exact mixture", xname: "M", xlabel: "patterns per segment M", ylabel: "ratio", file: "union-ratio", mark: () => S.patterns, derived: true },
  { id: "neuron", title: "E5 neuron false match against m", xname: "m", xlabel: "segments per neuron m (log)", ylabel: "P(neuron fires)", ylog: true, xlog: true, file: "neuron-vs-m",
    mark: () => S.segments, reqs: () => { const hi = Math.min(param("segments").max, Math.max(1000, 10 * S.segments)); const ex = { scale: "log", points: 80 };
      return [["1−(1−P)^m", curveURL("neuron", "segments", 1, hi, ex)], ["union bound m·P", curveURL("neuron-bound", "segments", 1, hi, ex)]]; } },
  { id: "thresholds", title: "E7 false match over a grid", xname: "θ", xlabel: "threshold θ", ylabel: E2, ylog: true, file: "thresholds", mark: () => S.theta, derived: true },
  { id: "design", title: "Designer: Pareto frontier fp against fn", xname: "fn", xlabel: "false negative fn (E3, log)", ylabel: "false positive fp (log)", ylog: true, xlog10: true, file: "design-frontier", derived: true },
];

function buildPlots() {
  const box = $("plots");
  for (const d of DEFS) {
    const div = document.createElement("div");
    div.id = "plot-" + d.id;
    box.appendChild(div);
    plots[d.id] = new Plot(div, d);
    if (d.id === "design") {
      const p = document.createElement("div");
      p.className = "design-best";
      p.id = "design-best";
      div.appendChild(p);
    }
  }
}

// update recomputes everything for the current state; a newer update
// aborts an older one. The time from the change to the last plot drawn is
// kept in window.explore.stats.
async function update(t0) {
  const gen = ++generation;
  if (inflight) inflight.abort();
  const ctl = new AbortController();
  inflight = ctl;
  const jobs = [];
  for (const d of DEFS) {
    if (d.derived) continue;
    jobs.push(Promise.all(d.reqs().map(([name, url]) => getJSON(url, ctl.signal).then((c) => ({ name, c })))).then(
      (res) => ({ d, res }), (err) => ({ d, err })));
  }
  jobs.push(thresholds(ctl.signal).then((res) => ({ t: res }), (err) => ({ t: null, err })));
  jobs.push(getJSON("/api/design?" + qs({ n: S.n, a: S.a, noise_frac: S.a ? S.noise / S.a : 0, max_fp: S.max_fp, max_fn: S.max_fn, segments: S.segments }), ctl.signal)
    .then((res) => ({ design: res }), (err) => ({ design: null, err })));
  const results = await Promise.all(jobs);
  if (gen !== generation) return;
  const tDraw = performance.now();
  for (const r of results) {
    if (r.err && r.err.name === "AbortError") return;
  }
  const byId = {};
  for (const r of results) {
    if (r.d) byId[r.d.id] = r;
    else if ("t" in r) drawThresholds(r.t, r.err);
    else drawDesign(r.design, r.err);
  }
  for (const d of DEFS) {
    const r = byId[d.id];
    if (!r) continue;
    if (d.xscaleOf) d.xscale = d.xscaleOf();
    if (r.err) { plots[d.id].draw([], d.mark(), r.err.message); continue; }
    const series = r.res.map(({ name, c }, i) => ({ name, pts: toPts(c), dash: i ? "5 3" : "none" }));
    const clipped = r.res.filter(({ c }) => c.clipped).map(({ name, c }) => `${name} stops before ${c.x} = ${c.clipped} (the server's work limit per curve)`);
    plots[d.id].draw(series, d.mark(), clipped.join("; "));
  }
  drawRatio(byId.union);
  fillValues(byId);
  fillCLI();
  const dt = performance.now() - t0;
  stats.last = dt;
  stats.lastDraw = performance.now() - tDraw;
  stats.redraws.push(dt);
  stats.draws.push(stats.lastDraw);
  stats.ready = true;
  document.body.dataset.redraws = String(stats.redraws.length);
}

function drawRatio(r) {
  const p = plots["union-ratio"];
  if (!r || r.err) { p.draw([], S.patterns, r && r.err ? r.err.message : ""); return; }
  const [paper, exact] = r.res.map(({ c }) => toPts(c));
  const pts = paper.map((q, i) => {
    const e = exact[i];
    const y = e && Number.isFinite(q.y) && Number.isFinite(e.y) ? Math.pow(10, q.y - e.y) : NaN;
    return { x: q.x, y, text: Number.isFinite(y) ? y.toPrecision(6) : "—" };
  });
  p.draw([{ name: "paper/exact", pts }], S.patterns);
}

async function thresholds(signal) {
  const g = S.grid === "paper-2018" ? "paper-2018" : "paper";
  if (!thresholdsCache[g]) thresholdsCache[g] = await getJSON("/api/thresholds?grid=" + g, signal);
  return thresholdsCache[g];
}

function drawThresholds(t, err) {
  const p = plots.thresholds;
  if (!t) { p.draw([], S.theta, err ? err.message : ""); return; }
  const series = ["median", "mean", "max", "min"].map((k, i) => ({
    name: k, dash: i ? "4 3" : "none",
    pts: t.stats.map((r) => ({ x: r.theta, y: r[k].log10 === null ? NaN : r[k].log10, text: r[k].value })),
  }));
  const g = t.grid, c = g.n.length * g.sparsity.length * g.s.length;
  p.draw(series, S.theta, `grid ${g.name}: n = ${g.n[0]}…${g.n[g.n.length - 1]}, sparsity 0.5–3 %, s = ${g.s[0]}…${g.s[g.s.length - 1]}, ${c} configurations per θ (E7)`);
}

function drawDesign(d, err) {
  const p = plots.design, best = $("design-best");
  if (!d) { p.draw([], undefined, err ? err.message : ""); best.textContent = ""; return; }
  const fin = (v) => v.log10 !== null;
  const pts = d.frontier.filter((q) => fin(q.fn) && fin(q.fp)).map((q) => ({
    x: q.fn.log10, y: q.fp.log10, text: q.fp.value, label: `s=${q.s} θ=${q.theta}: fp=${q.fp.value} fn=${q.fn.value}` }));
  const zero = d.frontier.length - pts.length;
  const series = [{ name: "frontier", pts, dots: true }];
  const bp = d.best.filter((q) => fin(q.fn) && fin(q.fp)).map((q) => ({ x: q.fn.log10, y: q.fp.log10, text: q.fp.value, label: `best s=${q.s} θ=${q.theta}` }));
  if (bp.length) series.push({ name: "fewest synapses", pts: bp, dots: true });
  p.draw(series, undefined, zero ? `${zero} frontier design(s) with fn or fp exactly 0 not drawn on log axes` : "");
  const what = d.segments > 1 ? `fp of a neuron with ${d.segments} segments (E5)` : "fp of one segment (E2)";
  best.textContent = d.feasible
    ? `fewest synapses: s = ${d.min_s}, θ ∈ {${d.best.map((q) => q.theta).join(", ")}} meet ${what} ≤ ${d.max_fp} and fn ≤ ${d.max_fn} with ${d.noise_cells} noise cells. Frontier over s ≤ ${d.max_s}.`
    : `no segment with s ≤ a = ${d.a} meets ${what} ≤ ${d.max_fp} and fn ≤ ${d.max_fn}. Frontier over s ≤ ${d.max_s}.`;
}

function markValue(r, i) {
  if (!r || r.err) return "—";
  const c = r.res[i || 0].c;
  const p = c.points.find((q) => q.x === S[c.x]);
  return p ? (p.value || p.error) : "—";
}

function fillValues(byId) {
  const rows = [
    ["fp (E2)", markValue(byId["fp-theta"])],
    ["fn (E3)", markValue(byId["fn-noise"])],
    ["union fp, paper (E4)", markValue(byId.union, 0)],
    ["union fp, exact (E4)", markValue(byId.union, 1)],
    ["neuron fp (E5)", markValue(byId.neuron, 0)],
  ];
  const tb = document.querySelector("#values tbody");
  tb.textContent = "";
  for (const [k, v] of rows) {
    const tr = tb.insertRow();
    tr.insertCell().textContent = k;
    const td = tr.insertCell();
    td.textContent = v;
    td.id = "value-" + k.split(" ")[0] + (k.includes("exact") ? "-exact" : "");
  }
}

function simArgs() {
  const kind = S.sim_kind;
  const o = { n: S.n, a: S.a, s: S.s, theta: S.theta };
  if (kind === "fn") o.noise = S.noise;
  if (kind === "union") o.patterns = S.patterns;
  if (kind === "neuron") o.segments = S.segments;
  return o;
}

function fillCLI() {
  const flags = (o) => Object.entries(o).map(([k, v]) => `--${k} ${v}`).join(" ");
  const calc = `dendritic calc fp ${flags({ n: S.n, a: S.a, s: S.s, theta: S.theta })}`;
  const kind = S.sim_kind;
  const method = S.sim_method === "importance" ? " --method importance" : "";
  const simulate = `dendritic simulate ${kind} ${flags(simArgs())} --samples ${S.sim_samples} --seed ${S.sim_seed}${method}`;
  const design = `dendritic design ${flags({ n: S.n, a: S.a, "noise-frac": +(S.a ? S.noise / S.a : 0).toPrecision(6), "max-fp": S.max_fp, "max-fn": S.max_fn, segments: S.segments })}`;
  $("cli").textContent = [calc, simulate, design].join("\n");
}

// changed schedules an update: at most one runs at a time, the latest
// state wins.
function changed() {
  const t0 = performance.now();
  writeURL();
  if (pending) cancelAnimationFrame(pending);
  pending = requestAnimationFrame(() => { pending = null; update(t0).catch((e) => status(String(e))); });
}

// ---- simulation ----

let simCtl = null;

const SIM_PLOT = { fp: ["fp-theta", "theta"], fn: ["fn-noise", "noise"], union: ["union", "patterns"], neuron: ["neuron", "segments"] };

async function startSim() {
  cancelSim();
  const ctl = new AbortController();
  simCtl = ctl;
  const kind = S.sim_kind;
  const args = { kind, method: S.sim_method, samples: S.sim_samples, seed: S.sim_seed, ...simArgs() };
  $("sim_start").disabled = true;
  $("sim_cancel").disabled = false;
  $("sim_progress").value = 0;
  $("sim_status").textContent = "starting…";
  try {
    const r = await fetch("/api/sim?" + qs(args), { signal: ctl.signal });
    if (!r.ok) {
      const body = await r.json();
      throw new Error(body.error || r.statusText);
    }
    const reader = r.body.getReader();
    const dec = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block), data = /^data: (.*)$/m.exec(block);
        if (ev && data) simEvent(ev[1], JSON.parse(data[1]), kind);
      }
    }
  } catch (e) {
    if (e.name !== "AbortError") $("sim_status").textContent = "error: " + e.message;
    else $("sim_status").textContent = "cancelled";
  } finally {
    if (simCtl === ctl) {
      simCtl = null;
      $("sim_start").disabled = false;
      $("sim_cancel").disabled = true;
    }
  }
}

function simEvent(ev, d, kind) {
  if (ev === "start") $("sim_status").textContent = `running ${d.samples} samples (${d.method}, seed ${d.seed})…`;
  else if (ev === "progress") {
    $("sim_progress").value = d.total ? d.done / d.total : 0;
    $("sim_status").textContent = `running: ${d.done} of ${d.total} samples`;
  } else if (ev === "error") $("sim_status").textContent = "error: " + d.error;
  else if (ev === "result") {
    $("sim_progress").value = 1;
    const z = d.z === null ? "undefined" : d.z.toFixed(2);
    $("sim_status").textContent = `${d.partial ? "partial " : ""}estimate ${d.estimate.toPrecision(6)} (95 % CI ${d.ci95[0].toPrecision(4)}…${d.ci95[1].toPrecision(4)}) from ${d.samples} samples, ${d.hits} hits; theory ${d.theory.toPrecision(6)}; z = ${z}; ${d.seconds.toFixed(2)} s`;
    const [id, x] = SIM_PLOT[kind];
    const l = (v) => (v > 0 ? Math.log10(v) : -Infinity);
    plots[id].setSim({ x: S[x], y: l(d.estimate), lo: l(d.ci95[0]), hi: l(d.ci95[1]), estimate: d.estimate });
  }
}

function cancelSim() {
  if (simCtl) simCtl.abort();
}

// ---- start ----

async function main() {
  try {
    table = await getJSON("/api/params");
  } catch (e) {
    status("cannot load the parameter table: " + e.message);
    return;
  }
  for (const q of table.quantities) qparams[q.name] = q.params;
  readURL();
  buildControls();
  buildPlots();
  syncControls();
  changed();
}

main();
