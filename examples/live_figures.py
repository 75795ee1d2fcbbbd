"""One live figure per optimizer chapter (chapters 2, 3 and 5 exactly as they place theirs), and a page of them all.

    python examples/live_figures.py            # writes _build/live/index.html and one page per figure

The browser test (tests/test_live_browser.py) and the benchmark (benchmarks/live_figures.py)
use these figures; examples/live_demo.ipynb shows them in JupyterLab.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

import gdlib
from gdlib import data, live, schedules, surfaces
from gdlib.live import Control, Run

ROOT = Path(__file__).resolve().parent.parent


def batch_gd() -> live.LiveFigure:
    """Chapter 2: gradient descent on the ill-conditioned quadratic, and the error along each eigendirection."""
    return live.figure(
        surfaces.quadratic((1.0, 10.0), angle=30), {"gd": gdlib.gd(0.05)}, w0=(-1.5, 1.5), steps=40,
        views=("path", "loss", "eigen"), controls=[Control("lr", low=0.005, high=0.3, marks=(1 / 10, 2 / 11, 2 / 10))],
        title="Gradient descent on the bowl, κ = 10",
        alt="Contour lines of a tilted elliptical bowl with its two eigenvector axes dashed and a path of gradient "
            "descent from the upper left that bends into the valley and runs along it to the minimum.",
        caption="Live: 40 steps of gradient descent on the bowl with curvatures 1 and 10 from the white circle; drag "
                "it, and move α, which stops at 0.1, 2/11 and 0.2. Beside it: the distance to the minimum value, and "
                "the error along each eigenvector with its prediction ±|1 − αλᵢ|ᵗ |qᵢᵀe₀| dashed.")


def sgd() -> live.LiveFigure:
    """Chapter 3: SGD on 100 points with a constant and a decaying learning rate, numpy's shuffles (as placed)."""
    X, y = data.line_100()
    decaying_sgd = schedules.scheduled(gdlib.gd, schedules.inverse_time(0.05, tau=100))
    return live.figure(
        (X, y), {"constant": Run(gdlib.gd(0.05), batch_size=1), "decaying": Run(decaying_sgd, batch_size=1)},
        w0=(0.0, 0.0), epochs=20, seeds=(0, 1, 2, 3, 4), xlim=(-0.5, 5.0), ylim=(-0.5, 4.5),
        controls=[Control("lr", low=0.0005, high=0.5, marks=(0.01, 0.2, 0.4)),
                  Control("schedule", run="decaying"), Control("tau", run="decaying", marks=(10,)), "seed"],
        title="SGD on the line fit, 100 points",
        alt="Contour lines of the line fit's loss, a long tilted bowl, with two SGD paths from the origin at the "
            "lower left: both run up into the bowl to its minimum at the upper right, where the constant rate's "
            "path jitters in a wide cloud and the decaying rate's in a small one.",
        caption="Live: 20 epochs of SGD on the line fit from the white circle, which you can drag, with a constant "
                "learning rate and a decaying one that starts at the same α; both reshuffle the examples every "
                "epoch with the chosen seed, as gdlib.fit does. Beside it: the loss above its minimum after every "
                "step.")


def minibatch() -> live.LiveFigure:
    """Chapter 4: mini-batches against the full batch, at the same work (two passes over 1000 points)."""
    X, y = data.line_1000(seed=42)
    runs = {"mini-batch": Run(gdlib.gd(0.1), batch_size=32), "full": gdlib.gd(0.1)}
    return live.figure(
        (X, y), runs, w0=(0.0, 0.0), epochs=2, xlim=(-0.5, 3.0), ylim=(-0.5, 4.0),
        controls=["lr", Control("batch_size", run="mini-batch"), "schedule", "tau", "seed"],
        title="Two passes over 1000 points",
        alt="Contour lines of an elongated bowl with a mini-batch path and a full-batch path from the origin.",
        caption="Each run does the same work, two epochs: smaller batches take more, noisier steps.")


def momentum() -> live.LiveFigure:
    """Chapter 5: gradient descent and momentum on kappa = 100, the error per eigendirection, the map of rho."""
    return live.figure(
        surfaces.quadratic((1.0, 100.0)), {"gd": gdlib.gd(2 / 101), "momentum": gdlib.momentum(0.05, 0.9)},
        w0=(-1.5, 1.0), steps=100, xlim=(-1.7, 0.5), ylim=(-1.2, 1.2), views=("path", "loss", "eigen", "rate"),
        controls=[Control("lr", run="gd", marks=(2 / 100,)), Control("lr", run="momentum", low=0.001, high=1.0),
                  Control("beta", marks=(361 / 441,)), "nesterov"],
        title="The bowl with curvatures 1 and 100",
        alt="Contour lines of a long, thin bowl with a zigzag path of gradient descent and a swinging path of "
            "momentum from the left; beside them a colour map of momentum's rate over the learning rate and the "
            "decay, with a star at the best pair.",
        caption="Live: gradient descent (blue) and momentum (orange; light blue and dashed with Nesterov's "
                "look-ahead) for 100 steps from the white circle, which you can drag. Click the map of the rate ρ to "
                "choose α and β for momentum; the star is the best pair. Dashed in the panels of the error along each "
                "axis: gradient descent's prediction.")


