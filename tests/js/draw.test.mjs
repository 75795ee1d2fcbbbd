// Rounded numbers, ticks and polyline points.
import assert from "node:assert/strict";
import { test } from "node:test";

import { format, points, ticks } from "../../gdlib/js/draw.js";

test("format rounds to significant digits and switches to exponents for tiny and huge values", () => {
  assert.equal(format(0.0501234), "0.0501");
  assert.equal(format(0.9), "0.9");
  assert.equal(format(1.23456e-5, 2), "1.2e-5");
  assert.equal(format(3e6), "3e+6");
  assert.equal(format(0), "0");
  assert.equal(format(-2.5), "-2.5");
  assert.equal(format(Infinity), "Infinity");
});

test("ticks: round numbers inside the range", () => {
  assert.deepEqual(ticks(0, 100), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(ticks(-1.08, 1.08, 4), [-1, 0, 1]);
  assert.deepEqual(ticks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]); // no 0.6000000000000001
  assert.deepEqual(ticks(-4.86, 4.86, 4), [-4, -2, 0, 2, 4]); // a step of 5 would leave 0 alone
  assert.deepEqual(ticks(-0.55, 0.55, 4), [-0.5, 0, 0.5]);
});

test("points: one decimal, clamped far away, cut at the first non-finite value", () => {
  assert.equal(points([1.04, 2, 3e9], [5, 6.26, 7]), "1.0,5.0 2.0,6.3 100000.0,7.0");
  assert.equal(points([1, NaN, 3], [1, 2, 3]), "1.0,1.0");
});
