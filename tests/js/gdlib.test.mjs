// The port of gdlib's math: one step of each update rule by hand, the schedules, the surfaces'
// gradients against central differences, the mean squared error and the least-squares weights.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  adagrad, adam, camel, constant, gd, gram, inverse_sqrt, inverse_time, least_squares, loss_surface, matrix, momentum,
  mse, quadratic, rmsprop, rosenbrock, rows, saddle, scheduled,
} from "../../gdlib/js/gdlib.js";

const close = (a, b, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);
const w = [1.0, -2.0], g = [0.5, 4.0];

test("gd: w_t = w_{t-1} - lr g_t", () => {
  const opt = gd(0.1);
  const [next, state] = opt.step(w, g, opt.init(w));
  assert.deepEqual(next, [1.0 - 0.1 * 0.5, -2.0 - 0.1 * 4.0]);
  assert.deepEqual(state, {});
  assert.deepEqual(w, [1.0, -2.0]); // nothing changed in place
});

test("momentum: v_t = beta v + (1 - beta) g, w_t = w - lr v_t; nesterov looks ahead", () => {
  const opt = momentum(0.1, 0.9);
  let [w1, s1] = opt.step(w, g, opt.init(w));
  assert.deepEqual(s1.v, [0.1 * 0.5, 0.1 * 4.0].map((x, i) => 0.9 * 0 + (1 - 0.9) * g[i]));
  [w1, s1] = opt.step(w1, g, s1);
  const v2 = s1.v;
  assert.deepEqual(v2, [0, 1].map((i) => 0.9 * ((1 - 0.9) * g[i]) + (1 - 0.9) * g[i]));
  const nest = momentum(0.1, 0.9, { nesterov: true });
  const [n1] = nest.step(w, g, nest.init(w));
  const v1 = g.map((gi) => (1 - 0.9) * gi);
  assert.deepEqual(n1, w.map((wi, i) => wi - 0.1 * (0.9 * v1[i] + (1 - 0.9) * g[i])));
  assert.equal(nest.hyperparams.nesterov, true);
  assert.equal(momentum(0.1).hyperparams.beta, 0.9); // gdlib's default
});

test("momentum with beta = 0 is gradient descent", () => {
  const a = momentum(0.3, 0.0), b = gd(0.3);
  assert.deepEqual(a.step(w, g, a.init(w))[0], b.step(w, g, b.init(w))[0]);
});

test("rmsprop and adagrad divide by the root of the (average) square, eps outside", () => {
  const r = rmsprop(0.01, 0.9, 1e-8);
  const [r1, rs] = r.step(w, g, r.init(w));
  const s = g.map((gi) => 0.9 * 0 + (1 - 0.9) * gi ** 2);
  assert.deepEqual(rs.s, s);
  assert.deepEqual(r1, w.map((wi, i) => wi - 0.01 * g[i] / (Math.sqrt(s[i]) + 1e-8)));
  const a = adagrad(0.1);
  let [a1, as] = a.step(w, g, a.init(w));
  [a1, as] = a.step(a1, g, as);
  assert.deepEqual(as.s, g.map((gi) => gi ** 2 + gi ** 2));
});

test("adam: bias-corrected moments; without correction the raw moments", () => {
  const opt = adam(0.1, 0.9, 0.999, 1e-8);
  const [a1, st] = opt.step(w, g, opt.init(w));
  assert.equal(st.t, 1);
  // After one step the corrected moments are g and g^2, so each weight moves by about lr.
  a1.forEach((x, i) => close(Math.abs(x - w[i]), 0.1, 1e-7));
  const raw = adam(0.1, 0.9, 0.999, 1e-8, { bias_correction: false });
  const [b1] = raw.step(w, g, raw.init(w));
  const m = g.map((gi) => (1 - 0.9) * gi), s = g.map((gi) => (1 - 0.999) * gi ** 2);
  assert.deepEqual(b1, w.map((wi, i) => wi - 0.1 * m[i] / (Math.sqrt(s[i]) + 1e-8)));
  assert.equal(raw.hyperparams.bias_correction, false);
});

