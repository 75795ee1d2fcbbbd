// The views of a live figure, each a draw(p) drawn again after every input: the paths on the
// contours, the loss curves, the error along each eigendirection, the map of momentum's rate
// and the legend. `fig` is the LiveFigure (runs, results, colours, start point).
import { arrows, pointer } from "./controls.js";
import { Plot, clamp, format, html, points, svg } from "./draw.js";
import { along, momentum_rate, rates } from "./theory.js";

export const W = 440, H = 380; // every panel's units; gdlib.live draws its pictures at this size (100 dpi)
const STAR = 12; // panel units around the rate map's star in which a click takes the best pair

const panel = (fig, parent, label) => svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "gl-drawn", role: "img",
  "aria-label": label }, html("figure", { class: "gl-panel" }, parent));

function stroke(fig, line, k) {
  line.setAttribute("stroke", fig.colour(k));
  line.setAttribute("stroke-dasharray", fig.dash(k));
  if (fig.nesterov(k) && line.nextSibling) line.parentNode.append(line); // the switched run on top
}

// The contours (gdlib.live's picture) with the paths over them, and the start point to drag.
export function path_view(fig, figure) {
  // The page shows gdlib's starting paths drawn into the picture; from now on the contours alone.
  const picture = figure.querySelector("img"), overlay = figure.querySelector("svg");
  let shown = -1;
  overlay.replaceChildren();
  overlay.removeAttribute("aria-hidden"); // it now holds the start point, which takes the focus
  const defs = svg("defs", {}, overlay), clipId = fig.id();
  const clip = svg("rect", {}, svg("clipPath", { id: clipId }, defs));
  const g = svg("g", { "clip-path": `url(#${clipId})` }, overlay);
  const paths = fig.runs.map(() => {
    const marker = svg("marker", { id: fig.id(), viewBox: "0 0 6 6", refX: 3, refY: 3, markerWidth: 6, markerHeight: 6,
      markerUnits: "userSpaceOnUse" }, defs);
    svg("circle", { cx: 3, cy: 3, r: 1.7 }, marker);
    return { marker, line: svg("polyline", { class: "gl-path-line" }, g), end: svg("circle", { r: 4.5 }, g) };
  });
  const minima = svg("g", { "aria-hidden": "true" }, overlay); // stars over the paths that end on them
  const start = svg("g", { class: "gl-start", tabindex: 0, role: "button", "aria-roledescription": "draggable point" },
    overlay);
  const hit = svg("circle", { r: 22, class: "gl-hit" }, start);
  svg("circle", { r: 7, class: "gl-dot" }, start);
  arrows(start, (dx, dy) => {
    const { step } = fig.problem();
    fig.move_start(fig.w0[0] + dx * step[0], fig.w0[1] + dy * step[1]);
  });
  pointer(overlay, {
    handle: start,
    onpoint: (x, y) => {
      const { box: [x0, y0, w, h], xlim, ylim } = fig.problem();
      fig.move_start(xlim[0] + ((x - x0) / w) * (xlim[1] - xlim[0]),
        ylim[0] + ((y0 + h - y) / h) * (ylim[1] - ylim[0]));
    },
  });
  return {
    draw(p) {
      const [x0, y0, w, h] = p.box;
      const sx = (v) => x0 + ((v - p.xlim[0]) / (p.xlim[1] - p.xlim[0])) * w;
      const sy = (v) => y0 + h - ((v - p.ylim[0]) / (p.ylim[1] - p.ylim[0])) * h;
      if (shown !== fig.current) {
        picture.setAttribute("src", p.picture);
        minima.replaceChildren();
        for (const [mx, my] of p.surface.minima) {
          svg("polygon", { points: star(sx(mx), sy(my)), fill: "#000", stroke: "#fff", "stroke-width": 1 }, minima);
        }
        shown = fig.current;
      }
      for (const [k, v] of Object.entries({ x: x0, y: y0, width: w, height: h })) clip.setAttribute(k, v);
      fig.results.forEach(({ h: { trajectory } }, k) => {
        const { marker, line, end } = paths[k], last = trajectory[trajectory.length - 1];
        // Dots at the iterates show the step sizes; on long paths they would merge into a band, and the
        // path is drawn with about one point per device pixel.
        const dots = trajectory.length <= 201;
        line.setAttribute("points", points(trajectory.map((v) => sx(v[0])), trajectory.map((v) => sy(v[1])),
          dots ? 0 : fig.px));
        stroke(fig, line, k);
        line.setAttribute("marker-mid", dots ? `url(#${marker.id})` : "none");
        marker.firstChild.setAttribute("fill", fig.colour(k));
        end.setAttribute("cx", clamp(sx(last[0])));
        end.setAttribute("cy", clamp(sy(last[1])));
        end.setAttribute("fill", fig.colour(k));
      });
      start.setAttribute("transform", `translate(${sx(fig.w0[0]).toFixed(1)},${sy(fig.w0[1]).toFixed(1)})`);
      const at = fig.w0.map((v) => format(v, 4)).join(", ");
      start.setAttribute("aria-label", `start point w0 = (${at}); the arrow keys move it`);
      // A finger needs 44 px: the hit circle grows when the panel is shown smaller than its units.
      hit.setAttribute("r", Math.max(22, 22 * fig.px * devicePixelRatio));
    },
  };
}

