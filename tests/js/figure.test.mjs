// The parts of a live figure that need no page: optimizers from settings, data from base64, runs.
import assert from "node:assert/strict";
import { test } from "node:test";

import { compute, dataset, decode, optimizer } from "../../gdlib/js/figure.js";
import { adam, gd, inverse_time, momentum, quadratic, rmsprop, scheduled } from "../../gdlib/js/gdlib.js";
import { minimize } from "../../gdlib/js/train.js";

const base = { beta: 0.9, beta1: 0.9, beta2: 0.999, eps: 1e-8, nesterov: false, bias_correction: true, schedule: "constant", tau: 100 };
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
  const { h, xs, gaps } = compute({ kind: "surface", steps: 30 }, p, null, { ...base, optimizer: "gd", lr: 0.1 }, [1, 1]);
  assert.equal(h.trajectory.length, 31);
  assert.deepEqual(xs, [...Array(31).keys()]);
  assert.ok(gaps.every((g) => g >= 1e-16));
  assert.equal(gaps[0], 5.5);
});
