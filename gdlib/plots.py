"""Plots in one style: loss curves, contours with paths, data with fitted lines.

Importing this module applies the book's matplotlib style (:func:`use_style`).
Helpers draw into ``ax`` when given one, else into a new figure, and return the
axes. The ``*_view`` functions are the pure render functions behind the
explorers in :mod:`gdlib.widgets`: parameters in, a new Figure out.
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import _checks
from .losses import mse
from .optimizers import gd
from .schedules import scheduled
from .surfaces import loss_surface
from .train import DivergenceWarning, History, fit, minimize

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
# One colour per optimizer across the whole book (see color()).
OPTIMIZER_COLORS = {"gd": "#0072B2", "momentum": "#D55E00", "nesterov": "#56B4E9", "rmsprop": "#009E73",
                    "adagrad": "#E69F00", "adam": "#CC79A7"}
# One colour per batch size: darker for smaller batches (noisier), black for the full batch.
BATCH_COLORS = {1: "#3B0F70", 2: "#5A167E", 4: "#7B2382", 8: "#9C2E7F", 16: "#BE3A75", 32: "#DB4E64",
                64: "#EF6B4F", 128: "#F8914A", 256: "#FCB55B", "full": "#000000"}
# Figure text, in points. At the book's 100 dpi a point is 100/72 CSS pixels, so the smallest
# text (ticks, legends) is 12.5 px where a figure is shown at its natural size, as on a desktop.
SMALLEST_FONT = 9
STYLE = {
    "figure.figsize": (4.8, 3.4),
    "figure.dpi": 100,  # one inch is 100 CSS pixels; notebooks get the PNG at twice that (retina)
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.constrained_layout.use": True,
    "axes.prop_cycle": cycler(color=COLORS),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": SMALLEST_FONT,
    "ytick.labelsize": SMALLEST_FONT,
    "legend.fontsize": SMALLEST_FONT,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "image.cmap": "viridis",
}


def color(key) -> str:
    """The book's colour for an optimizer or a batch size, the same in every figure.

    ``key``: an :class:`~gdlib.Optimizer`, an optimizer's name or a label that
    starts with one (``"adam"``, ``"adam(lr=0.1)"``, ``"momentum, nesterov"``),
    a batch size (powers of two up to 256) or ``"full"`` for the full batch.
    """
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        if int(key) in BATCH_COLORS:
            return BATCH_COLORS[int(key)]
        raise ValueError(f"no book colour for batch size {key}; use a power of two up to 256 or 'full'.")
    hyper = getattr(key, "hyperparams", None)
    name = key.name + ("-nesterov" if hyper and hyper.get("nesterov") else "") if hyper is not None else str(key)
    name = name.strip().lower()
    if name == "full":
        return BATCH_COLORS["full"]
    if "nesterov" in name:
        return OPTIMIZER_COLORS["nesterov"]
    for known in sorted(OPTIMIZER_COLORS, key=len, reverse=True):  # "adagrad" before "adam"... and "gd"
        if re.match(rf"{known}\b", name):
            return OPTIMIZER_COLORS[known]
    raise ValueError(f"no book colour for {key!r}; name an optimizer ({', '.join(OPTIMIZER_COLORS)}), "
                     "a batch size or 'full'.")


def color_of(label, i: int) -> str:
    """The book's colour for a label that names an optimizer or batch size, else the i-th of COLORS."""
    try:
        return color(label)
    except ValueError:
        return COLORS[i % len(COLORS)]


def use_style() -> None:
    """Apply the book's style to every figure made from now on."""
    plt.rcParams.update(STYLE)


use_style()


# Figure sizes in inches (x 100 = CSS pixels) by number of panel columns. Every chapter figure
# comes from subplots(), so the sizes are decided here, in one place: several panels fill the
# desktop column (about 740 px) at their natural size, a single panel takes 480 px of it, which
# is also as large as a phone can show it without shrinking the text below 70%. On a phone,
# the book shows the panels of a wider figure one under the other (tools/static/figures.js).
PANEL_WIDTHS = {1: 4.8, 2: 7.4, 3: 7.4, 4: 7.4}
PANEL_HEIGHT = 3.3  # per row of panels


