"""How fast every explorer answers a control: median and worst latency, in the kernel and in JupyterLab.

    python benchmarks/explorer_latency.py          # in-kernel: change -> new PNG ready to send
    python benchmarks/explorer_latency.py --lab    # also end to end in JupyterLab, in headless Chromium
    python benchmarks/explorer_latency.py --moves 40

In the kernel, each explorer gets ``--moves`` single slider steps (one at a time,
back and forth) and the time from the change to its new picture is taken
(``Explorer.latencies``); "before" is the old route, a new Figure rendered whole
into a PNG by ``savefig``. With ``--lab``, a notebook with one cell per explorer
runs in JupyterLab; each step is an arrow key on the slider's handle, timed from
the key press to the new picture decoded and painted in the page. Then a burst:
ten steps in a row as fast as the keyboard sends them, timed to the last picture.
Target: median under 150 ms, worst under 300 ms, end to end on two cores.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402
import numpy as np  # noqa: E402

from gdlib import widgets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXPLORERS = ["derivative_explorer", "descent_explorer", "sgd_explorer", "fit_explorer", "momentum_explorer",
             "rmsprop_explorer", "adam_explorer", "arena_explorer"]


def steps(control, moves: int) -> list:
    """Values one slider step apart, two up then two down, again and again: what arrow keys give."""
    deltas = np.cumsum([1, 1, -1, -1] * (moves // 4 + 1))[:moves]
    if hasattr(control, "options"):  # a selection slider: one option further
        options = list(control.options)
        return [options[options.index(control.value) + d] for d in deltas]
    if isinstance(control, widgets.widgets.FloatLogSlider):
        return [10 ** (np.log10(control.value) + d * control.step) for d in deltas]
    return [control.value + d * control.step for d in deltas]


def slider(ui):
    """The explorer's first slider (the one the JupyterLab measurement moves too)."""
    return next(c for c in ui.controls.values() if not isinstance(c, widgets.widgets.Dropdown))


def in_kernel(name: str, moves: int) -> dict:
    start = time.perf_counter()
    ui = getattr(widgets, name)()
    first = time.perf_counter() - start
    control = slider(ui)
    for value in steps(control, moves):
        control.value = value
        ui.wait()
    # The old route: a new figure each time, drawn whole and saved as PNG.
    old = []
    for _ in range(5):
        t = time.perf_counter()
        fig = old_render(ui)
        fig.savefig(io.BytesIO(), format="png")
        old.append(time.perf_counter() - t)
    return {"first": first, "new": ui.latencies, "old": old, "control": control.description}


def old_render(ui):
    """What the explorers did before: a new Figure, made and drawn from scratch, for the same values."""
    from gdlib import views

    view, axes = ui.view, views._figure_axes()
    if isinstance(view, views.DescentView):
        fresh = views.DescentView(view.surface, view.steps, xlim=view.xlim, ylim=view.ylim, axes=axes)
    elif isinstance(view, views.DerivativeView):
        fresh = views.DerivativeView(view.X, view.y, axes=axes)
    else:  # SGDView, FitView
        fresh = type(view)(view.X, view.y, epochs=view.epochs, axes=axes)
    ui._update(fresh, **ui.values)
    return fresh.fig


# Counts the pictures a burst of key presses brings and the time of the last one.
WATCH = """(img) => {
    window.__gdlibStart = performance.now(); window.__gdlibLast = performance.now(); window.__gdlibPictures = 0;
    new MutationObserver(() => { window.__gdlibLast = performance.now(); window.__gdlibPictures++; })
        .observe(img, {attributes: true, attributeFilter: ["src"]});
}"""


def in_lab(moves: int) -> dict:
    sys.path.insert(0, str(ROOT / "tools"))
    from labdriver import ARM_TIMER, EXPLORER_IMAGE, RUN_ALL, Lab

    folder = Path(tempfile.mkdtemp(prefix="gdlib-latency-"))
    cells = [nbformat.v4.new_code_cell("from gdlib import widgets")]
    cells += [nbformat.v4.new_code_cell(f"widgets.{name}()") for name in EXPLORERS]
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=kernel), folder / "explorers.ipynb")
    results = {}
    with Lab(folder) as lab:
        page = lab.open("explorers.ipynb")
        assert not page.evaluate(RUN_ALL)
        for name in EXPLORERS:
            image = page.evaluate_handle(EXPLORER_IMAGE, f"widgets.{name}(").as_element()
            image.scroll_into_view_if_needed()
            page.wait_for_timeout(500)  # a learner looks before moving: JupyterLab renders what just came into view
            handle = page.evaluate_handle("i => i.closest('.jp-Cell').querySelector('.noUi-handle')", image)
            times = []
            for k in range(moves):
                image.evaluate(ARM_TIMER)
                handle.as_element().press("ArrowRight" if (k // 2) % 2 == 0 else "ArrowLeft")
                page.wait_for_function("() => window.__gdlibShown !== null", timeout=30_000)
                times.append(page.evaluate("window.__gdlibShown") / 1000)
                page.wait_for_timeout(50)  # a learner's pause: no change waits behind another
            # A burst: ten steps as fast as the keys go; the last picture is what counts.
            image.evaluate(WATCH)
            for _ in range(10):
                handle.as_element().press("ArrowRight")
            page.wait_for_function("() => performance.now() - window.__gdlibLast > 800", timeout=30_000)
            burst = page.evaluate("[window.__gdlibLast - window.__gdlibStart, window.__gdlibPictures]")
            results[name] = {"lab": times, "burst": burst[0] / 1000, "pictures": burst[1]}
            for _ in range(10):
                handle.as_element().press("ArrowLeft")
            page.wait_for_timeout(1000)
        page.close()
    return results


def ms(values) -> str:
    return f"{1000 * statistics.median(values):6.0f} {1000 * max(values):6.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moves", type=int, default=20, help="slider steps per explorer (default 20)")
    parser.add_argument("--lab", action="store_true", help="also measure end to end in JupyterLab")
    args = parser.parse_args()
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"machine: {load}", flush=True)
    lab = in_lab(args.moves) if args.lab else {}
    print(f"{'explorer':20s} {'control':11s} {'first':>6s} | {'in kernel ms':>13s} | {'before ms':>13s} |"
          f" {'JupyterLab ms':>13s} | {'burst of 10':>13s}")
    print(f"{'':20s} {'':11s} {'ms':>6s} | {'median  worst':>13s} | {'median  worst':>13s} |"
          f" {'median  worst':>13s} | {'ms  pictures':>13s}")
    everything = []
    for name in EXPLORERS:
        row = in_kernel(name, args.moves)
        end = lab.get(name)
        everything += end["lab"] if end else []
        print(f"{name:20s} {row['control']:11s} {1000 * row['first']:6.0f} | {ms(row['new'])} | {ms(row['old'])} |"
              + (f" {ms(end['lab'])} | {1000 * end['burst']:6.0f} {end['pictures']:6d}" if end else ""))
    if everything:
        print(f"all explorers in JupyterLab: median {1000 * statistics.median(everything):.0f} ms, "
              f"worst {1000 * max(everything):.0f} ms (target: under 150 and 300)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
