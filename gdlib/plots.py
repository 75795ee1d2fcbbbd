"""Plots in one style: loss curves, contours with paths, data with fitted lines.

Importing this module applies the book's matplotlib style (:func:`use_style`).
Helpers draw into ``ax`` when given one, else into a new figure, and return the
axes. The explorers' render functions (``descent_view`` and the others) live in
:mod:`gdlib.views`; ``plots.descent_view`` and the others still reach them.
"""

from __future__ import annotations

import base64
import io
import re
import textwrap
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import _checks
from .train import History

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
    a batch size (powers of two up to 256) or ``"full"`` for the full batch, or
    a label that starts with one of those (``"B = 32, lr = 0.1"``, ``"full batch"``).
    """
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        if int(key) in BATCH_COLORS:
            return BATCH_COLORS[int(key)]
        raise ValueError(f"no book colour for batch size {key}; use a power of two up to 256 or 'full'.")
    hyper = getattr(key, "hyperparams", None)
    name = key.name + ("-nesterov" if hyper and hyper.get("nesterov") else "") if hyper is not None else str(key)
    name = name.strip().lower()
    if re.match(r"full\b", name):
        return BATCH_COLORS["full"]
    batch = re.match(r"b\s*=\s*(\d+)\b", name)  # a batch-size label such as "B = 32"
    if batch:
        return color(int(batch[1]))
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
    (colour maps, photographs) or would shift one of the book's colours (two
    optimizers must never end up in one palette entry). The file records the scale
    and the panel layout (:func:`panel_layout`) in text chunks, which the book's
    build reads to size the image and to stack its panels on phones.
    """
    from PIL import Image, PngImagePlugin

    panels = panel_layout(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=scale * fig.dpi)
    picture = Image.open(buffer)
    if picture.mode == "RGBA" and picture.getextrema()[3][0] == 255:  # opaque: palette it if that is faithful
        rgb = picture.convert("RGB")
        picture = _with_palette(rgb) or rgb
    info = PngImagePlugin.PngInfo()
    info.add_text("gdlib:scale", str(scale))
    if panels:
        info.add_text("gdlib:panels", panels)
    out = io.BytesIO()
    picture.save(out, format="PNG", pnginfo=info, compress_level=9)
    return out.getvalue(), round(picture.width / scale), round(picture.height / scale)


def _book_rgb() -> np.ndarray:
    """Every colour the book gives a meaning to, as rows of RGB levels."""
    codes = {*COLORS, *OPTIMIZER_COLORS.values(), *BATCH_COLORS.values()}
    return np.array([[int(code[i:i + 2], 16) for i in (1, 3, 5)] for code in sorted(codes)], dtype=float)


def _with_palette(rgb):
    """``rgb`` with a palette of 64 (else 256) colours, or None when neither keeps the picture faithful.

    Faithful: on average within half a level of the original, and every pixel drawn
    in one of the book's colours within 6 levels of it, so that the colours that
    tell optimizers and batch sizes apart survive.
    """
    from PIL import Image

    original = np.asarray(rgb, dtype=float)
    book = [np.all(original == colour, axis=-1) for colour in _book_rgb()]
    book = [(mask, colour) for mask, colour in zip(book, _book_rgb(), strict=True) if mask.sum() >= 20]
    for colours in (64, 256):
        candidate = rgb.quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        after = np.asarray(candidate.convert("RGB"), dtype=float)
        kept = all(np.abs(after[mask] - colour).max() <= 6 for mask, colour in book)
        if kept and np.abs(after - original).mean() <= 0.5:
            return candidate
    return None


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


def _display_name(name: str) -> str:
    """A surface's name as a title writes it: Rosenbrock and the camel are named after a person and an animal."""
    return {"rosenbrock": "Rosenbrock", "camel": "three-hump camel"}.get(name, name)