def rmsprop() -> live.LiveFigure:
    """Chapter 6: full-batch gradient descent and RMSProp on badly scaled data."""
    X, y = data.badly_scaled()
    return live.figure(
        (X, y), {"gd": gdlib.gd(2.6e-4), "rmsprop": gdlib.rmsprop(0.01)}, w0=(0.0, 0.0), epochs=300,
        xlim=(-0.3, 2.5), ylim=(-0.01, 0.07),
        controls=[Control("lr", run="rmsprop"), "beta", Control("eps", low=1e-10, high=10.0)],
        title="300 steps on the badly scaled loss",
        alt="Contour lines of a very flat valley; gradient descent stalls near the start, RMSProp travels along it.",
        caption="Raise ε until it dwarfs √s_t: RMSProp then takes gradient descent's steps, α g_t / ε.")


def adam() -> live.LiveFigure:
    """Chapter 7: Adam on Rosenbrock's valley, with and without bias correction."""
    return live.figure(
        surfaces.rosenbrock(), {"adam": gdlib.adam(0.05)}, w0=(-1.2, 1.0), steps=500,
        controls=["lr", "beta1", "beta2", "eps", "bias_correction"], title="Adam in the banana valley",
        alt="Contour lines of Rosenbrock's curved valley with an Adam path from the left.",
        caption="Switch bias correction off with β₂ near 1: the first steps, (1 − β₁) / √(1 − β₂) times α, "
                "throw the path far out.")


def arena() -> live.LiveFigure:
    """Chapter 8: any two optimizers on any surface of the arena."""
    problems = {"quadratic, κ = 100": surfaces.quadratic((1.0, 100.0)), "Rosenbrock": surfaces.rosenbrock(),
                "saddle": surfaces.saddle(), "camel": surfaces.camel()}
    starts = dict(zip(problems, [(-1.5, 1.3), (-1.2, 1.0), (1.3, 0.01), (-2.0, -1.0)], strict=True))
    return live.figure(
        problems, {"first": gdlib.momentum(0.01, 0.9), "second": gdlib.adam(0.01)}, w0=starts, steps=500,
        controls=[Control("optimizer", run="first"), Control("lr", run="first", low=1e-4, high=1.0),
                  Control("optimizer", run="second"), Control("lr", run="second", low=1e-4, high=1.0)],
        title="The arena", alt="Contour lines of a test surface with the paths of two optimizers.",
        caption="Choose a surface, two optimizers and their learning rates; drag the start.")


FIGURES = {"batch_gd": batch_gd, "sgd": sgd, "minibatch": minibatch, "momentum": momentum, "rmsprop": rmsprop,
           "adam": adam, "arena": arena}


def page(title: str, body: str) -> str:
    # The book's theme marks its scheme on <html data-theme>, following the system's: so does this page.
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<meta name='color-scheme' content='light dark'>"
            f"<title>{html.escape(title)}</title>"
            "<script>document.documentElement.dataset.theme = "
            "matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';</script>"
            "<style>html[data-theme=dark] body{background:#121212;color:#ced6dd}</style></head>"
            "<body style='max-width:940px;margin:1em auto;padding:0 12px;font-family:system-ui,sans-serif'>"
            f"<main>{body}</main></body></html>")


def main(out: Path = ROOT / "_build" / "live") -> None:
    out.mkdir(parents=True, exist_ok=True)
    sections = []
    for name, make in FIGURES.items():
        fig = make()
        heading = f"<h2>{html.escape(make.__doc__.split(':')[0])}</h2><p>{html.escape(make.__doc__)}</p>"
        (out / f"{name}.html").write_text(page(name, heading + fig.html), encoding="utf-8")
        sections.append(heading + fig.html)
        print(f"{name}: {len(fig.html.encode()) / 1000:.0f} kB of HTML", file=sys.stderr)
    (out / "index.html").write_text(page("Live figures of gdlib", "<h1>Live figures</h1>" + "".join(sections)),
                                    encoding="utf-8")
    print(f"wrote {out / 'index.html'} and one page per figure", file=sys.stderr)


if __name__ == "__main__":
    main()
