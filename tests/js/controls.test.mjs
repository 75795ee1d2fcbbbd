// The values sliders step through: rounded, monotonic, holding the start exactly.
import assert from "node:assert/strict";
import { test } from "node:test";

import { grid, nearest, readouts } from "../../gdlib/js/controls.js";

test("log sliders: equal ratios, three significant digits, the start and the ends kept exactly", () => {
  const values = grid({ scale: "log", low: 2 / 101 / 100, high: 0.2, value: 2 / 101 });
  assert.ok(values.includes(2 / 101));
  values.forEach((v, k) => {
    if (k > 0) assert.ok(v > values[k - 1]);
    if (![2 / 101, 2 / 10100].includes(v)) assert.equal(v, Number(v.toPrecision(3)));
  });
  assert.equal(values[0], 2 / 10100);
  assert.equal(values.at(-1), 0.2); // not 0.198, the grid's position a tenth of a step below
  assert.equal(values.length, 3 * 20 + 1); // 20 positions per factor of ten
});

test("slider ends: exactly low and high, never a grid value beyond them or just inside them", () => {
  const ch2 = grid({ scale: "log", low: 0.005, high: 0.3, value: 0.05 });
  assert.equal(ch2[0], 0.005);
  assert.equal(ch2.at(-1), 0.3); // the grid's 0.315 lies beyond high: dropped
  assert.equal(ch2.at(-2), 0.281);
  const ch5 = grid({ scale: "log", low: 0.001, high: 1, value: 0.05 });
  assert.deepEqual([ch5[0], ch5[1], ch5.at(-2), ch5.at(-1)], [0.001, 0.00112, 0.889, 1]); // not 9.98e-4, 0.998
  const ch7 = grid({ scale: "decay", low: 0.5, high: 0.999, value: 0.9, marks: [0.99] });
  assert.deepEqual([ch7[0], ch7.at(-1)], [0.5, 0.999]);
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

test("marks: values the text names are exact positions of their own; grid values close to one give way", () => {
  const values = grid({ scale: "log", low: 0.005, high: 0.3, value: 0.05, marks: [0.1, 2 / 11, 0.2] });
  const plain = grid({ scale: "log", low: 0.005, high: 0.3, value: 0.05 });
  for (const v of [0.05, 0.1, 2 / 11, 0.2, 0.158, 0.223]) assert.ok(values.includes(v), `${v} missing`);
  for (const v of [0.0998, 0.177, 0.199]) assert.ok(plain.includes(v) && !values.includes(v), `${v} kept`);
  values.forEach((v, k) => k > 0 && assert.ok(v > values[k - 1]));
  // no two positions closer than a third of a step (a factor 10^(1/60)) unless both are marks
  values.forEach((v, k) => k > 0 && assert.ok(Math.log10(v / values[k - 1]) * 20 >= 1 / 3 || v === 2 / 11));
  assert.equal(values[nearest(values, 0.1819, "log")], 2 / 11);
  const betas = grid({ scale: "decay", low: 0, high: 0.999, value: 0.9, marks: [(9 / 11) * (9 / 11), 0.9] });
  assert.ok(!betas.includes(0.68) && betas.includes(0.65) && betas.includes(0.72)); // 0.68 gave way to 0.669
  assert.equal(betas[nearest(betas, 0.67, "decay")], (9 / 11) * (9 / 11));
});

test("readouts: neighbours always read differently, with more digits of 1 - beta near 1", () => {
  const betas = grid({ scale: "decay", low: 0, high: 0.99999, value: 0.999 });
  const texts = readouts(betas);
  texts.forEach((t, k) => k > 0 && assert.notEqual(t, texts[k - 1], `${betas[k - 1]} and ${betas[k]} read ${t}`));
  assert.equal(texts[betas.indexOf(0.9989)], "0.9989");
  assert.equal(texts[betas.indexOf(0.9)], "0.9"); // three digits where they suffice
  const lrs = grid({ scale: "log", low: 0.001, high: 1, value: 0.05 });
  assert.deepEqual([readouts(lrs)[0], readouts(lrs).at(-1)], ["0.001", "1"]);
  assert.deepEqual(readouts([1, 2, null], (B) => (B === null ? "full" : String(B))), ["1", "2", "full"]);
});
