// The values sliders step through: rounded, monotonic, holding the start exactly.
import assert from "node:assert/strict";
import { test } from "node:test";

import { grid, nearest } from "../../gdlib/js/controls.js";

test("log sliders: equal ratios, three significant digits, the start kept exactly", () => {
  const values = grid({ scale: "log", low: 2 / 101 / 100, high: 0.2, value: 2 / 101 });
  assert.ok(values.includes(2 / 101));
  values.forEach((v, k) => {
    if (k > 0) assert.ok(v > values[k - 1]);
    if (v !== 2 / 101) assert.equal(v, Number(v.toPrecision(3)));
  });
  // the ends lie within one position (a factor 10^(1/20) = 1.12) of the range's
  assert.ok(Math.abs(values[0] / (2 / 10100) - 1) < 0.12 && Math.abs(values.at(-1) / 0.2 - 1) < 0.12);
  assert.equal(values.length, 3 * 20 + 1); // 20 positions per factor of ten
});

test("decay sliders: steps of -log10(1 - beta), from 0 up to 0.999, through 0.9 and 0.99", () => {
  const values = grid({ scale: "decay", low: 0, high: 0.999, value: 0.9 });
  assert.equal(values[0], 0);
  assert.equal(values.at(-1), 0.999);
  for (const b of [0.9, 0.95, 0.99, 0.5]) assert.ok(values.includes(b), `${b} missing`);
  values.forEach((v, k) => k > 0 && assert.ok(v > values[k - 1]));
  assert.ok(values.every((v) => String(v).length <= 6)); // short, readable values such as 0.911
});

test("nearest: the closest grid value on the slider's own scale", () => {
  const values = grid({ scale: "decay", low: 0, high: 0.999, value: 0.9 });
  assert.equal(values[nearest(values, 0.9912, "decay")], 0.9911); // 1 - 10^-2.05 = 0.99109, to two digits of 1 - beta
  assert.equal(values[nearest(values, 0.98995, "decay")], 0.99);
  const lrs = grid({ scale: "log", low: 0.001, high: 1, value: 0.1 });
  assert.equal(lrs[nearest(lrs, 0.1001, "log")], 0.1);
  assert.equal(nearest([1, 2, 4, null], null, "list"), 3);
});

test("marks: values the text names are exact positions of their own, in order", () => {
  const values = grid({ scale: "log", low: 0.005, high: 0.3, value: 0.05, marks: [0.1, 2 / 11, 0.2] });
  const plain = grid({ scale: "log", low: 0.005, high: 0.3, value: 0.05 });
  assert.equal(values.length, plain.length + 3);
  for (const v of [0.05, 0.1, 2 / 11, 0.2, ...plain]) assert.ok(values.includes(v), `${v} missing`);
  values.forEach((v, k) => k > 0 && assert.ok(v > values[k - 1]));
  assert.equal(values[nearest(values, 0.1819, "log")], 2 / 11);
  const betas = grid({ scale: "decay", low: 0, high: 0.999, value: 0.9, marks: [(9 / 11) * (9 / 11), 0.9] });
  assert.equal(betas.length, grid({ scale: "decay", low: 0, high: 0.999, value: 0.9 }).length + 1); // 0.9 once
  assert.equal(betas[nearest(betas, 0.67, "decay")], (9 / 11) * (9 / 11));
});
