"""The pictures of a live figure, drawn by matplotlib: contours, the map of momentum's rate, static paths.

The script draws paths over the pictures; each picture comes with its plot box in panel
units so that the two line up. Their bytes vary from machine to machine, which is why
nothing else of the page depends on them.
"""

from __future__ import annotations

import base64
import io
import math
import warnings

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from .. import plots
from ..losses import mse
from ..train import DivergenceWarning, fit, minimize
from .export import _momentum_rate, best_pair
from .runs import colour, dashed, name

WIDTH, HEIGHT = 440, 380  # panel units (pixels at 100 dpi) shared with gdlib/js/figure.js
DPI = 150  # pictures are sharper than their panel units, for high-resolution screens
# Text is drawn this much larger than the book's figures: a panel is shown at about 0.8 of its units on
# a desktop (two side by side) and must keep the book's smallest text legible (tests/test_browser.py).
TEXT = 1.2


def canvas():
    # The same pixels (WIDTH x HEIGHT units at DPI), on a canvas TEXT times smaller in inches: larger text.
    fig = Figure(figsize=(WIDTH / 100 / TEXT, HEIGHT / 100 / TEXT), dpi=DPI * TEXT)  # not pyplot's: nothing to close
    return fig, fig.subplots()


def png(fig, ax, colors: int = 64) -> tuple[str, list[float]]:
    """The picture as base64 PNG and the plot box [x, y, width, height] in panel units (y downwards).

    The PNG keeps ``colors`` colours (grey contours and text need few): a third of the bytes.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI * TEXT)
    box = ax.get_window_extent()  # measured after saving: the saved layout is the one the overlay must match
    image = Image.open(buffer).convert("RGB").quantize(colors=colors, dither=Image.Dither.NONE)
    small = io.BytesIO()
    image.save(small, format="png", optimize=True)
    k = 100 / DPI
    return base64.b64encode(small.getvalue()).decode(), [round(box.x0 * k, 2), round(HEIGHT - box.y1 * k, 2),
                                                         round(box.width * k, 2), round(box.height * k, 2)]


def contour_picture(surface, xlim, ylim, equal: bool, title: str | None, paths=(), axes: bool = False):
    """The contours of a surface; with ``paths`` (trajectory, colour, label, dashed), the page's picture without script.

    ``axes``: draw the eigenvector axes of a quadratic through its minimum (for figures with the eigen view).
    """
    fig, ax = canvas()
    plots.contour(surface, ax=ax, xlim=xlim, ylim=ylim, title=title)
    if axes and surface.hessian is not None:
        eigen_axes(ax, surface, xlim, ylim)
    # dashed runs (Nesterov's) on top, as the script draws them
    for path, colour_k, label, dash in sorted(paths, key=lambda p: p[3]):
        dots = "o" if len(path) <= 201 else None  # as the script draws them: dots show the steps of short paths
        ax.plot(path[:, 0], path[:, 1], marker=dots, markersize=2.5, linewidth=1.5, color=colour_k, label=label,
                linestyle="--" if dash else "-")
    if paths:
        ax.plot(*paths[0][0][0], marker="o", markersize=9, color="black", markerfacecolor="white", linestyle="none")
        ax.legend(loc="upper right", frameon=True, framealpha=0.9)
    if equal:
        ax.set_aspect("equal")
    return png(fig, ax)


def eigen_axes(ax, surface, xlim, ylim) -> None:
    """The eigenvectors q_1 (flat) and q_2 (steep) of a quadratic's Hessian as dashed lines through the minimum."""
    _, vectors = np.linalg.eigh(surface.hessian)
    centre = np.asarray(surface.minima[0], dtype=float)
    for i in range(2):
        q = vectors[:, i] * (1 if vectors[-1, i] >= 0 else -1)
        # how far the line runs inside the view, forwards along q: the label goes near that end
        reach = min((hi - c) / d if d > 0 else (lo - c) / d for d, c, (lo, hi) in zip(q, centre, (xlim, ylim),
                                                                                    strict=True) if abs(d) > 1e-12)
        span = 2 * math.hypot(xlim[1] - xlim[0], ylim[1] - ylim[0])  # past the view both ways; the plot clips it
        ends = centre + np.outer([-span, span], q)
        ax.plot(ends[:, 0], ends[:, 1], linestyle=(0, (5, 4)), color="#4d4d4d", linewidth=1.1)  # grey: not a run
        ax.annotate(f"$q_{i + 1}$", centre + 0.86 * reach * q, color="black", fontsize=11, ha="center", va="center",
                    xytext=(7 * q[1], -7 * q[0]), textcoords="offset points")  # beside the line, not on it
    ax.set(xlim=xlim, ylim=ylim)