def subplots(nrows: int = 1, ncols: int = 1, **kwargs):
    """``plt.subplots`` with the book's figure size for ``nrows`` x ``ncols`` panels.

    Chapters make every figure with this function, so that the sizes suit the
    page in one place. Keyword arguments go to :func:`matplotlib.pyplot.subplots`
    (``sharex``, ``sharey``, ...); ``figsize`` is not one of them.
    """
    if "figsize" in kwargs:
        raise TypeError("subplots() chooses the figure size; leave out figsize (see gdlib.plots.PANEL_WIDTHS).")
    width = PANEL_WIDTHS.get(ncols, PANEL_WIDTHS[max(PANEL_WIDTHS)])
    height = PANEL_HEIGHT * nrows * (0.85 if ncols >= 3 else 1.0)  # narrow panels: a little less tall
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), **kwargs)
    _show_in_notebooks()  # pyplot has set up Jupyter's figure display by now; use the book's
    return fig, axes


def _figure(ncols: int = 2, figsize=None):
    """A new figure for a render function to return.

    It is made through pyplot, which also sets up Jupyter's display of figures,
    and at once removed from pyplot's list of open figures, so that a notebook
    shows it once (as the cell's result) and nothing else holds on to it.
    """
    fig, axes = plt.subplots(1, ncols, figsize=figsize or (PANEL_WIDTHS.get(ncols, 7.4), PANEL_HEIGHT))
    plt.close(fig)
    _show_in_notebooks()
    return fig, axes


def panel_layout(fig: Figure) -> str | None:
    """Where each panel of ``fig`` lies in its picture, for pages that stack panels on a phone.

    Returns ``"x0 y0 x1 y1;..."``, one box per panel in reading order, as fractions
    of the figure's width and height from its top left corner, or ``None`` for a
    single panel or a layout that cannot be cut into a grid (axes spanning several
    cells, a figure title or legend, colour bars). Cuts fall halfway between the
    neighbouring panels, titles, labels and ticks included.
    """
    axes = [ax for ax in fig.axes if ax.get_visible()]
    specs = [ax.get_subplotspec() for ax in axes]
    if len(axes) < 2 or None in specs or fig.legends or fig.texts or getattr(fig, "_suptitle", None):
        return None
    grid = specs[0].get_gridspec()
    if any(s.get_gridspec() is not grid or s.num1 != s.num2 for s in specs):
        return None
    nrows, ncols = grid.get_geometry()
    if not hasattr(fig.canvas, "get_renderer"):  # a figure closed from pyplot: draw it with Agg, as savefig would
        FigureCanvasAgg(fig)
    fig.draw_without_rendering()  # run the layout
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    cols = [[] for _ in range(ncols)]
    rows = [[] for _ in range(nrows)]
    for ax, spec in zip(axes, specs, strict=True):
        box = ax.get_tightbbox(renderer)
        row, col = divmod(spec.num1, ncols)
        cols[col].append((box.x0, box.x1))
        rows[row].append((height - box.y1, height - box.y0))  # from the top
    if any(not c for c in cols) or any(not r for r in rows):
        return None

    def cuts(spans, size):
        edges = [0.0]
        for left, right in zip(spans, spans[1:], strict=False):
            edges.append((max(e for _, e in left) + min(s for s, _ in right)) / 2)
        return [min(max(e / size, 0.0), 1.0) for e in edges + [size]]

    xs, ys = cuts(cols, width), cuts(rows, height)
    return ";".join(f"{xs[c]:.4f} {ys[r]:.4f} {xs[c + 1]:.4f} {ys[r + 1]:.4f}"
                    for r in range(nrows) for c in range(ncols))


def png(fig: Figure, scale: int = 2) -> tuple[bytes, int, int]:
    """The PNG of ``fig`` at ``scale`` times its resolution, and its size in CSS pixels.

    Sharp on high-density screens, and light: the picture is stored with a palette
    (no dithering) of 64 colours, which a plot's flat colours and their smoothed
    edges fit with no visible change at about a third of the bytes, or of 256 when
    64 would change the picture on average by more than half a level in 255
    (colour maps, photographs). The file records the scale and the panel layout
    (:func:`panel_layout`) in text chunks, which the book's build reads to size the
    image and to stack its panels on phones.
    """
    from PIL import Image, PngImagePlugin

    panels = panel_layout(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=scale * fig.dpi)
    picture = Image.open(buffer)
    if picture.mode == "RGBA" and picture.getextrema()[3][0] == 255:  # opaque: palette it
        rgb = picture.convert("RGB")
        for colours in (64, 256):
            picture = rgb.quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            change = np.abs(np.asarray(picture.convert("RGB"), dtype=float) - np.asarray(rgb, dtype=float)).mean()
            if change <= 0.5:
                break
    info = PngImagePlugin.PngInfo()
    info.add_text("gdlib:scale", str(scale))
    if panels:
        info.add_text("gdlib:panels", panels)
    out = io.BytesIO()
    picture.save(out, format="PNG", pnginfo=info, compress_level=9)
    return out.getvalue(), round(picture.width / scale), round(picture.height / scale)