// The corners of a five-pointed star centred at (x, y), as gdlib.player draws the minima.
function star(x, y, outer = 7.5, inner = 3.2) {
  const corners = [];
  for (let k = 0; k < 10; k++) {
    const a = Math.PI / 2 + (k * Math.PI) / 5, r = k % 2 === 0 ? outer : inner;
    corners.push(`${(x + r * Math.cos(a)).toFixed(1)},${(y - r * Math.sin(a)).toFixed(1)}`);
  }
  return corners.join(" ");
}

// f(w_t) - f_min (or L(w_t) - L(w*) on data) on a log scale, against the step (or the epoch).
export function loss_view(fig, parent) {
  const data = fig.config.kind === "data", ylabel = fig.config.ylabel;
  const said = `${ylabel.replace(/[_^{}]/g, "")} against the ${data ? "epoch" : "step"}, log scale`;
  const plot = new Plot(panel(fig, parent, said), [84, 34, 340, 290], { id: fig.id(), ylabel,
    title: data ? "Gap to the least loss" : "Gap to the minimum value", xlabel: data ? "epoch" : "step t" });
  const lines = fig.runs.map(() => svg("polyline", { class: "gl-curve" }, plot.lines));
  return {
    draw() {
      const seen = fig.results.flatMap(({ gaps }) => gaps).filter((g) => Number.isFinite(g) && g > 0);
      const all = seen.length ? seen : [1e-16, 1];
      const lo = Math.floor(Math.log10(Math.min(...all)));
      const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.min(Math.max(...all), 1e300))));
      plot.scale({ lo: 0, hi: fig.xmax() }, { lo, hi, log: true });
      fig.results.forEach(({ xs, gaps }, k) => {
        plot.draw(lines[k], xs, gaps, fig.px);
        stroke(fig, lines[k], k);
      });
    },
  };
}

// q_i^T (w_t - w*), the error along each eigendirection of the Hessian, against the step. For gradient
// descent, dashed, the theory: ±|1 - αλ_i|^t |q_i^T e_0|, which its error follows exactly (chapter 2).
export function eigen_view(fig, parent) {
  const svgPanel = panel(fig, parent, "the error along each eigendirection of the Hessian against the step");
  const plots = [0, 1].map((i) => new Plot(svgPanel, [84, 34 + i * 172, 340, 118], {
    id: fig.id(), title: " ", ylabel: `q_${i + 1}^{T}(w_t − w^{*})`,
    xlabel: i === 1 ? (fig.config.kind === "data" ? "epoch" : "step t") : "",
  }));
  const bounds = plots.map((plot) => fig.runs.map(() => [1, -1].map(() => svg("polyline", { class: "gl-bound" },
    plot.lines))));
  const lines = plots.map((plot) => fig.runs.map(() => svg("polyline", { class: "gl-curve" }, plot.lines)));
  return {
    draw(p) {
      const errors = fig.results.map(({ h }) => along(h.trajectory, p.minimum, p.eigen.vectors));
      plots.forEach((plot, i) => {
        // Symmetric about 0, up to the largest error but at most 5 times the start's (blow-ups leave the plot).
        const cap = 5 * Math.max(...errors.map((e) => Math.abs(e[i][0]))) || Infinity;
        const top = Math.max(1e-12, ...errors.flatMap((e) => e[i].map(Math.abs).filter((v) => v <= cap)));
        plot.scale({ lo: 0, hi: fig.xmax() }, { lo: -1.08 * top, hi: 1.08 * top });
        plot.title.textContent = `Along q${"₁₂"[i]}, curvature λ${"₁₂"[i]} = ${format(p.eigen.values[i], 3)}`;
        errors.forEach((e, k) => {
          const { xs } = fig.results[k], run = fig.runs[k];
          plot.draw(lines[i][k], xs, e[i], fig.px);
          stroke(fig, lines[i][k], k);
          const theory = run.optimizer === "gd" && run.batch_size === null && rates(run, p.eigen.values);
          [1, -1].forEach((sign, j) => {
            const bound = bounds[i][k][j];
            bound.setAttribute("stroke", fig.colour(k));
            if (theory) plot.draw(bound, xs, xs.map((t) => sign * Math.abs(e[i][0]) * theory[i] ** t), fig.px);
            else bound.setAttribute("points", "");
          });
        });
      });
    },
  };
}

