// Rounded numbers, ticks and polyline points.
import assert from "node:assert/strict";
import { test } from "node:test";

import { format, points, thin, ticks } from "../../gdlib/js/draw.js";

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

// The distance from point (x, y) to the polyline through the kept points.
function distance(x, y, px, py, keep) {
  let best = Infinity;
  for (let m = 1; m < keep.length; m++) {
    const [ax, ay, bx, by] = [px[keep[m - 1]], py[keep[m - 1]], px[keep[m]], py[keep[m]]];
    const len = (bx - ax) ** 2 + (by - ay) ** 2;
    const t = len ? Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len)) : 0;
    best = Math.min(best, Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)));
  }
  return keep.length === 1 ? Math.hypot(x - px[keep[0]], y - py[keep[0]]) : best;
}

test("thin: about a point per device pixel, first and last kept, every point within tol of the drawing", () => {
  // a noisy loss curve: 2000 steps across 340 units, as chapter 3's SGD
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const xs = Array.from({ length: 2001 }, (_, t) => 84 + (t / 2000) * 340);
  const ys = xs.map((_, t) => 40 + 250 * Math.exp(-t / 300) + 30 * random());
  for (const tol of [0.5, 1]) {
    const keep = thin(xs, ys, tol, true);
    assert.equal(keep[0], 0);
    assert.equal(keep.at(-1), 2000);
    keep.forEach((i, m) => m > 0 && assert.ok(i > keep[m - 1])); // in order, each once
    assert.ok(keep.length <= 4 * Math.ceil(340 / tol) + 8, `${keep.length} points at tol ${tol}`);
    assert.ok(keep.length < 2001);
    xs.forEach((x, i) => assert.ok(distance(x, ys[i], xs, ys, keep) <= tol + 1e-9, `point ${i} is off`));
    // the extremes of every column are kept: the turns and jumps of the curve
    const lowest = ys.indexOf(Math.min(...ys)), highest = ys.indexOf(Math.max(...ys));
    assert.ok(keep.includes(lowest) && keep.includes(highest));
  }
  // a path in the plane: a slow spiral into a noise ball
  const px = [], py = [];
  for (let t = 0; t <= 2000; t++) {
    px.push(220 + 150 * Math.exp(-t / 200) * Math.cos(t / 20) + 2 * random());
    py.push(190 + 150 * Math.exp(-t / 200) * Math.sin(t / 20) + 2 * random());
  }
  const keep = thin(px, py, 0.8);
  assert.deepEqual([keep[0], keep.at(-1)], [0, 2000]);
  assert.ok(keep.length < 1500, `${keep.length}`);
  px.forEach((x, i) => assert.ok(distance(x, py[i], px, py, keep) <= 0.8 + 1e-9, `point ${i} is off`));
  // no tol: every point; a jump (a blow-up) is always kept; the points written are the points given
  assert.equal(thin(px, py).length, 2001);
  assert.ok(thin([0, 0.1, 0.2, 50, 50.1], [0, 0, 0, 0, 0], 1).includes(3));
  assert.equal(points([0, 0.1, 0.25, 3], [0, 0, 0, 0], 1), "0.0,0.0 3.0,0.0");
  assert.equal(points([0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1.5], [0, 1, 5, 2, -5, 1, 2, 0], 1, true),
    "0.0,0.0 0.3,5.0 0.6,-5.0 0.9,2.0 1.5,0.0"); // a column: its first, highest, lowest and last point
});
