"""How long one recompute-and-draw of each kind of live figure takes in headless Chromium.

    python benchmarks/live_figures.py          # prints a table; --events N for more samples

Each figure runs two paths of 500 steps (the issue's yardstick; data figures: 500 steps of their
smaller batch) with every view of its kind; the last two are chapters 2 and 5's figures as the
chapters place them. For each, a slider is moved back and forth and the start point nudged; one
sample is the time from the input event to the end of the layout it causes (the recomputation of
both runs, the drawing of every view, the browser's style and layout), measured in the page with
performance.now(). Target: median under 16 ms (a frame at 60 Hz), worst under 50 ms. The script
size each page carries is printed too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import gdlib
from gdlib import data, live, schedules, surfaces
from gdlib.live import Control, Run

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
import live_figures  # noqa: E402

QUIET = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
STEPS = 500


def figures() -> dict[str, live.LiveFigure]:
    """The kinds of live figure, each with two paths of 500 steps."""
    bowl, kappa100 = surfaces.quadratic((1.0, 10.0), angle=30), surfaces.quadratic((1.0, 100.0))
    line, line_1000, scaled = data.line_100(), data.line_1000(seed=42), data.badly_scaled()
    arena = {"quadratic": kappa100, "Rosenbrock": surfaces.rosenbrock(), "saddle": surfaces.saddle(),
             "camel": surfaces.camel()}
    starts = dict(zip(arena, [(-1.5, 1.3), (-1.2, 1.0), (1.3, 0.01), (-2.0, -1.0)], strict=True))
    return {
        "gd, eigendirections (ch. 2)": live.figure(
            bowl, {"gd": gdlib.gd(0.05), "momentum": gdlib.momentum(0.05, 0.9)}, w0=(-1.5, 1.5), steps=STEPS,
            controls=["lr"], views=("path", "loss", "eigen")),
        "SGD, B = 1 on 100 points (ch. 3)": live.figure(
            line, {"constant": Run(gdlib.gd(0.05), 1),
                   "decaying": Run(schedules.scheduled(gdlib.gd, schedules.inverse_time(0.05, 100)), 1)},
            w0=(0.0, 0.0), epochs=STEPS // 100, controls=["lr", Control("tau", run="decaying"), "seed"]),
        "mini-batch, B = 2 on 1000 points (ch. 4)": live.figure(
            line_1000, {"B": Run(gdlib.gd(0.1), 2), "full": gdlib.gd(0.1)}, w0=(0.0, 0.0), epochs=1,
            controls=["lr", Control("batch_size", run="B"), "schedule", "seed"]),
        "momentum, eigendirections, rate map (ch. 5)": live.figure(
            kappa100, {"gd": gdlib.gd(0.0198), "momentum": gdlib.momentum(0.05, 0.9)}, w0=(-1.5, 1.0),
            steps=STEPS, controls=[Control("lr", run="gd"), Control("lr", run="momentum"), "beta"],
            views=("path", "loss", "eigen", "rate")),
        "full batch on 200 points (ch. 6)": live.figure(
            scaled, {"gd": gdlib.gd(2.6e-4), "rmsprop": gdlib.rmsprop(0.01)}, w0=(0.0, 0.0), epochs=STEPS,
            xlim=(-0.3, 2.5), ylim=(-0.01, 0.07), controls=[Control("lr", run="rmsprop"), "beta", "eps"]),
        "Adam and RMSProp on Rosenbrock (ch. 7)": live.figure(
            surfaces.rosenbrock(), {"adam": gdlib.adam(0.05), "rmsprop": gdlib.rmsprop(0.01)}, w0=(-1.2, 1.0),
            steps=STEPS, controls=[Control("lr", run="adam"), "beta1", "beta2", "bias_correction"]),
        "arena, choice of surface (ch. 8)": live.figure(
            arena, {"first": gdlib.momentum(0.01, 0.9), "second": gdlib.adam(0.01)}, w0=starts, steps=STEPS,
            controls=[Control("optimizer", run="first"), Control("lr", run="first")]),
        # and the figures as the chapters place them (examples/live_figures.py holds the same calls)
        "ch. 2 as placed (40 steps, one path)": live_figures.batch_gd(),
        "ch. 3 as placed (2000 steps, two paths)": live_figures.sgd(),
        "ch. 5 as placed (100 steps, two paths)": live_figures.momentum(),
    }


MEASURE = """async ([k, events]) => {
  const fig = gdlibLive.figures[k], root = fig.root, parts = {};
  // where the time goes: the recomputation of the runs and each view's draw, timed one by one
  const timed = (name, f) => function (...args) {
    const t0 = performance.now(), out = f.apply(this, args);
    if (parts[name]) parts[name].push(performance.now() - t0);
    return out;
  };
  const { compute } = gdlibLive.modules.runs;
  fig.results_of = timed("compute", (p) => fig.runs.map((run) => compute(fig.config, p, fig.data, run, fig.w0)));
  fig.config.views.concat(["legend"]).forEach((name, i) => { fig.views[i].draw = timed(name, fig.views[i].draw); });
  const slider = root.querySelector(".gl-controls input[type=range]"), start = root.querySelector(".gl-start");
  const at = Number(slider.value), times = [], inside = [];
  for (let i = 0; i < events + 5; i++) {
    const t0 = performance.now();
    if (i % 2 === 0) {  // the first slider, one position back and forth
      slider.value = String(at + (i % 4 === 0 ? -1 : 0));
      slider.dispatchEvent(new Event("input", { bubbles: true }));
    } else {  // the start point, one arrow key to the right or left
      const key = i % 4 === 1 ? "ArrowRight" : "ArrowLeft";
      start.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
    }
    root.getBoundingClientRect();
    void document.body.offsetHeight;  // the style and layout the event caused
    if (i === 4) for (const name of ["compute", ...fig.config.views, "legend"]) parts[name] = [];  // five to warm up
    if (i >= 5) { times.push(performance.now() - t0); inside.push(fig.ms); }
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));  // let the frame paint
  }
  return { times, inside, parts, steps: fig.results.map((r) => r.h.trajectory.length - 1) };
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=60, help="input events per figure (default 60)")
    parser.add_argument("--only", default="", help="only the figures whose name contains this text")
    args = parser.parse_args()
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        print("no Chromium found: install Debian's chromium package or set CHROMIUM", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    made = figures()
    print(f"script: {len(live.script().encode()) / 1000:.1f} kB per page (uncompressed), "
          f"{sum(len((ROOT / 'gdlib' / 'js' / f'{m}.js').read_bytes()) for m in live.MODULES) / 1000:.1f} kB "
          "of readable source in gdlib/js")
    print(f"{'figure':46s} {'steps':>11s} {'median':>7s} {'worst':>7s}   {'(script only: median, worst)'}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=QUIET)
        for name, fig in made.items():
            if args.only not in name:
                continue
            path = Path(tmp) / "figure.html"
            path.write_text(f"<!doctype html><meta charset='utf-8'><body style='max-width:940px'>{fig.html}",
                            encoding="utf-8")
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(path.as_uri())
            result = page.evaluate(MEASURE, [0, args.events])
            page.close()
            t, s = result["times"], result["inside"]
            steps = " + ".join(map(str, result["steps"]))
            print(f"{name:46s} {steps:>11s} {statistics.median(t):5.1f}ms {max(t):5.1f}ms   "
                  f"({statistics.median(s):.1f} ms, {max(s):.1f} ms)")
            print(" " * 4 + "median ms: " + ", ".join(f"{part} {statistics.median(ms):.2f}"
                                                     for part, ms in result["parts"].items() if ms))
        browser.close()
    print("Targets: median under 16 ms, worst under 50 ms. Timings on a shared machine are only indicative.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
