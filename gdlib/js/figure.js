// A live figure: the settings gdlib.live wrote into the page, the runs they ask for, the views that
// show them and the controls that change them. Every input event recomputes and redraws at once.
import { choice, slider, toggle } from "./controls.js";
import { html } from "./draw.js";
import { compute, dataset, problem } from "./runs.js";
import { W, eigen_view, legend_view, loss_view, path_view, rate_view } from "./views.js";

export class LiveFigure {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.data = config.data ? dataset(config.data) : null;
    this.problems = config.problems.map((spec) => problem(spec, this.data));
    this.current = 0; // which problem (surface) is shown
    this.w0 = [...this.problems[0].w0];
    this.runs = config.runs.map((run) => ({ ...run }));
    this.ids = 0;
    this.theory = config.views.includes("eigen") || config.views.includes("rate"); // rates in the legend
    const panels = root.querySelector(".gl-panels");
    const legend = html("div", { class: "gl-legend" });
    panels.after(legend);
    // A screen reader hears the legend once the reader pauses, not at every step of a drag.
    this.status = html("p", { class: "gl-status", "aria-live": "polite" }, root);
    this.controls_view(legend);
    const make = { path: () => path_view(this, root.querySelector(".gl-path")), loss: () => loss_view(this, panels),
      eigen: () => eigen_view(this, panels), rate: () => rate_view(this, root.querySelector(".gl-rate")) };
    this.views = [...config.views.map((view) => make[view]()), legend_view(this, legend)];
    // In a notebook, JupyterLab takes the arrow keys to move between cells: keep those meant for a control.
    root.addEventListener("keydown", (event) => {
      if (/^(Arrow|Home$|End$|Page)/.test(event.key)) event.stopPropagation();
    });
    this.px = 0.5; // a device pixel in panel units, the precision of the drawing (measured as the page lays out)
    this.update();
    new ResizeObserver(([entry]) => {
      const width = entry.contentRect.width * devicePixelRatio;
      if (!width) return;
      this.px = W / width;
      for (const view of this.views) view.draw(this.problem());
    }).observe(root.querySelector(".gl-path"));
  }

  id() { // unique within the page, and the same each time the page loads
    this.ids += 1;
    return `${this.root.id}-${this.ids}`;
  }

  problem() { return this.problems[this.current]; }

  xmax() { return this.config.kind === "surface" ? this.config.steps : this.config.epochs; }

  // The book's colour of run k: by its batch size or its optimizer (gdlib.live decides which).
  colour(k) {
    const run = this.runs[k], { optimizers, batches } = this.config.colors;
    if (run.color_by === "batch") return batches[run.batch_size === null ? "full" : run.batch_size] || "#000000";
    return optimizers[this.nesterov(k) ? "nesterov" : run.optimizer];
  }

  nesterov(k) { return this.runs[k].optimizer === "momentum" && this.runs[k].nesterov; }

  dash(k) { // dashed: a second run in the first one's colour, and momentum with Nesterov's look-ahead
    return (k > 0 && this.colour(k) === this.colour(0)) || this.nesterov(k) ? "7 4" : "none";
  }

  // What run k now is: its label (with Nesterov's look-ahead said), its optimizer or batch size where a
  // control chooses them, and its schedule once the reader picked another one than the label's.
  // (The controls of a run leave Nesterov out: the switch says it.)
  name(k, control = false) {
    const run = this.runs[k], schedule = run.schedule !== this.config.runs[k].schedule;
    const nesterov = !control && this.nesterov(k) && (run.label_by === "optimizer" || !/nesterov/i.test(run.label));
    if (run.label_by === "batch") return run.batch_size === null ? `the full batch, B = ${this.data.y.length}` : `B = ${run.batch_size}`;
    return (run.label_by === "optimizer" ? run.optimizer : schedule ? this.config.schedules[run.schedule] : run.label) +
      (nesterov ? " (Nesterov)" : "");
  }

  // Snap the start to the problem's grid (the value shown is the value used), keep it in view, rerun.
  move_start(a, b) {
    const p = this.problem();
    this.w0 = [a, b].map((v, i) => {
      const [lo, hi] = i === 0 ? p.xlim : p.ylim, inside = Math.min(hi, Math.max(lo, v));
      return Number((Math.round(inside / p.step[i]) * p.step[i]).toFixed(p.decimals[i]));
    });
    this.update();
  }

  // The controls, each setting its runs (or the surface) and recomputing.
  controls_view(legend) {
    const box = html("div", { class: "gl-controls" });
    legend.after(box);
    this.sliders = {}; // the lr and beta sliders that the rate map moves
    this.bound = [];
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
      const control = { list: slider, log: slider, decay: slider, choice, toggle }[spec.scale](box, spec, set);
      control.name = control.input.parentNode.querySelector(".gl-name"); // "(run)" in it follows the run's name
      if (spec.key) this.sliders[spec.key] = control;
      this.bound.push({ control, spec });
    }
  }

  take_sliders() { // after the rate map moved the sliders: as if the reader had moved them
    for (const { control, spec } of this.bound) {
      if (spec.key) for (const k of spec.runs) this.runs[k][spec.name] = control.value;
    }
    this.update();
  }

  results_of(p) { return this.runs.map((run) => compute(this.config, p, this.data, run, this.w0)); }

  update() {
    const t0 = performance.now(), p = this.problem();
    this.results = this.results_of(p);
    for (const view of this.views) view.draw(p);
    clearTimeout(this.quiet);
    this.quiet = setTimeout(() => { this.status.textContent = this.root.querySelector(".gl-legend").textContent; }, 800);
    for (const { control, spec } of this.bound) {
      // a schedule's τ matters only once a decaying schedule is chosen
      if (spec.name === "tau") control.input.disabled = spec.runs.every((k) => this.runs[k].schedule === "constant");
      if (spec.of !== undefined) control.name.textContent = `${spec.text} (${this.name(spec.of, true)})`;
    }
    this.ms = performance.now() - t0;
  }
}

export const figures = [];

// Bring to life every figure of the page that is not live yet (each figure's script calls this).
export function mountAll(doc = document) {
  for (let k = figures.length - 1; k >= 0; k--) if (!figures[k].root.isConnected) figures.splice(k, 1); // re-run cells
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
