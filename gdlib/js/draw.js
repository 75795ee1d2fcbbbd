// Drawing: SVG elements, scales, axes with ticks, polylines and rounded numbers.
// Panels are drawn in a fixed coordinate system (their viewBox) and scale with the page.

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, parent = null) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

export function html(tag, attrs = {}, parent = null, text = null) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

// A number rounded to `digits` significant digits, as a short string: 0.05, 0.911, 1.2e-5, 3e+6.
export function format(x, digits = 3) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(digits)));
  return Number(x.toPrecision(digits)).toExponential().replace(/\.?0+e/, "e");
}

// Text with subscripts and superscripts: "f(w_t) − f_{min}", "10^{-5}".
export function label(parent, x, y, spec, attrs = {}) {
  const t = svg("text", { x, y, ...attrs }, parent);
  for (const [i, piece] of spec.split(/([_^](?:\{[^}]*\}|\w))/).entries()) {
    if (!piece) continue;
    if (i % 2 === 0) {
      t.appendChild(document.createTextNode(piece));
    } else {
      const shift = piece[0] === "_" ? "sub" : "super";
      const s = svg("tspan", { "baseline-shift": shift, "font-size": "75%" }, t);
      s.textContent = piece.slice(1).replace(/^\{|\}$/g, "").replace("-", "−");
    }
  }
  return t;
}

// Ticks: about `count` round values between lo and hi (1, 2 or 5 times a power of ten apart), at least
// three where a finer step allows (-4.8..4.8 gets -4, -2, 0, 2, 4, not 0 alone).
export function ticks(lo, hi, count = 5) {
  const raw = (hi - lo) / count, power = 10 ** Math.floor(Math.log10(raw));
  const steps = [0.5, 1, 2, 5, 10].map((m) => m * power);
  const at = (step) => {
    const out = [];
    for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
    return out;
  };
  let i = steps.findIndex((s) => s >= raw);
  while (i > 0 && at(steps[i]).length < 3) i -= 1;
  return at(steps[i]);
}

// A plot area inside a panel: box [x, y, width, height] in panel units, axes redrawn on rescale.
// x and y: {lo, hi, log}; with log, lo and hi are powers of ten (exponents).
export class Plot {
  constructor(parent, box, { title = "", xlabel = "", ylabel = "", id }) {
    this.box = box;
    const [x, y, w, h] = box;
    this.g = svg("g", {}, parent);
    const clip = svg("clipPath", { id }, svg("defs", {}, this.g));
    svg("rect", { x, y, width: w, height: h }, clip);
    svg("rect", { x, y, width: w, height: h, class: "gl-frame" }, this.g);
    this.axes = svg("g", { class: "gl-axes" }, this.g);
    this.lines = svg("g", { "clip-path": `url(#${id})` }, this.g);
    if (title) this.title = label(this.g, x + w / 2, y - 9, title, { class: "gl-title", "text-anchor": "middle" });
    if (xlabel) label(this.g, x + w / 2, y + h + 36, xlabel, { "text-anchor": "middle" });
    const turn = `translate(${x - 58},${y + h / 2}) rotate(-90)`;
    if (ylabel) label(this.g, 0, 0, ylabel, { "text-anchor": "middle", transform: turn });
  }

  // Map data to panel units: sx(x), sy(y) (log axes take the value, not its exponent).
  scale(xs, ys) {
    const [x, y, w, h] = this.box;
    const map = (s, a, b) => (s.log ? (v) => a + ((Math.log10(v) - s.lo) / (s.hi - s.lo)) * (b - a)
      : (v) => a + ((v - s.lo) / (s.hi - s.lo)) * (b - a));
    this.sx = map(xs, x, x + w);
    this.sy = map(ys, y + h, y);
    const key = JSON.stringify([xs, ys]);
    if (key === this.key) return; // the same axes: nothing to redraw
    this.key = key;
    this.axes.replaceChildren();
    const marks = (s, count) => (s.log ? decades(s.lo, s.hi) : ticks(s.lo, s.hi, count));
    const text = (s, v) => (s.log ? `10^{${v}}` : format(v));
    for (const v of marks(xs, 5)) this.tick(this.sx(xs.log ? 10 ** v : v), null, text(xs, v));
    for (const v of marks(ys, 4)) this.tick(null, this.sy(ys.log ? 10 ** v : v), text(ys, v));
  }

  tick(px, py, text) {
    const [x, y, w, h] = this.box;
    if (py === null) {
      svg("line", { x1: px, x2: px, y1: y, y2: y + h, class: "gl-grid" }, this.axes);
      label(this.axes, px, y + h + 16, text, { "text-anchor": "middle" });
    } else {
      svg("line", { x1: x, x2: x + w, y1: py, y2: py, class: "gl-grid" }, this.axes);
      label(this.axes, x - 5, py + 4, text, { "text-anchor": "end" });
    }
  }

  // Set a polyline's points from values xs, ys (non-finite values end the line), thinned to tol.
  draw(line, xs, ys, tol) {
    line.setAttribute("points", points(xs.map(this.sx), ys.map(this.sy), tol, true));
  }
}

// The decades lo..hi to label, at most about six of them.
function decades(lo, hi) {
  const every = Math.max(1, Math.ceil((hi - lo) / 6));
  const out = [];
  for (let v = Math.ceil(lo / every) * every; v <= hi; v += every) out.push(v);
  return out;
}

// "x,y x,y ..." rounded to 0.1 unit; stops at the first point that is not finite; far points are
// pulled in to ±1e5 so that the browser draws the line towards them without overflowing. With `tol`
// (a device pixel in panel units) only the points of thin(px, py, tol, along) are written.
export function points(px, py, tol = 0, along = false) {
  return thin(px, py, tol, along).map((i) => `${clamp(px[i]).toFixed(1)},${clamp(py[i]).toFixed(1)}`).join(" ");
}

// The points to draw, about one per device pixel (tol panel units); the drawing stays within tol of
// every point. A path keeps its first and last point and every point farther than tol from the last
// one kept (each jump); a curve `along` x keeps, in every column tol wide, its first, lowest, highest
// and last point (each turn). The points themselves are never changed.
export function thin(px, py, tol = 0, along = false) {
  const keep = [], col = (i) => Math.floor(px[i] / tol);
  let n = 0;
  while (n < px.length && Number.isFinite(px[n]) && Number.isFinite(py[n])) n++;
  for (let i = 0, j = 0; i < n; i = ++j) {
    let lo = i, hi = i; // the points i..j, in one column or within tol of point i, give way to at most four
    while (tol > 0 && j + 2 < n && (along ? col(j + 1) === col(i) : (px[j + 1] - px[i]) ** 2 + (py[j + 1] - py[i]) ** 2 <= tol * tol)) {
      j++;
      if (py[j] < py[lo]) lo = j;
      if (py[j] > py[hi]) hi = j;
    }
    keep.push(...new Set(along ? [i, Math.min(lo, hi), Math.max(lo, hi), j] : [i]));
  }
  return keep;
}

export const clamp = (v) => Math.max(-1e5, Math.min(1e5, v));
