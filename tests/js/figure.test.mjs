// What the legend calls a run and how it is drawn, as the settings change (LiveFigure without a page).
import assert from "node:assert/strict";
import { test } from "node:test";

import { LiveFigure } from "../../gdlib/js/figure.js";

const COLORS = { optimizers: { gd: "#0072B2", momentum: "#E69F00", nesterov: "#56B4E9" }, batches: { 1: "#009E73" } };
const SCHEDULES = { constant: "constant α", inverse_time: "α / (1 + (t − 1)/τ)", inverse_sqrt: "α / √(1 + (t − 1)/τ)" };

// A figure's methods on plain settings: the runs as gdlib.live writes them.
function figure(runs) {
  const fig = Object.create(LiveFigure.prototype);
  fig.config = { runs, colors: COLORS, schedules: SCHEDULES };
  fig.runs = runs.map((run) => ({ ...run }));
  fig.data = { y: { length: 100 } };
  return fig;
}
const run = (label, more = {}) => ({ label, optimizer: "gd", nesterov: false, schedule: "constant", batch_size: null,
  color_by: "optimizer", label_by: "fixed", ...more });

test("Nesterov's switch: the legend says so, the run is dashed in Nesterov's colour", () => {
  const fig = figure([run("gd"), run("momentum", { optimizer: "momentum" })]);
  assert.deepEqual([fig.name(1), fig.colour(1), fig.dash(1)], ["momentum", "#E69F00", "none"]);
  fig.runs[1].nesterov = true;
  assert.deepEqual([fig.name(1), fig.colour(1), fig.dash(1)], ["momentum (Nesterov)", "#56B4E9", "7 4"]);
  assert.equal(fig.dash(0), "none");
  assert.equal(figure([run("nesterov", { optimizer: "momentum", nesterov: true })]).name(0), "nesterov"); // said once
  fig.runs[1] = { ...fig.runs[1], optimizer: "gd", label_by: "optimizer" }; // an optimizer control: no Nesterov
  assert.deepEqual([fig.name(1), fig.dash(1)], ["gd", "7 4"]); // gradient descent twice: the second dashed
});

test("a schedule control renames its run: the legend says what the run now is", () => {
  const fig = figure([run("constant", { batch_size: 1, color_by: "batch" }),
    run("decaying", { batch_size: 1, color_by: "batch", schedule: "inverse_time" })]);
  assert.deepEqual([fig.name(0), fig.name(1)], ["constant", "decaying"]);
  fig.runs[1].schedule = "constant";
  assert.equal(fig.name(1), "constant α");
  fig.runs[1].schedule = "inverse_sqrt";
  assert.equal(fig.name(1), "α / √(1 + (t − 1)/τ)");
  fig.runs[1].schedule = "inverse_time";
  assert.equal(fig.name(1), "decaying");
});

test("two SGD runs of one batch size: the batch size's colour, the second dashed, never another optimizer's", () => {
  const fig = figure([run("constant", { batch_size: 1, color_by: "batch" }),
    run("decaying", { batch_size: 1, color_by: "batch", schedule: "inverse_time" })]);
  assert.deepEqual([fig.colour(0), fig.colour(1)], ["#009E73", "#009E73"]);
  assert.deepEqual([fig.dash(0), fig.dash(1)], ["none", "7 4"]);
});
