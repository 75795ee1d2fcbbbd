// A live figure: reads the settings gdlib.live wrote into the page, runs the optimizers with the
// port of gdlib, draws the views and wires the controls. Every input event recomputes and redraws.
import {
  adagrad, adam, camel, constant, gd, gram, inverse_sqrt, inverse_time, least_squares, loss_surface, matrix,
  momentum, mse, quadratic, rmsprop, rosenbrock, saddle, scheduled,
} from "./gdlib.js";
import { fit, minimize } from "./train.js";
import { along, eigen2, momentum_rate, rates } from "./theory.js";
import { Plot, clamp, format, html, points, svg } from "./draw.js";
import { arrows, choice, pointer, slider, toggle } from "./controls.js";

const W = 440, H = 380; // every panel's units; pictures made by gdlib.live have this size at 100 dpi
const FACTORIES = {
  gd: () => (lr) => gd(lr),
  momentum: (r) => (lr) => momentum(lr, r.beta, { nesterov: r.nesterov }),
  adagrad: (r) => (lr) => adagrad(lr, r.eps),
  rmsprop: (r) => (lr) => rmsprop(lr, r.beta, r.eps),
  adam: (r) => (lr) => adam(lr, r.beta1, r.beta2, r.eps, { bias_correction: r.bias_correction }),
};
const SCHEDULES = { inverse_time, inverse_sqrt };

// The optimizer of a run's settings, as gdlib makes it: gd(lr), scheduled(rmsprop, inverse_time(lr, tau)), ...
export function optimizer(run) {
  const make = FACTORIES[run.optimizer](run);
  return run.schedule === "constant" ? make(run.lr) : scheduled(make, SCHEDULES[run.schedule](run.lr, run.tau));
}

// Bytes that numpy wrote little-endian ("<f8", "<u2", "<u4") back into a typed array.
export function decode(text, Type) {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return new Type(bytes.buffer);
}

// The data of a config: X, y and, per seed, the row order of each epoch.
export function dataset(spec) {
  const X = matrix(spec.n, spec.d, decode(spec.X, Float64Array)), y = decode(spec.y, Float64Array);
  const orders = {};
  for (const [seed, text] of Object.entries(spec.orders)) {
    const all = decode(text, spec.n < 65536 ? Uint16Array : Uint32Array);
    orders[seed] = Array.from({ length: all.length / spec.n }, (_, e) => all.subarray(e * spec.n, (e + 1) * spec.n));
  }
  return { X, y, orders };
}

// The surface of a config's spec ({kind: "quadratic", curvatures, angle}, ...), built by the port.
export function make_surface(s, data) {
  if (s.kind === "quadratic") return quadratic(s.curvatures, s.angle);
  if (s.kind === "rosenbrock") return rosenbrock(s.a, s.b);
  if (s.kind === "saddle") return saddle();
  if (s.kind === "camel") return camel();
  return loss_surface(mse, data.X, data.y); // "loss_surface" and "data"
}

// A problem of the config: its surface, minimum value, Hessian (quadratics, data) and eigendirections.
function problem(spec, data) {
  const s = spec.surface, surface = make_surface(s, data);
  const p = { ...spec, surface, fmin: Math.min(...surface.minima.map((m) => surface.value(m))) };
  if (s.kind === "data") { // L(w) - L(w*) = (w - w*)ᵀ (XᵀX / N) (w - w*): no cancellation near w*
    const A = gram(data.X).map((row) => row.map((v) => v / data.y.length)), best = least_squares(data.X, data.y);
    p.excess = (w) => {
      const e = [w[0] - best[0], w[1] - best[1]];
      return e[0] * (A[0][0] * e[0] + A[0][1] * e[1]) + e[1] * (A[1][0] * e[0] + A[1][1] * e[1]);
    };
    p.minimum = best;
    p.hessian = A.map((row) => row.map((v) => 2 * v)); // H = (2/N) XᵀX
  } else {
    p.minimum = surface.minima[0];
    p.hessian = surface.hessian;
  }
  if (p.hessian) p.eigen = eigen2(p.hessian);
  return p;
}