def _notebook_png(fig: Figure):
    data, width, height = png(fig)
    return base64.b64encode(data).decode("ascii"), {"width": width, "height": height}


def _show_in_notebooks() -> None:
    """In IPython, show figures as sharp (retina) PNGs that carry their size and panel layout."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    formatter = shell.display_formatter.formatters["image/png"]
    if formatter.type_printers.get(Figure) is not _notebook_png:
        formatter.for_type(Figure, _notebook_png)


_show_in_notebooks()


def _axes(ax):
    return plt.subplots()[1] if ax is None else ax


def _curves(curves) -> dict:
    """Accept one array, a History, or a dict of label -> array or History."""
    if not isinstance(curves, dict):
        curves = {None: curves}
    return {k: (v.losses if isinstance(v, History) else np.asarray(v, dtype=float)) for k, v in curves.items()}


def ema(values, beta: float = 0.9) -> np.ndarray:
    r"""Exponential moving average with bias correction, to smooth a noisy curve.

    For values :math:`\ell_1, \ell_2, \dots` (losses, say):

    .. math:: a_t = \beta a_{t-1} + (1 - \beta) \ell_t, \quad a_0 = 0, \qquad
              \text{smoothed}_t = \frac{a_t}{1 - \beta^t}
    """
    beta = _checks.decay(beta, "beta")
    x = np.asarray(values, dtype=float)
    out, a = np.empty_like(x), 0.0
    for t, value in enumerate(x, start=1):
        a = beta * a + (1 - beta) * value
        out[t - 1] = a / (1 - beta**t)
    return out


def loss_curves(curves, *, ax=None, log: bool = False, smooth: float | None = None,
                xlabel: str = "epoch", ylabel: str = "loss", title: str = "Loss during training"):
    """Plot one or several loss curves.

    ``curves``: an array, a :class:`~gdlib.History` (its ``losses``) or a dict
    ``label -> array or History``. ``log`` uses a log scale for the loss;
    ``smooth=beta`` draws the raw curves faintly under their :func:`ema`.
    """
    ax = _axes(ax)
    for i, (label, values) in enumerate(_curves(curves).items()):
        shade = color_of(label, i)
        if smooth is None:
            ax.plot(values, color=shade, label=label)
        else:
            ax.plot(values, color=shade, alpha=0.25, linewidth=0.8)
            ax.plot(ema(values, smooth), color=shade, label=label)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if any(label is not None for label in _curves(curves)):
        ax.legend()
    return ax


@lru_cache(maxsize=16)
def _grid(surface, xlim, ylim, n=200):
    # Cached so that explorers redraw a surface without recomputing it.
    W0, W1 = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    return W0, W1, surface.value(np.stack([W0, W1], axis=-1))


def contour(surface, paths=None, *, ax=None, xlim=None, ylim=None, levels: int = 20,
            title: str | None = None):
    """Contour lines of a 2-D surface, its minima (stars), saddles (crosses) and paths.

    ``paths``: a dict ``label -> History or array of shape (k, 2)``, or one of them.
    Levels are spaced by quantiles of the surface, so valleys get as many lines as slopes.
    """
    ax = _axes(ax)
    xlim, ylim = tuple(xlim or surface.xlim), tuple(ylim or surface.ylim)
    W0, W1, Z = _grid(surface, xlim, ylim)
    lines = np.unique(np.quantile(Z, np.linspace(0, 1, levels) ** 2))
    ax.contourf(W0, W1, Z, levels=lines, cmap="Greys_r", alpha=0.35)  # neutral: paths keep their colours
    ax.contour(W0, W1, Z, levels=lines, colors="white", linewidths=0.6)
    for point in surface.minima:
        ax.plot(*point, marker="*", markersize=13, color="black", linestyle="none")
    for point in surface.saddles:
        ax.plot(*point, marker="x", markersize=9, color="black", linestyle="none")
    if paths is not None and not isinstance(paths, dict):
        paths = {None: paths}
    for i, (label, path) in enumerate((paths or {}).items()):
        p = path.trajectory if isinstance(path, History) else np.asarray(path, dtype=float)
        shade = color_of(label, i)  # the same colour as the run's loss curve
        dots = "o" if len(p) <= 200 else None  # on long paths, dots would merge into a band
        ax.plot(p[:, 0], p[:, 1], marker=dots, markersize=2.5, linewidth=1.2, color=shade, label=label)
        ax.plot(*p[0], marker="o", markersize=7, color=shade, markerfacecolor="white")
    ax.set(xlim=xlim, ylim=ylim, xlabel="$w[0]$", ylabel="$w[1]$",
           title=title or f"Paths on the {surface.name} surface")
    ax.grid(False)
    if paths and any(label is not None for label in paths):
        ax.legend(loc="upper right", frameon=True, framealpha=0.9, fontsize=9)
    return ax


def data_fit(X, y, lines=None, *, ax=None, title: str = "Data and fitted line"):
    """Scatter the data (last column of ``X`` against ``y``) and the lines ``y_hat = X w``.

    ``X`` is ``(N, 1)`` for the model ``y_hat = w x`` or ``(N, 2)`` with a first
    column of ones. ``lines``: a dict ``label -> w``, or one ``w``.
    """
    ax = _axes(ax)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    x = X[:, -1]
    ax.scatter(x, y, s=12, alpha=0.6, color=COLORS[0], label="data")
    xs = np.linspace(x.min(), x.max(), 100)
    Xs = np.column_stack([np.ones_like(xs), xs]) if X.shape[1] == 2 else xs[:, None]
    if lines is not None and not isinstance(lines, dict):
        lines = {"fit": lines}
    for i, (label, w) in enumerate((lines or {}).items()):
        ax.plot(xs, Xs @ np.asarray(w, dtype=float), color=COLORS[(i + 1) % len(COLORS)], label=label)
    ax.set(xlabel="$x$", ylabel="$y$", title=title)
    ax.legend()
    return ax


def _runs(optimizers) -> dict:
    """Accept one optimizer, a list of them, or a dict label -> optimizer."""
    if isinstance(optimizers, dict):
        return optimizers
    optimizers = optimizers if isinstance(optimizers, (list, tuple)) else [optimizers]
    return {repr(opt): opt for opt in optimizers}


def _quietly(run, *args, **kwargs):
    with warnings.catch_warnings():  # views report a divergence in their titles instead
        warnings.simplefilter("ignore", DivergenceWarning)
        return run(*args, **kwargs)


def descent_view(surface, optimizers, w0, steps: int = 50, *, noise: float = 0.0, seed: int = 0,
                 xlim=None, ylim=None) -> Figure:
    """Render: optimizers' paths on a surface (left) and :math:`f(w_t) - f_{\\min}` per step (right).

    ``optimizers``: one optimizer, a list, or a dict ``label -> optimizer``;
    ``noise`` and ``seed`` go to :func:`gdlib.minimize`.
    """
    fig, (left, right) = _figure()
    runs = {label: _quietly(minimize, surface, w0, opt, steps, noise=noise, seed=seed)
            for label, opt in _runs(optimizers).items()}
    contour(surface, runs, ax=left, xlim=xlim, ylim=ylim)
    f_min = min(float(surface.value(np.array(m))) for m in surface.minima) if surface.minima else 0.0
    gaps = {label: np.maximum(h.losses - f_min, 1e-16) for label, h in runs.items()}
    if len(runs) == 1:
        h = next(iter(runs.values()))
        title = (f"diverged after {h.diverged_step} steps" if h.diverged
                 else f"$f - f_{{\\min}}$ = {gaps[next(iter(runs))][-1]:.3g} after {steps} steps")
    else:
        title = "Distance to the minimum value"
    loss_curves(gaps if len(runs) > 1 else next(iter(gaps.values())), ax=right, log=True,
                xlabel="step $t$", ylabel="$f(w_t) - f_{\\min}$", title=title)
    return fig


def derivative_view(X, y, w: float, h: float) -> Figure:
    """Render: the cost of the one-weight model ``y_hat = w x``, its tangent and a central difference.

    Left: :math:`L(w)` with the tangent at ``w`` (slope :math:`L'(w)`) and the
    secant through :math:`w \\pm h` (slope :math:`(L(w + h) - L(w - h)) / 2h`).
    Right: how far that estimate is from the true slope, for every ``h``.
    ``X`` has one column.
    """
    fig, (left, right) = _figure()
    ws = np.linspace(w - 2.5, w + 2.5, 200)

    def cost(v):
        return mse.value(np.array([v]), X, y)

    slope = float(mse.grad(np.array([w]), X, y)[0])
    estimate = (cost(w + h) - cost(w - h)) / (2 * h)
    left.plot(ws, mse.value(ws[:, None], X, y), color=COLORS[0], label="$L(w)$")
    left.plot(ws, cost(w) + slope * (ws - w), color=COLORS[1], label=f"tangent, slope {slope:.4g}")
    left.plot(ws, cost(w) + estimate * (ws - w), "--", color=COLORS[2], label=f"central difference, {estimate:.4g}")
    left.plot([w - h, w + h], [cost(w - h), cost(w + h)], "o", color=COLORS[2])
    left.set(xlabel="$w$", ylabel="$L(w)$", title=f"The slope of the cost at w = {w:g}",
             ylim=(-0.05 * cost(ws[0]), 1.05 * max(cost(ws[0]), cost(ws[-1]))))
    left.legend()
    hs = np.logspace(-12, 0, 100)
    errors = [abs((cost(w + s) - cost(w - s)) / (2 * s) - slope) + 1e-17 for s in hs]
    right.loglog(hs, errors, color=COLORS[0])
    right.plot([h], [abs(estimate - slope) + 1e-17], "o", color=COLORS[2])
    right.set(xlabel="step $h$", ylabel="|estimate - true slope|", title="Error of the central difference")
    return fig


def sgd_view(X, y, schedule, *, epochs: int = 10, seed: int = 0) -> Figure:
    """Render: stochastic gradient descent (B = 1) with a learning-rate schedule on a line fit.

    Left: the path on the loss contours. Right: the distance to the least-squares
    weights per step, where a constant rate levels off in a noise ball and a
    Robbins-Monro schedule keeps closing in.
    """
    fig, (left, right) = _figure()
    surface = loss_surface(mse, X, y)
    h = _quietly(fit, mse, np.zeros(2), X, y, scheduled(gd, schedule), batch_size=1, epochs=epochs, seed=seed)
    contour(surface, {repr(schedule): h}, ax=left, title="SGD path on the loss contours")
    distance = np.linalg.norm(h.trajectory - np.array(surface.minima[0]), axis=1)
    title = f"diverged after {h.diverged_step} steps" if h.diverged else f"final distance {distance[-1]:.3g}"
    loss_curves(distance, ax=right, log=True, xlabel="step $t$", ylabel="$\\|w_t - w^*\\|$",
                title=title)
    return fig


def fit_view(X, y, optimizer, *, batch_size=None, epochs: int = 20, seed: int = 0) -> Figure:
    """Render: data with the fitted line (left), per-epoch and per-step loss (right)."""
    fig, (left, right) = _figure()
    h = _quietly(fit, mse, np.zeros(np.shape(X)[1]), X, y, optimizer, batch_size=batch_size, epochs=epochs, seed=seed)
    data_fit(X, y, {repr(optimizer): h.w}, ax=left)
    steps_per_epoch = h.steps / max(len(h.losses) - 1, 1)
    right.plot(np.arange(h.steps) / steps_per_epoch, h.step_losses, color=COLORS[0], alpha=0.3,
               linewidth=0.8, label="batch loss per step")
    right.plot(h.losses, color=COLORS[1], marker="o", markersize=3, label="full loss per epoch")
    right.set_yscale("log")
    status = f"diverged after {h.diverged_step} steps" if h.diverged else f"final loss {h.losses[-1]:.4g}"
    right.set(xlabel="epoch", ylabel="loss", title=status)
    right.legend()
    return fig