def static_picture(surface, kind, data, specs, entry, steps, epochs) -> str:
    """gdlib's own paths of the starting settings, drawn into the contour picture for a page without script.

    Drawn into the image, not written as numbers into the HTML: chaotic paths (RMSProp's rattle
    around a minimum) differ in their last digits from machine to machine, and the notebooks'
    outputs must not (nbval compares the HTML, never the images' bytes).
    """
    paths = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        for k, s in enumerate(specs):
            opt = s["_run"].optimizer
            if kind == "data":
                h = fit(mse, entry["w0"], *data, opt, batch_size=s["batch_size"], epochs=epochs, seed=s["seed"])
            else:
                h = minimize(surface, entry["w0"], opt, steps)
            paths.append((h.trajectory, colour(s), name(s, None if data is None else len(data[1])), dashed(specs, k)))
    image, box = contour_picture(surface, entry["xlim"], entry["ylim"], entry["_equal"], entry["_title"], paths,
                                 entry["_axes"])
    if box != entry["box"]:
        raise AssertionError("the picture with paths must keep the plot box of the picture without")
    return image


def rate_picture(curvatures, lr_range, beta_range):
    """The (α, β) map of ρ, on the sliders' own scales: log α across, u = -log10(1 - β) up; a star at the best pair."""
    fig, ax = canvas()
    x = np.linspace(np.log10(lr_range[0]), np.log10(lr_range[1]), 241)
    u = np.linspace(-np.log10(1 - beta_range[0]), -np.log10(1 - beta_range[1]), 181)
    rho = _momentum_rate(10.0 ** x[None, :], 1 - 10.0 ** -u[:, None], curvatures)
    # Colour by -log10(1 - rho): equal steps for rho = 0.9, 0.99, 0.999, where the slow runs differ.
    with np.errstate(divide="ignore", invalid="ignore"):
        shade = np.where(rho < 1, -np.log10(1 - rho), np.nan)
    image = ax.imshow(shade, origin="lower", aspect="auto", cmap="viridis", vmin=0, vmax=3,
                      extent=(x[0], x[-1], u[0], u[-1]), interpolation="nearest")
    ax.set_facecolor("#d9d9d9")  # rho >= 1: the error grows
    ax.contour(x, u, rho, levels=[1.0], colors="black", linewidths=1.2)
    lr_best, beta_best = best_pair(curvatures)
    ax.plot(np.log10(lr_best), -np.log10(1 - beta_best), marker="*", markersize=13, color="white",
            markeredgecolor="black", linestyle="none")
    ax.set(xlim=(x[0], x[-1]), ylim=(u[0], u[-1]), xlabel=r"learning rate $\alpha$", ylabel=r"decay $\beta$",
           title=r"Rate $\rho$ of momentum (star: best)")
    ax.set_xticks([k for k in range(math.ceil(x[0]), math.floor(x[-1]) + 1)],
                  [f"$10^{{{k}}}$" for k in range(math.ceil(x[0]), math.floor(x[-1]) + 1)])
    ticks = [(t, b) for t, b in [(0, "0"), (math.log10(2), "0.5"), (1, "0.9"), (2, "0.99"), (3, "0.999"),
                                 (4, "0.9999")] if u[0] - 1e-9 <= t <= u[-1] + 1e-9]
    ax.set_yticks([t for t, _ in ticks], [b for _, b in ticks])
    ax.grid(False)
    bar = fig.colorbar(image, ax=ax, label=r"rate $\rho$ (grey: $\rho \geq 1$)", shrink=0.9)
    bar.set_ticks([0, math.log10(2), 1, 2, 3], labels=["0", "0.5", "0.9", "0.99", "0.999"])
    return png(fig, ax, colors=128)
