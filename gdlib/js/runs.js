// From a figure's settings (written by gdlib.live) to runs of the port: the data, the surfaces,
// the optimizers, and each run's History with its loss curve.
import {
  adagrad, adam, camel, gd, inverse_sqrt, inverse_time, loss_surface, matrix, momentum, mse, quadratic, rmsprop,
  rosenbrock, saddle, scheduled,
} from "./gdlib.js";
import { fit, minimize } from "./train.js";
import { eigen2 } from "./theory.js";

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
  return new Type(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer);
}

// The data of the settings: X, y and, per seed, the row order of each epoch that gdlib.fit draws.
export function dataset(spec) {
  const X = matrix(spec.n, spec.d, decode(spec.X, Float64Array)), y = decode(spec.y, Float64Array);
  const orders = {};
  for (const [seed, text] of Object.entries(spec.orders)) {
    const all = decode(text, spec.n < 65536 ? Uint16Array : Uint32Array);
    orders[seed] = Array.from({ length: all.length / spec.n }, (_, e) => all.subarray(e * spec.n, (e + 1) * spec.n));
  }
  return { X, y, orders };
}

// A surface of the settings ({kind: "quadratic", curvatures, angle}, ...), built by the port.
export function make_surface(s, data) {
  if (s.kind === "quadratic") return quadratic(s.curvatures, s.angle);
  if (s.kind === "rosenbrock") return rosenbrock(s.a, s.b);
  if (s.kind === "saddle") return saddle();
  if (s.kind === "camel") return camel();
  return loss_surface(mse, data.X, data.y); // "loss_surface" (run by minimize) and "data" (run by fit)
}

// A problem of the settings with its surface, minimum value, Hessian and eigendirections (quadratics, data).
export function problem(spec, data) {
  const surface = make_surface(spec.surface, data);
  const p = { ...spec, surface, fmin: Math.min(...surface.minima.map((m) => surface.value(m))) };
  p.minimum = surface.minima[0];
  p.hessian = surface.hessian;
  if (spec.surface.kind === "data") { // L(w) - L(w*) = ½ (w - w*)ᵀ H (w - w*) exactly: no cancellation near w*
    const [[a, b], [c, d]] = p.hessian, [m0, m1] = p.minimum;
    p.excess = ([w0, w1]) => {
      const e0 = w0 - m0, e1 = w1 - m1;
      return (e0 * (a * e0 + b * e1) + e1 * (c * e0 + d * e1)) / 2;
    };
  }
  if (p.hessian) p.eigen = eigen2(p.hessian);
  return p;
}

// One run: its History and its loss curve, xs (steps, or epochs on data) against gaps (f - f_min, L - L*).
export function compute(config, p, data, run, w0) {
  if (config.kind === "surface") {
    const h = minimize(p.surface, w0, optimizer(run), config.steps);
    return { h, xs: h.losses.map((_, t) => t), gaps: h.losses.map((f) => Math.max(f - p.fmin, 1e-16)) };
  }
  const h = fit(mse, w0, data.X, data.y, optimizer(run),
    { batch_size: run.batch_size, epochs: config.epochs, orders: data.orders[run.seed] });
  // steps per epoch
  const per = run.batch_size === null ? 1 : Math.ceil(data.y.length / run.batch_size);
  return { h, xs: h.trajectory.map((_, t) => t / per), gaps: h.trajectory.map((w) => Math.max(p.excess(w), 1e-16)) };
}