// One run: its History and its loss curve (xs, gaps) for the loss view.
export function compute(config, p, data, run, w0) {
  if (config.kind === "surface") {
    const h = minimize(p.surface, w0, optimizer(run), config.steps);
    return { h, xs: h.losses.map((_, t) => t), gaps: h.losses.map((f) => Math.max(f - p.fmin, 1e-16)) };
  }
  const h = fit(mse, w0, data.X, data.y, optimizer(run),
    { batch_size: run.batch_size, epochs: config.epochs, orders: data.orders[run.seed] });
  const per = run.batch_size === null ? 1 : Math.ceil(data.y.length / run.batch_size); // steps per epoch
  return { h, xs: h.trajectory.map((_, t) => t / per), gaps: h.trajectory.map((w) => Math.max(p.excess(w), 1e-16)) };
}

export class LiveFigure {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.data = config.data ? dataset(config.data) : null;
    this.problems = config.problems.map((spec) => problem(spec, this.data));
    this.current = 0;
    this.w0 = [...this.problems[0].w0];
    this.runs = config.runs.map((run) => ({ ...run }));
    this.ids = 0;
    const panels = root.querySelector(".gl-panels");
    for (const view of config.views) {
      if (view === "path") this.path_view(root.querySelector(".gl-path"));
      if (view === "loss") this.loss_view(panels);
      if (view === "eigen") this.eigen_view(panels);
      if (view === "rate") this.rate_view(root.querySelector(".gl-rate"));
    }
    this.legend = html("div", { class: "gl-legend", "aria-live": "polite" });
    panels.after(this.legend);
    this.controls_view();
    // In a notebook, JupyterLab takes arrow keys for moving between cells: keep those meant for a control.
    root.addEventListener("keydown", (event) => {
      if (/^(Arrow|Home$|End$|Page)/.test(event.key)) event.stopPropagation();
    });
    this.update();
  }

  id() {
    this.ids += 1;
    return `${this.root.id}-${this.ids}`;
  }

  colour(run) {
    const { optimizers, batches, index } = this.config.colors;
    if (run.color_by === "batch") return batches[run.batch_size === null ? "full" : run.batch_size] || "#000000";
    if (run.color_by === "index") return index[run.index];
    return optimizers[run.optimizer === "momentum" && run.nesterov ? "nesterov" : run.optimizer];
  }

  name(run) {
    if (run.label_by === "optimizer") return run.optimizer + (run.optimizer === "momentum" && run.nesterov ? " (nesterov)" : "");
    if (run.label_by === "batch") return run.batch_size === null ? `full batch, B = ${this.data.y.length}` : `B = ${run.batch_size}`;
    return run.label;
  }

  dash(k) { // a second run in the first one's colour is dashed
    return k > 0 && this.colour(this.runs[k]) === this.colour(this.runs[0]) ? "7 4" : "none";
  }

  // Contours (the picture from gdlib.live) with the paths drawn over them and the start point.
  path_view(figure) {
    this.picture = figure.querySelector("img");
    this.problems[0].picture = this.picture.getAttribute("src"); // the others come with the settings
    this.shown = 0;
    const overlay = figure.querySelector("svg");
    overlay.replaceChildren();
    overlay.removeAttribute("aria-hidden"); // it now holds the start point, which takes the focus
    const defs = svg("defs", {}, overlay);
    const clip = svg("rect", {}, svg("clipPath", { id: this.id() }, defs));
    const g = svg("g", { "clip-path": `url(#${clip.parentNode.id})` }, overlay);
    this.paths = this.runs.map(() => {
      const marker = svg("marker", { id: this.id(), viewBox: "0 0 6 6", refX: 3, refY: 3, markerWidth: 6, markerHeight: 6,
        markerUnits: "userSpaceOnUse" }, defs);
      svg("circle", { cx: 3, cy: 3, r: 1.7 }, marker);
      return { marker, line: svg("polyline", { class: "gl-path-line" }, g), end: svg("circle", { r: 4.5 }, g) };
    });
    const start = svg("g", { class: "gl-start", tabindex: 0, role: "button", "aria-roledescription": "draggable point" }, overlay);
    svg("circle", { r: 22, class: "gl-hit" }, start);
    svg("circle", { r: 7, class: "gl-dot" }, start);
    arrows(start, (dx, dy) => this.move_start(this.w0[0] + dx * this.problem().step[0], this.w0[1] + dy * this.problem().step[1]));
    pointer(overlay, {
      handle: start,
      onpoint: (x, y) => {
        const p = this.problem(), [x0, y0, w, h] = p.box;
        this.move_start(p.xlim[0] + ((x - x0) / w) * (p.xlim[1] - p.xlim[0]), p.ylim[0] + ((y0 + h - y) / h) * (p.ylim[1] - p.ylim[0]));
      },
    });
    this.overlay = { overlay, clip, start };
  }

  problem() { return this.problems[this.current]; }

  xmax() { return this.config.kind === "surface" ? this.config.steps : this.config.epochs; }

  // Snap the start to the problem's grid (the shown value is the used value), keep it in view, rerun.
  move_start(a, b) {
    const p = this.problem();
    this.w0 = [a, b].map((v, i) => {
      const lim = i === 0 ? p.xlim : p.ylim, inside = Math.min(lim[1], Math.max(lim[0], v));
      return Number((Math.round(inside / p.step[i]) * p.step[i]).toFixed(p.decimals[i]));
    });
    this.update();
  }

  loss_view(panels) {
    const panel = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "gl-drawn", role: "img" }, html("figure", { class: "gl-panel" }, panels));
    const data = this.config.kind === "data";
    this.loss = new Plot(panel, [84, 34, 340, 290], {
      id: this.id(), title: data ? "Distance to the least loss" : "Distance to the minimum value",
      xlabel: data ? "epoch" : "step t", ylabel: this.config.ylabel,
    });
    panel.setAttribute("aria-label", `${this.config.ylabel.replace(/[_^{}]/g, "")} against the ${data ? "epoch" : "step"}, log scale`);
    this.loss_lines = this.runs.map(() => svg("polyline", { class: "gl-curve" }, this.loss.lines));
  }

  eigen_view(panels) {
    const panel = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "gl-drawn", role: "img" }, html("figure", { class: "gl-panel" }, panels));
    panel.setAttribute("aria-label", "the error along each eigendirection of the Hessian against the step");
    this.eigen = [0, 1].map((i) => new Plot(panel, [84, 34 + i * 172, 340, 118], {
      id: this.id(), xlabel: i === 1 ? (this.config.kind === "data" ? "epoch" : "step t") : "", ylabel: `q_${i + 1}^{T}(w_t − w^{*})`, title: " ",
    }));
    this.eigen_lines = this.eigen.map((plot) => this.runs.map(() => svg("polyline", { class: "gl-curve" }, plot.lines)));
  }

  // The (α, β) map of ρ made by gdlib.live; a click, a drag or the arrow keys choose α and β.
  rate_view(figure) {
    const spec = this.config.rate, overlay = figure.querySelector("svg");
    overlay.replaceChildren();
    overlay.setAttribute("tabindex", 0);
    overlay.setAttribute("role", "group");
    overlay.setAttribute("aria-label", "map of the rate: click or use the arrow keys to choose α and β");
    const mark = svg("g", { class: "gl-mark" }, overlay);
    this.rate = { spec, h: svg("line", {}, mark), v: svg("line", {}, mark), dot: svg("circle", { r: 6 }, mark) };
    this.rate.text = html("p", { class: "gl-readout" }, figure);
    const [x0, y0, w, h] = spec.box;
    pointer(overlay, {
      onpoint: (x, y) => {
        const lr = 10 ** (spec.x[0] + ((x - x0) / w) * (spec.x[1] - spec.x[0]));
        const u = spec.y[0] + ((y0 + h - y) / h) * (spec.y[1] - spec.y[0]);
        this.sliders.lr.control.set(lr);
        this.sliders.beta.control.set(1 - 10 ** -Math.max(u, 0));
        this.set_rate_run();
      },
    });
    arrows(overlay, (dx, dy) => {
      this.sliders.lr.control.step(dx);
      this.sliders.beta.control.step(dy);
      this.set_rate_run();
    });
  }

  set_rate_run() { // as if the reader had moved the two sliders
    for (const { control, spec } of Object.values(this.sliders)) {
      for (const k of spec.runs) this.runs[k][spec.name] = control.value;
    }
    this.update();
  }

  controls_view() {
    const box = html("div", { class: "gl-controls" });
    this.legend.after(box);
    this.sliders = {};
    this.taus = []; // a schedule's τ matters only once a decaying schedule is chosen
    for (const spec of this.config.controls) {
      const set = (value) => {
        if (spec.name === "surface") {
          this.current = value;
          this.w0 = [...this.problem().w0];
        }
        for (const k of spec.runs) this.runs[k][spec.name] = value;
        this.update();
      };
      if (spec.name === "batch_size") spec.show = (B) => (B === null ? `full, ${this.data.y.length}` : String(B));
      const kind = { list: slider, log: slider, decay: slider, choice, toggle }[spec.scale];
      const control = kind(box, spec, set);
      if (spec.key) this.sliders[spec.key] = { control, spec };
      if (spec.name === "tau") this.taus.push({ control, spec });
    }
  }

  update() {
    const t0 = performance.now();
    const p = this.problem();
    this.results = this.runs.map((run) => compute(this.config, p, this.data, run, this.w0));
    if (this.paths) this.draw_paths(p);
    if (this.loss) this.draw_loss();
    if (this.eigen) this.draw_eigen(p);
    if (this.rate) this.draw_rate(p);
    this.draw_legend(p);
    for (const { control, spec } of this.taus) control.input.disabled = spec.runs.every((k) => this.runs[k].schedule === "constant");
    this.ms = performance.now() - t0;
  }

  draw_paths(p) {
    const [x0, y0, w, h] = p.box;
    const sx = (v) => x0 + ((v - p.xlim[0]) / (p.xlim[1] - p.xlim[0])) * w;
    const sy = (v) => y0 + h - ((v - p.ylim[0]) / (p.ylim[1] - p.ylim[0])) * h;
    if (this.shown !== this.current) {
      this.picture.setAttribute("src", p.picture);
      this.shown = this.current;
    }
    const { clip, start } = this.overlay;
    for (const [k, v] of Object.entries({ x: x0, y: y0, width: w, height: h })) clip.setAttribute(k, v);
    this.results.forEach(({ h: history }, k) => {
      const path = history.trajectory, { line, end } = this.paths[k], colour = this.colour(this.runs[k]);
      line.setAttribute("points", points(path.map((v) => sx(v[0])), path.map((v) => sy(v[1]))));
      line.setAttribute("stroke", colour);
      line.setAttribute("stroke-dasharray", this.dash(k));
      // Dots at the iterates show the step sizes; on long paths they would merge into a band.
      line.setAttribute("marker-mid", path.length <= 201 ? `url(#${this.paths[k].marker.id})` : "none");
      this.paths[k].marker.firstChild.setAttribute("fill", colour);
      const last = path[path.length - 1];
      end.setAttribute("cx", clamp(sx(last[0])));
      end.setAttribute("cy", clamp(sy(last[1])));
      end.setAttribute("fill", colour);
    });
    start.setAttribute("transform", `translate(${sx(this.w0[0]).toFixed(1)},${sy(this.w0[1]).toFixed(1)})`);
    start.setAttribute("aria-label", `start point w_0 = (${this.w0.map((v) => format(v, 4)).join(", ")}); arrow keys move it`);
    // A finger needs 44 px: the hit circle grows when the panel is shown smaller than its units.
    const shown = this.overlay.overlay.getBoundingClientRect().width;
    start.firstChild.setAttribute("r", shown > 0 ? Math.max(22, (22 * W) / shown) : 22);
  }

  draw_loss() {
    const seen = this.results.flatMap(({ gaps }) => gaps).filter((g) => Number.isFinite(g) && g > 0);
    const all = seen.length ? seen : [1e-16, 1];
    const lo = Math.floor(Math.log10(Math.min(...all))), hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.min(Math.max(...all), 1e300))));
    this.loss.scale({ lo: 0, hi: this.xmax() }, { lo, hi, log: true });
    this.results.forEach(({ xs, gaps }, k) => {
      const line = this.loss_lines[k];
      this.loss.draw(line, xs, gaps);
      line.setAttribute("stroke", this.colour(this.runs[k]));
      line.setAttribute("stroke-dasharray", this.dash(k));
    });
  }

  draw_eigen(p) {
    const { values, vectors } = p.eigen;
    const errors = this.results.map(({ h }) => along(h.trajectory, p.minimum, vectors));
    this.eigen.forEach((plot, i) => {
      // Symmetric about 0, up to the largest error seen but at most 5 times the start's (blow-ups leave the plot).
      const cap = 5 * Math.max(...errors.map((e) => Math.abs(e[i][0]))) || Infinity;
      const top = Math.max(1e-12, ...errors.flatMap((e) => e[i].map(Math.abs).filter((v) => v <= cap)));
      plot.scale({ lo: 0, hi: this.xmax() }, { lo: -1.08 * top, hi: 1.08 * top });
      plot.title.textContent = "";
      plot.title.append(`Along q${"₁₂"[i]}, curvature λ${"₁₂"[i]} = ${format(values[i], 3)}`);
      errors.forEach((e, k) => {
        const line = this.eigen_lines[i][k];
        plot.draw(line, this.results[k].xs, e[i]);
        line.setAttribute("stroke", this.colour(this.runs[k]));
        line.setAttribute("stroke-dasharray", this.dash(k));
      });
    });
  }

  draw_rate(p) {
    const { spec, h, v, dot, text } = this.rate, run = this.runs[spec.run], [x0, y0, w, bh] = spec.box;
    const x = x0 + ((Math.log10(run.lr) - spec.x[0]) / (spec.x[1] - spec.x[0])) * w;
    const y = y0 + bh - ((-Math.log10(1 - run.beta) - spec.y[0]) / (spec.y[1] - spec.y[0])) * bh;
    for (const [line, a] of [[h, { x1: x0, x2: x0 + w, y1: y, y2: y }], [v, { x1: x, x2: x, y1: y0, y2: y0 + bh }]]) {
      for (const [k, val] of Object.entries(a)) line.setAttribute(k, clamp(val));
    }
    dot.setAttribute("cx", clamp(x));
    dot.setAttribute("cy", clamp(y));
    const rho = Math.max(...p.eigen.values.map((lambda) => momentum_rate(run.lr, run.beta, lambda, run.nesterov)));
    text.textContent = `α = ${format(run.lr)}, β = ${format(run.beta, 4)}: ρ = ${format(rho, 3)}, ` +
      (rho >= 1 ? "the error grows" : `about ${format(Math.log(10) / -Math.log(rho), 2)} steps per tenfold drop of the error`) +
      (run.nesterov ? " (with Nesterov's step; the map shows plain momentum)" : "");
  }

  draw_legend(p) {
    this.legend.replaceChildren();
    this.results.forEach(({ h, gaps }, k) => {
      const run = this.runs[k], row = html("div", {}, this.legend);
      const swatch = svg("svg", { viewBox: "0 0 28 10", class: "gl-swatch", "aria-hidden": "true" }, row);
      svg("line", { x1: 1, x2: 27, y1: 5, y2: 5, stroke: this.colour(run), "stroke-dasharray": this.dash(k) }, swatch);
      html("b", {}, row, `${this.name(run)}: `);
      const steps = h.step_losses.length, gap = format(gaps[gaps.length - 1], 2);
      if (h.diverged) text(row, `diverged after ${h.diverged_step} steps`);
      else if (this.config.kind === "surface") text(row, `f(w_{${steps}}) − f_{min} = ${gap}`);
      else text(row, `L(w_{${steps}}) − L(w^{*}) = ${gap} after ${this.config.epochs} epochs (${steps} steps)`);
      const rho = p.eigen && (this.eigen || this.rate) && rates(run, p.eigen.values);
      if (rho) text(row, `; rate ρ = ${format(Math.max(...rho), 3)} per step (${rho.map((r) => format(r, 3)).join(" along q_{1}, ")} along q_{2})`);
    });
  }
}

// Text with _{sub} and ^{super} scripts as HTML.
function text(parent, spec) {
  for (const [i, piece] of spec.split(/([_^]\{[^}]*\})/).entries()) {
    if (i % 2 === 0) parent.append(piece);
    else html(piece[0] === "_" ? "sub" : "sup", {}, parent, piece.slice(2, -1));
  }
}


export const figures = [];

// Bring every figure of the page to life that is not yet live (each output calls this).
export function mountAll(doc = document) {
  for (const root of doc.querySelectorAll(".gdlib-live:not([data-live])")) {
    root.setAttribute("data-live", "");
    try {
      figures.push(new LiveFigure(root, JSON.parse(root.querySelector("script.gl-config").textContent)));
      root.classList.add("gl-on");
    } catch (error) {
      root.setAttribute("data-error", String(error));
      console.error("gdlib live figure:", error);
    }
  }
  return figures;
}
