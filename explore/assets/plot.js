// plot.js: SVG line plots with log axes in log10 space, so that values far
// below 1e-308 (which a float64 cannot hold) are drawn from their log10.
// Styling is in SVG presentation attributes, so an exported SVG looks the
// same outside the page.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const W = 480, H = 270, ML = 58, MR = 14, MT = 14, MB = 40;
const COLORS = ["#1f4e9c", "#c2410c", "#15803d", "#7e22ce", "#475569"];

function el(name, attrs, parent) {
  const e = document.createElementNS(SVGNS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}

// niceTicks returns about n round numbers spanning [lo, hi].
function niceTicks(lo, hi, n) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

// decadeTicks returns integer log10 values spanning [lo, hi], at most n.
function decadeTicks(lo, hi, n) {
  const a = Math.ceil(lo), b = Math.floor(hi);
  if (b < a) return niceTicks(lo, hi, 3);
  const step = Math.max(1, Math.ceil((b - a) / n));
  const out = [];
  for (let v = b; v >= a; v -= step) out.unshift(v);
  return out;
}

function fmtNum(v) {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace("e+", "e");
  return String(+v.toPrecision(4));
}

// Plot draws series of points {x, y, text} where y is log10 of the value
// when opts.ylog (x likewise when opts.xlog, given as the plain x).
class Plot {
  constructor(container, opts) {
    this.opts = opts;
    this.box = container;
    container.classList.add("plot");
    const head = document.createElement("div");
    head.className = "plot-head";
    const h = document.createElement("h3");
    h.textContent = opts.title;
    head.appendChild(h);
    const tools = document.createElement("span");
    tools.className = "plot-tools";
    for (const [label, fn] of [["SVG", () => this.exportSVG()], ["CSV", () => this.exportCSV()]]) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.title = label + " of this plot";
      b.addEventListener("click", fn);
      tools.appendChild(b);
    }
    head.appendChild(tools);
    container.appendChild(head);
    this.svg = el("svg", { viewBox: `0 0 ${W} ${H}`, xmlns: SVGNS, role: "img", "aria-label": opts.title, "font-family": "sans-serif", "font-size": "11" });
    container.appendChild(this.svg);
    this.readout = document.createElement("div");
    this.readout.className = "readout";
    container.appendChild(this.readout);
    this.note = document.createElement("div");
    this.note.className = "plot-note";
    container.appendChild(this.note);
    this.series = [];
    this.svg.addEventListener("pointermove", (e) => this.pointer(e));
    this.svg.addEventListener("pointerdown", (e) => this.pointer(e));
    this.svg.addEventListener("pointerleave", () => this.showCurrent());
  }

  // tx maps x to the axis: log10 for a log axis, unchanged for a linear
  // one or for x given as log10 already (opts.xlog10).
  tx(v) { return this.opts.xlog && !this.opts.xlog10 ? Math.log10(v) : v; }

  // draw replaces the plot's content. series: [{name, pts:[{x, y, text}], dots}];
  // mark: the current x (a point is marked on every series there).
  draw(series, mark, message) {
    this.series = series;
    this.mark = mark;
    this.sim = null;
    this.render();
    this.note.textContent = message || "";
  }

  setSim(sim) { this.sim = sim; this.render(); }

  render() {
    const svg = this.svg, o = this.opts;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    el("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }, svg);
    const pts = this.series.flatMap((s) => s.pts.filter((p) => Number.isFinite(p.y)));
    if (pts.length === 0) {
      const t = el("text", { x: W / 2, y: H / 2, "text-anchor": "middle", fill: "#64748b" }, svg);
      t.textContent = "no values to draw";
      this.showCurrent();
      return;
    }
    let x0 = Math.min(...pts.map((p) => this.tx(p.x))), x1 = Math.max(...pts.map((p) => this.tx(p.x)));
    let y0 = Math.min(...pts.map((p) => p.y)), y1 = Math.max(...pts.map((p) => p.y));
    if (this.sim) {
      for (const v of [this.sim.lo, this.sim.hi, this.sim.y]) if (Number.isFinite(v)) { y0 = Math.min(y0, v); y1 = Math.max(y1, v); }
    }
    if (o.yfloor !== undefined) y0 = Math.min(y0, o.yfloor);
    if (x1 === x0) { x0 -= 0.5; x1 += 0.5; }
    if (y1 - y0 < 1e-9) { const d = o.ylog ? 0.5 : Math.max(Math.abs(y0) * 0.1, 0.5); y0 -= d; y1 += d; }
    const pad = (y1 - y0) * 0.04;
    y0 -= pad; y1 += pad;
    this.sx = (v) => ML + ((this.tx(v) - x0) / (x1 - x0)) * (W - ML - MR);
    this.sy = (y) => H - MB - ((y - y0) / (y1 - y0)) * (H - MT - MB);
    this.x0 = x0; this.x1 = x1;
    this.axes(x0, x1, y0, y1);
    this.series.forEach((s, i) => this.line(s, COLORS[i % COLORS.length]));
    this.drawSim();
    this.legend();
    this.cursor = el("line", { x1: 0, x2: 0, y1: MT, y2: H - MB, stroke: "#94a3b8", "stroke-dasharray": "3 3", visibility: "hidden" }, svg);
    this.showCurrent();
  }

  axes(x0, x1, y0, y1) {
    const svg = this.svg, o = this.opts;
    const g = el("g", { fill: "#334155", stroke: "none" }, svg);
    const yt = o.ylog ? decadeTicks(y0, y1, 6) : niceTicks(y0, y1, 5);
    for (const v of yt) {
      const y = this.sy(v);
      el("line", { x1: ML, x2: W - MR, y1: y, y2: y, stroke: "#e2e8f0" }, g);
      const t = el("text", { x: ML - 4, y: y + 3.5, "text-anchor": "end" }, g);
      t.textContent = o.ylog ? "1e" + v : fmtNum(v);
    }
    const decades = o.xlog || o.xlog10;
    // With xscale the labels show x·xscale: choose round labels, map back.
    const xt = decades ? decadeTicks(x0, x1, 6)
      : o.xscale ? niceTicks(x0 * o.xscale, x1 * o.xscale, 6).map((v) => v / o.xscale) : niceTicks(x0, x1, 6);
    for (const v of xt) {
      const px = ML + ((v - x0) / (x1 - x0)) * (W - ML - MR);
      el("line", { x1: px, x2: px, y1: H - MB, y2: H - MB + 4, stroke: "#334155" }, g);
      const t = el("text", { x: px, y: H - MB + 15, "text-anchor": "middle" }, g);
      if (o.xlog10) t.textContent = "1e" + v;
      else {
        const xv = o.xlog ? Math.pow(10, v) : v;
        t.textContent = fmtNum(o.xscale ? xv * o.xscale : xv);
      }
    }
    el("rect", { x: ML, y: MT, width: W - ML - MR, height: H - MT - MB, fill: "none", stroke: "#334155" }, g);
    const xl = el("text", { x: (ML + W - MR) / 2, y: H - 6, "text-anchor": "middle" }, g);
    xl.textContent = o.xlabel;
    const yl = el("text", { x: 12, y: (MT + H - MB) / 2, "text-anchor": "middle", transform: `rotate(-90 12 ${(MT + H - MB) / 2})` }, g);
    yl.textContent = o.ylabel;
  }

  line(s, color) {
    const segs = [];
    let cur = [];
    for (const p of s.pts) {
      if (Number.isFinite(p.y)) cur.push(`${this.sx(p.x).toFixed(2)},${this.sy(p.y).toFixed(2)}`);
      else if (cur.length) { segs.push(cur); cur = []; }
    }
    if (cur.length) segs.push(cur);
    for (const c of segs) {
      if (s.dots) for (const xy of c) { const [cx, cy] = xy.split(","); el("circle", { cx, cy, r: 2.5, fill: color }, this.svg); }
      else el("polyline", { points: c.join(" "), fill: "none", stroke: color, "stroke-width": 1.8, "stroke-dasharray": s.dash || "none" }, this.svg);
    }
    const m = s.pts.find((p) => p.x === this.mark && Number.isFinite(p.y));
    if (m) {
      const c = el("circle", { cx: this.sx(m.x), cy: this.sy(m.y), r: 5, fill: "#ffffff", stroke: color, "stroke-width": 2, class: "current" }, this.svg);
      c.setAttribute("data-series", s.name);
      c.setAttribute("data-x", String(m.x));
      c.setAttribute("data-value", m.text);
    }
  }

  legend() {
    if (this.series.length < 2 && !this.sim) return;
    let y = MT + 12;
    const items = this.series.map((s, i) => [s.name, COLORS[i % COLORS.length]]);
    if (this.sim) items.push(["simulation (95 % CI)", "#dc2626"]);
    for (const [name, color] of items) {
      el("rect", { x: W - MR - 150, y: y - 8, width: 10, height: 3, fill: color }, this.svg);
      const t = el("text", { x: W - MR - 136, y: y - 4, fill: "#0f172a" }, this.svg);
      t.textContent = name;
      y += 14;
    }
  }

  drawSim() {
    const s = this.sim;
    if (!s || !Number.isFinite(s.y)) return;
    const px = this.sx(s.x);
    const lo = Number.isFinite(s.lo) ? this.sy(s.lo) : H - MB;
    const hi = this.sy(s.hi);
    el("line", { x1: px, x2: px, y1: lo, y2: hi, stroke: "#dc2626", "stroke-width": 2 }, this.svg);
    for (const yy of [lo, hi]) el("line", { x1: px - 5, x2: px + 5, y1: yy, y2: yy, stroke: "#dc2626", "stroke-width": 2 }, this.svg);
    const r = el("rect", { x: px - 4, y: this.sy(s.y) - 4, width: 8, height: 8, fill: "#dc2626", class: "sim-mark" }, this.svg);
    r.setAttribute("data-estimate", String(s.estimate));
  }

  // pointer shows the exact values at the x nearest the pointer.
  pointer(e) {
    if (!this.sx || !this.series.length) return;
    const r = this.svg.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * W;
    let best = null, bd = Infinity;
    for (const p of this.series[0].pts) {
      const d = Math.abs(this.sx(p.x) - px);
      if (d < bd) { bd = d; best = p.x; }
    }
    if (best === null) return;
    this.cursor.setAttribute("x1", this.sx(best));
    this.cursor.setAttribute("x2", this.sx(best));
    this.cursor.setAttribute("visibility", "visible");
    this.readout.textContent = this.describe(best);
  }

  showCurrent() {
    if (this.cursor) this.cursor.setAttribute("visibility", "hidden");
    this.readout.textContent = this.mark === undefined ? "" : "current: " + this.describe(this.mark);
  }

  describe(x) {
    const o = this.opts;
    const xs = o.xscale ? `${x} (${fmtNum(x * o.xscale)})` : String(x);
    const parts = this.series.map((s) => {
      const p = s.pts.find((q) => q.x === x);
      if (p && p.label) return p.label;
      return `${s.name} = ${p ? p.text : "—"}`;
    });
    if (o.xlog10) return parts.join("; ");
    return `${o.xname} = ${xs}: ${parts.join("; ")}`;
  }

  exportSVG() {
    const text = new XMLSerializer().serializeToString(this.svg);
    download(this.opts.file + ".svg", "image/svg+xml", text);
  }

  exportCSV() {
    const xs = [...new Set(this.series.flatMap((s) => s.pts.map((p) => p.x)))].sort((a, b) => a - b);
    const lines = [[this.opts.xname, ...this.series.map((s) => s.name)].join(",")];
    for (const x of xs) {
      lines.push([x, ...this.series.map((s) => { const p = s.pts.find((q) => q.x === x); return p ? p.text : ""; })].join(","));
    }
    download(this.opts.file + ".csv", "text/csv", lines.join("\n") + "\n");
  }
}

function download(name, type, text) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

window.Plot = Plot;