def contour(surface, paths=None, *, ax=None, xlim=None, ylim=None, levels: int = 20,
            title: str | None = None):
    """Contour lines of a 2-D surface, its minima (the lowest filled stars, local ones hollow), saddles and paths.

    ``paths``: a dict ``label -> History or array of shape (k, 2)``, or one of them.
    Levels are spaced by quantiles of the surface, so valleys get as many lines as slopes.
    """
    ax = _axes(ax)
    xlim, ylim = tuple(xlim or surface.xlim), tuple(ylim or surface.ylim)
    W0, W1, Z = _grid(surface, xlim, ylim)
    lines = np.unique(np.quantile(Z, np.linspace(0, 1, levels) ** 2))
    ax.contourf(W0, W1, Z, levels=lines, cmap="Greys_r", alpha=0.35)  # neutral: paths keep their colours
    ax.contour(W0, W1, Z, levels=lines, colors="white", linewidths=0.6)
    lowest = min((float(surface.value(np.asarray(m, dtype=float))) for m in surface.minima), default=0.0)
    for point in surface.minima:  # on top of the paths, which often end on them; a local minimum hollow
        low = float(surface.value(np.asarray(point, dtype=float))) <= lowest + 1e-12
        ax.plot(*point, marker="*", markersize=13, color="black" if low else "white",
                markeredgecolor="white" if low else "black", linestyle="none", zorder=5)
    for point in surface.saddles:
        ax.plot(*point, marker="x", markersize=9, color="black", linestyle="none", zorder=5)
    ax.set(xlim=xlim, ylim=ylim, xlabel="$w[0]$", ylabel="$w[1]$",
           title=title or f"Paths on the {_display_name(surface.name)} surface")
    ax.grid(False)
    draw_paths(paths, ax=ax)
    return ax


def draw_paths(paths, *, ax) -> list:
    """Draw paths (a dict ``label -> History or array (k, 2)``, or one of them) and their legend.

    Returns the artists it added, so that an explorer can redraw just them.
    """
    if paths is not None and not isinstance(paths, dict):
        paths = {None: paths}
    added = []
    for i, (label, path) in enumerate((paths or {}).items()):
        p = path.trajectory if isinstance(path, History) else np.asarray(path, dtype=float)
        shade = color_of(label, i)  # the same colour as the run's loss curve
        dots = "o" if len(p) <= 200 else None  # on long paths, dots would merge into a band
        added += ax.plot(p[:, 0], p[:, 1], marker=dots, markersize=2.5, linewidth=1.2, color=shade,
                         label=None if label is None else textwrap.fill(str(label), 26))  # fits a phone's panel
        added += ax.plot(*p[0], marker="o", markersize=8, markeredgewidth=2, color=shade,
                         markerfacecolor="white")
    labelled = [line for line, label in zip(added[::2], paths or {}, strict=True) if label is not None]
    if labelled:
        added.append(ax.legend(handles=labelled, loc="upper right", frameon=True, framealpha=0.9))
    return added


def data_fit(X, y, lines=None, *, ax=None, title: str = "Data and fitted line"):
    """Scatter the data (last column of ``X`` against ``y``) and the lines ``y_hat = X w``.

    ``X`` is ``(N, 1)`` for the model ``y_hat = w x`` or ``(N, 2)`` with a first
    column of ones. ``lines``: a dict ``label -> w``, or one ``w``.
    """
    ax = _axes(ax)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    x = X[:, -1]
    ax.scatter(x, y, s=12, alpha=0.6, color="0.45", label="data")  # grey: blue is gradient descent's
    xs = np.linspace(x.min(), x.max(), 100)
    Xs = np.column_stack([np.ones_like(xs), xs]) if X.shape[1] == 2 else xs[:, None]
    if lines is not None and not isinstance(lines, dict):
        lines = {"fit": lines}
    for i, (label, w) in enumerate((lines or {}).items()):
        ax.plot(xs, Xs @ np.asarray(w, dtype=float), color=color_of(label, i + 1), label=label)
    ax.set(xlabel="$x$", ylabel="$y$", title=title)
    ax.legend()
    return ax


def __getattr__(name):
    # The explorers' render functions live in gdlib.views; chapters still call them as plots.*_view.
    if name in ("descent_view", "derivative_view", "sgd_view", "fit_view"):
        from . import views

        return getattr(views, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
