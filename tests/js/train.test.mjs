// The training loop: steps and losses as gdlib counts them, divergence handling, batches and epochs.
import assert from "node:assert/strict";
import { test } from "node:test";

import { gd, loss_surface, matrix, momentum, mse, quadratic, rosenbrock } from "../../gdlib/js/gdlib.js";
import { EXPLODE, fit, minimize } from "../../gdlib/js/train.js";

test("minimize: steps + 1 points, losses[t] = f(w_t)", () => {
  const bowl = quadratic([1, 10]);
  const h = minimize(bowl, [-1.5, 1.5], gd(0.05), 40);
  assert.equal(h.trajectory.length, 41);
  assert.equal(h.step_losses.length, 40);
  h.trajectory.forEach((w, t) => assert.equal(h.losses[t], bowl.value(w)));
  assert.equal(h.diverged, false);
  assert.equal(h.diverged_step, null);
  assert.deepEqual(h.w, h.trajectory[40]);
});

test("a finite blow-up stops with the last point kept", () => {
  const bowl = quadratic([1, 10]);
  const h = minimize(bowl, [1, 1], gd(0.25), 1000); // |1 - 0.25 * 10| = 1.5 > 1: grows 2.25-fold per step
  assert.equal(h.diverged, true);
  const last = h.losses[h.losses.length - 1];
  assert.ok(last > EXPLODE * Math.max(h.losses[0], 1) && Number.isFinite(last));
  assert.equal(h.diverged_step, h.trajectory.length - 1);
  assert.ok(h.losses.slice(0, -1).every((f) => f <= EXPLODE * Math.max(h.losses[0], 1)));
});

test("an infinite blow-up steps back to the last finite point", () => {
  const h = minimize(rosenbrock(), [-1.2, 1.0], gd(1e100), 100); // f(w_1) overflows to infinity
  assert.equal(h.diverged, true);
  assert.equal(h.diverged_step, 1);
  assert.deepEqual(h.trajectory, [[-1.2, 1.0]]);
  assert.deepEqual(h.w, [-1.2, 1.0]);
  assert.equal(h.losses.length, 1);
  const finite = minimize(rosenbrock(), [-1.2, 1.0], gd(0.01), 100); // blows up to 2.5e12: kept
  assert.equal(finite.trajectory.length, finite.diverged_step + 1);
});

// y = 1 + 2x + a little noise, five points
const X = matrix(5, 2, Float64Array.from([1, 0, 1, 0.5, 1, 1, 1, 1.5, 1, 2]));
const y = Float64Array.from([1.1, 1.9, 3.05, 4.0, 4.95]);

test("fit with the full batch takes the path of minimize on the loss surface", () => {
  const a = fit(mse, [0, 0], X, y, momentum(0.1, 0.9), { epochs: 30 });
  const b = minimize(loss_surface(mse, X, y), [0, 0], momentum(0.1, 0.9), 30);
  assert.deepEqual(a.trajectory, b.trajectory);
  assert.equal(a.losses.length, 31);
});

test("mini-batches follow the given row orders; the last batch holds the leftovers", () => {
  const orders = [Uint16Array.from([4, 0, 3, 1, 2]), Uint16Array.from([1, 2, 3, 4, 0])];
  const h = fit(mse, [0, 0], X, y, gd(0.1), { batch_size: 2, epochs: 2, orders });
  assert.equal(h.step_losses.length, 2 * 3); // ceil(5 / 2) steps per epoch
  assert.equal(h.losses.length, 3);
  // The first step uses rows 4 and 0, the third (the leftover) row 2 alone.
  const pick = (idx) => [ // the rows idx of X and y
    matrix(idx.length, 2, Float64Array.from(idx.flatMap((i) => [X.data[2 * i], X.data[2 * i + 1]]))),
    Float64Array.from(idx.map((i) => y[i]))];
  const [L1, g1] = mse.value_and_grad([0, 0], ...pick([4, 0]));
  assert.equal(h.step_losses[0], L1);
  assert.deepEqual(h.trajectory[1], [0 - 0.1 * g1[0], 0 - 0.1 * g1[1]]);
  assert.equal(h.step_losses[2], mse.value(h.trajectory[2], ...pick([2])));
  assert.equal(h.losses[1], mse.value(h.trajectory[3], X, y));
});

test("fit refuses mini-batches without the row orders of every epoch", () => {
  const orders = [[0, 1, 2, 3, 4]]; // one epoch's order, for two epochs
  assert.throws(() => fit(mse, [0, 0], X, y, gd(0.1), { batch_size: 2, epochs: 2, orders }), /row order/);
});

test("a stochastic blow-up is caught on the batch loss", () => {
  const orders = [Uint16Array.from([0, 1, 2, 3, 4])];
  const h = fit(mse, [0, 0], X, y, gd(50), { batch_size: 1, epochs: 1, orders });
  assert.equal(h.diverged, true);
  assert.ok(h.diverged_step < 5);
  assert.equal(h.trajectory.length, h.step_losses.length + 1);
});
