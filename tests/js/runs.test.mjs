// From settings to runs: optimizers from a run's settings, data from base64, a run and its loss curve.
import assert from "node:assert/strict";
import { test } from "node:test";

import { compute, dataset, decode, optimizer, problem } from "../../gdlib/js/runs.js";
import { adam, gd, inverse_time, matrix, momentum, mse, quadratic, rmsprop, scheduled } from "../../gdlib/js/gdlib.js";
import { minimize } from "../../gdlib/js/train.js";

const base = { beta: 0.9, beta1: 0.9, beta2: 0.999, eps: 1e-8, nesterov: false, bias_correction: true,
  schedule: "constant", tau: 100 };
const path = (opt) => minimize(quadratic([1, 10], 30), [-1.5, 1.5], opt, 50).trajectory;

test("optimizer(run) builds gdlib's optimizer from a run's settings", () => {
  assert.deepEqual(path(optimizer({ ...base, optimizer: "gd", lr: 0.1 })), path(gd(0.1)));
  assert.deepEqual(path(optimizer({ ...base, optimizer: "momentum", lr: 0.05, beta: 0.8, nesterov: true })),
    path(momentum(0.05, 0.8, { nesterov: true })));
  assert.deepEqual(path(optimizer({ ...base, optimizer: "adam", lr: 0.05, bias_correction: false })),
    path(adam(0.05, 0.9, 0.999, 1e-8, { bias_correction: false })));
  assert.deepEqual(path(optimizer({ ...base, optimizer: "rmsprop", lr: 0.01, schedule: "inverse_time", tau: 20 })),
    path(scheduled((lr) => rmsprop(lr, 0.9, 1e-8), inverse_time(0.01, 20))));
});

test("decode reads numpy's little-endian bytes", () => {
  const bytes = Buffer.from(new Float64Array([1.5, -2, 1e-300]).buffer).toString("base64");
  assert.deepEqual([...decode(bytes, Float64Array)], [1.5, -2, 1e-300]);
  const data = dataset({ n: 3, d: 2, X: Buffer.from(new Float64Array([1, 0, 1, 1, 1, 2]).buffer).toString("base64"),
    y: Buffer.from(new Float64Array([0, 1, 2]).buffer).toString("base64"),
    orders: { 0: Buffer.from(new Uint16Array([2, 0, 1, 0, 1, 2]).buffer).toString("base64") } });
  assert.deepEqual(data.orders[0].map((o) => [...o]), [[2, 0, 1], [0, 1, 2]]);
  assert.equal(data.X.n, 3);
});

test("compute: a run's history and its loss curve above the floor", () => {
  const p = { surface: quadratic([1, 10]), fmin: 0 };
  const run = { ...base, optimizer: "gd", lr: 0.1 };
  const { h, xs, gaps } = compute({ kind: "surface", steps: 30 }, p, null, run, [1, 1]);
  assert.equal(h.trajectory.length, 31);
  assert.deepEqual(xs, [...Array(31).keys()]);
  assert.ok(gaps.every((g) => g >= 1e-16));
  assert.equal(gaps[0], 5.5);
});

test("problem: the data's excess loss is exact near w*, and its Hessian is (2/N) X^T X", () => {
  const X = matrix(4, 2, Float64Array.from([1, 0, 1, 1, 1, 2, 1, 3])), y = Float64Array.from([1, 3, 5, 8]);
  const p = problem({ surface: { kind: "data" } }, { X, y });
  assert.deepEqual(p.hessian, [[2, 3], [3, 7]]);
  assert.ok(Math.abs(p.excess(p.minimum)) < 1e-30);
  const w = [0.5, 2.5];
  assert.ok(Math.abs(p.excess(w) - (mse.value(w, X, y) - mse.value(p.minimum, X, y))) < 1e-12);
  const roots = [9 - Math.sqrt(61), 9 + Math.sqrt(61)].map((r) => r / 2); // trace 9, determinant 5
  p.eigen.values.forEach((v, i) => assert.ok(Math.abs(v - roots[i]) < 1e-12));
});
