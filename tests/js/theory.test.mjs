// Eigendirections and rates against the iteration itself.
import assert from "node:assert/strict";
import { test } from "node:test";

import { gd, momentum, quadratic } from "../../gdlib/js/gdlib.js";
import { along, eigen2, gd_rate, momentum_rate, rates } from "../../gdlib/js/theory.js";
import { minimize } from "../../gdlib/js/train.js";

const close = (a, b, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);

test("eigen2: ascending eigenvalues, unit eigenvectors", () => {
  const matrices = [[[1, 0], [0, 10]], [[10, 0], [0, 1]], quadratic([1, 10], 30).hessian, [[2, 1], [1, 2]],
    [[3, 0], [0, 3]]];
  for (const H of matrices) {
    const { values, vectors } = eigen2(H);
    assert.ok(values[0] <= values[1]);
    vectors.forEach((q, i) => {
      close(Math.hypot(...q), 1);
      const Hq = [H[0][0] * q[0] + H[0][1] * q[1], H[1][0] * q[0] + H[1][1] * q[1]];
      Hq.forEach((x, j) => close(x, values[i] * q[j]));
    });
  }
  const { values } = eigen2(quadratic([1, 10], 30).hessian);
  close(values[0], 1);
  close(values[1], 10);
});

// The measured rate along one curvature: the largest |e_t| near the end of a long run against the
// largest near its middle, to the power 2 / T (windows of 100 steps cover the oscillations' phases).
function measured(optimizer, lambda, predicted) {
  const T = 2 * Math.ceil(50 / -Math.log10(predicted)) + 200, window = 100; // the error falls 1e100-fold
  const size = minimize(quadratic([lambda, lambda]), [1, 1], optimizer, T).trajectory.map((w) => Math.hypot(...w));
  const top = (end) => Math.max(...size.slice(end - window, end + 1));
  return (top(T) / top(T / 2)) ** (2 / T);
}

test("gradient descent shrinks the error by |1 - alpha lambda| per step", () => {
  assert.equal(gd_rate(0.05, 10), 0.5);
  close(measured(gd(0.05), 10, 0.5), 0.5, 1e-9);
  close(measured(gd(0.15), 10, 0.5), 0.5, 1e-9);
});

test("momentum's rho is the iteration's: complex roots give sqrt(beta), real roots the larger one", () => {
  for (const [alpha, beta, lambda] of [[0.05, 0.9, 10], [0.01, 0.5, 1], [0.3, 0.2, 1]]) {
    const rho = momentum_rate(alpha, beta, lambda), nesterov = momentum_rate(alpha, beta, lambda, true);
    close(measured(momentum(alpha, beta), lambda, rho), rho, 1e-3);
    close(measured(momentum(alpha, beta, { nesterov: true }), lambda, nesterov), nesterov, 1e-3);
  }
  close(momentum_rate(0.05, 0.9, 10), Math.sqrt(0.9)); // (1 + beta - alpha(1-beta)lambda)^2 < 4 beta
  assert.equal(momentum_rate(0.05, 0, 10), gd_rate(0.05, 10)); // beta = 0 is gradient descent
  assert.ok(momentum_rate(4, 0.9, 10) > 1); // past 2 (1 + beta) / ((1 - beta) lambda)
});

test("rates and along: per direction, for the runs the theory covers", () => {
  const run = { optimizer: "gd", lr: 0.05, schedule: "constant" };
  assert.deepEqual(rates(run, [1, 10]), [0.95, 0.5]);
  assert.equal(rates({ ...run, optimizer: "adam" }, [1, 10]), null);
  assert.equal(rates({ ...run, schedule: "inverse_time" }, [1, 10]), null);
  const errors = along([[1, 2], [3, 4]], [1, 1], [[1, 0], [0, 1]]);
  assert.deepEqual(errors, [[0, 2], [1, 3]]);
});