test("bad hyperparameters are refused with the argument's name", () => {
  assert.throws(() => gd(0), /lr must be a finite number > 0/);
  assert.throws(() => momentum(0.1, 1.0), /beta must be in \[0, 1\)/);
  assert.throws(() => adam(0.1, 0.9, 0.999, -1), /eps/);
  assert.throws(() => inverse_time(0.1, 0), /tau/);
});

test("schedules: alpha_t for t = 1, 2, ...; scheduled runs make(alpha_t) at step t", () => {
  assert.equal(constant(0.1).rate(7), 0.1);
  assert.equal(inverse_time(0.1, 100).rate(1), 0.1);
  close(inverse_time(0.1, 100).rate(101), 0.05);
  close(inverse_sqrt(0.1, 100).rate(301), 0.05);
  const opt = scheduled(gd, inverse_time(0.1, 1));
  let state = opt.init(w), x = w;
  for (const t of [1, 2, 3]) {
    const [next, s] = opt.step(x, g, state);
    assert.deepEqual(next, gd(0.1 / (1 + (t - 1) / 1)).step(x, g, {})[0]);
    [x, state] = [next, s];
  }
  assert.equal(state.t, 3);
  assert.equal(opt.name, "gd");
});

test("surfaces: gradients agree with central differences; minima are minima", () => {
  const surfaces = [quadratic([1, 10], 30), rosenbrock(), saddle(), camel()];
  for (const s of surfaces) {
    for (const p of [[0.3, -0.7], [-1.1, 0.4], [0.9, 1.2]]) {
      const h = 1e-6, grad = s.grad(p);
      [0, 1].forEach((i) => {
        const up = [...p], down = [...p];
        up[i] += h;
        down[i] -= h;
        close(grad[i], (s.value(up) - s.value(down)) / (2 * h), 1e-6);
      });
    }
    for (const m of s.minima) s.grad(m).forEach((x) => close(x, 0, 1e-9));
  }
  const [[a, b], [c, d]] = quadratic([1, 10], 30).hessian; // R diag(1, 10) R^T, R turned by 30 degrees
  close(a, 0.75 + 10 * 0.25);
  close(d, 0.25 + 10 * 0.75);
  close(b, (1 - 10) * Math.sqrt(3) / 4);
  assert.equal(b, c);
  assert.deepEqual(quadratic([1, 100]).hessian, [[1, 0], [0, 100]]);
});

// Three points y = 1 + 2x exactly, and a fourth off the line.
const X = matrix(4, 2, Float64Array.from([1, 0, 1, 1, 1, 2, 1, 3])), y = Float64Array.from([1, 3, 5, 8]);

test("mse: L(w) = |X w - y|^2 / N and its gradient (2/N) X^T (X w - y)", () => {
  const [L, grad] = mse.value_and_grad([1, 2], X, y);
  assert.equal(L, 1 / 4);
  assert.deepEqual(grad, [2 / 4 * -1, 2 / 4 * -3]);
  assert.equal(mse.value([1, 2], X, y), L);
  const half = rows(X, 0, 2);
  assert.equal(half.n, 2);
  assert.equal(mse.value([1, 2], half, y.subarray(0, 2)), 0);
});

test("least_squares solves the normal equations; loss_surface is the same loss", () => {
  const best = least_squares(X, y);
  mse.value_and_grad(best, X, y)[1].forEach((x) => close(x, 0, 1e-12));
  assert.deepEqual(gram(X), [[4, 6], [6, 14]]);
  const s = loss_surface(mse, X, y);
  for (const p of [[0, 0], [1, 2], best]) close(s.value(p), mse.value(p, X, y), 1e-12);
  assert.deepEqual(s.grad([0.5, 0.5]), mse.value_and_grad([0.5, 0.5], X, y)[1]);
  assert.deepEqual(s.hessian, [[2, 3], [3, 7]]);
});