// The (α, β) map of momentum's ρ (gdlib.live's picture): a click, a drag or the arrow keys choose α and β.
export function rate_view(fig, figure) {
  const spec = fig.config.rate, overlay = figure.querySelector("svg"), [x0, y0, w, h] = spec.box;
  overlay.replaceChildren();
  overlay.removeAttribute("aria-hidden"); // it now takes the focus
  for (const [k, v] of Object.entries({ tabindex: 0, role: "group",
    "aria-label": "map of the rate: click it or use the arrow keys to choose α and β" })) overlay.setAttribute(k, v);
  const mark = svg("g", { class: "gl-mark" }, overlay);
  const across = svg("line", {}, mark), up = svg("line", {}, mark), dot = svg("circle", { r: 6 }, mark);
  const readout = html("p", { class: "gl-readout" }, figure);
  const at = (lr, beta) => [x0 + ((Math.log10(lr) - spec.x[0]) / (spec.x[1] - spec.x[0])) * w,
    y0 + h - ((-Math.log10(1 - beta) - spec.y[0]) / (spec.y[1] - spec.y[0])) * h];
  pointer(overlay, {
    onpoint: (x, y) => {
      const u = spec.y[0] + ((y0 + h - y) / h) * (spec.y[1] - spec.y[0]);
      let [lr, beta] = [10 ** (spec.x[0] + ((x - x0) / w) * (spec.x[1] - spec.x[0])), 1 - 10 ** -Math.max(u, 0)];
      // A click on the star (the best pair, a position of both sliders) takes the best pair itself.
      if (spec.best && Math.hypot(x - at(...spec.best)[0], y - at(...spec.best)[1]) <= STAR) [lr, beta] = spec.best;
      fig.sliders.lr.set(lr);
      fig.sliders.beta.set(beta);
      fig.take_sliders();
    },
  });
  arrows(overlay, (dx, dy) => {
    fig.sliders.lr.step(dx);
    fig.sliders.beta.step(dy);
    fig.take_sliders();
  });
  return {
    draw(p) {
      const run = fig.runs[spec.run], [x, y] = at(run.lr, run.beta);
      for (const [line, at] of [[across, [x0, x0 + w, y, y]], [up, [x, x, y0, y0 + h]]]) {
        ["x1", "x2", "y1", "y2"].forEach((k, i) => line.setAttribute(k, clamp(at[i])));
      }
      dot.setAttribute("cx", clamp(x));
      dot.setAttribute("cy", clamp(y));
      const rho = Math.max(...p.eigen.values.map((lambda) => momentum_rate(run.lr, run.beta, lambda, run.nesterov)));
      const tenfold = `about ${format(Math.log(10) / -Math.log(rho), 2)} steps per tenfold drop of the error`;
      readout.textContent = `α = ${format(run.lr)}, β = ${format(run.beta, 4)}: ρ = ${format(rho, 3)}, ` +
        (rho >= 1 ? "the error grows" : tenfold) +
        (run.nesterov ? " (with Nesterov's step; the map shows plain momentum)" : "");
    },
  };
}

// One line per run: its colour, its name, where it ended and, where the theory applies, its rate.
export function legend_view(fig, element) {
  return {
    draw(p) {
      element.replaceChildren();
      fig.results.forEach(({ h, gaps }, k) => {
        const row = html("div", {}, element);
        const swatch = svg("svg", { viewBox: "0 0 28 10", class: "gl-swatch", "aria-hidden": "true" }, row);
        stroke(fig, svg("line", { x1: 1, x2: 27, y1: 5, y2: 5 }, swatch), k);
        html("b", {}, row, `${fig.name(k)}: `);
        // A gap at rounding level is a bound, as in the players: its digits would be noise.
        const steps = h.step_losses.length, last = gaps[gaps.length - 1];
        const gap = last < 1e-12 ? " below 1e-12" : ` = ${format(last, 2)}`;
        if (h.diverged) text(row, `diverged after ${h.diverged_step} steps`);
        else if (fig.config.kind === "surface") text(row, `f(w_{${steps}}) − f_{min}${gap}`);
        else text(row, `L(w_{${steps}}) − L(w^{*})${gap} after ${fig.config.epochs} epochs (${steps} steps)`);
        const rho = p.eigen && fig.theory && rates(fig.runs[k], p.eigen.values);
        if (rho) {
          text(row, `; rate ρ = ${format(Math.max(...rho), 3)} per step ` +
            `(${rho.map((r) => format(r, 3)).join(" along q_{1}, ")} along q_{2})`);
        }
      });
    },
  };
}

// Text with _{sub} and ^{super} scripts, as HTML.
function text(parent, spec) {
  for (const [i, piece] of spec.split(/([_^]\{[^}]*\})/).entries()) {
    if (i % 2 === 0) parent.append(piece);
    else html(piece[0] === "_" ? "sub" : "sup", {}, parent, piece.slice(2, -1));
  }
}
