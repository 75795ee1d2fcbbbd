"""Figures that change in place: the pictures behind the explorers, and the render functions built on them.

A view owns a figure of two panels. ``update(...)`` runs the experiment and puts
the results on the view's artists; ``png()`` draws the figure into PNG bytes,
redrawing only the artists that change over a cached background (matplotlib's
blitting), so a contour plot is filled once, not at every move of a slider.
:mod:`gdlib.widgets` shows views; each ``*_view`` function renders one state
into a new Figure, for a chapter's static picture.
"""

from __future__ import annotations

import inspect
import io
import warnings

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from . import optimizers as optimizers_
from . import plots
from .losses import mse
from .optimizers import gd, rounded
from .schedules import scheduled
from .surfaces import loss_surface
from .train import DivergenceWarning, History, fit, minimize

DPI = 100  # a live view's pixels per inch: two panels of the book's size, 740 x 330 pixels


class View:
    """Two panels; the artists that ``changing()`` lists are redrawn over a cached background."""

    def __init__(self, axes=None):
        self.live = axes is None
        if self.live:  # a figure of its own, outside pyplot: no global state, safe in a thread
            fig = Figure(figsize=(plots.PANEL_WIDTHS[2], plots.PANEL_HEIGHT), dpi=DPI)
            FigureCanvasAgg(fig)
            with plt.rc_context({"axes.titley": 1.0}):  # titles at a fixed height: no measuring at each draw
                axes = fig.subplots(1, 2)
        self.fig = axes[0].figure
        self.left, self.right = axes
        self._backgrounds = {}  # background() -> the pixels of everything that does not change

    def redrawn(self, ax) -> None:
        """Prepare ``ax``, whose whole panel an update redraws: empty it, and in a live view fix its labels.

        Axis labels placed by hand spare measuring the tick labels at every draw.
        """
        for artist in [*ax.lines, *ax.collections, *ax.texts]:
            artist.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        ax.relim()
        if self.live:
            ax.xaxis.set_label_coords(0.5, -0.12)
            ax.yaxis.set_label_coords(-0.14, 0.5)

    def changing(self) -> list:
        """The artists (or whole axes) that an update replaces."""
        return [self.left, self.right]

    def background(self):
        """A key for what the static artists show; a new key draws the whole figure once."""
        return None

    def png(self) -> bytes:
        """The figure as PNG bytes, drawing again only what changed since the background was cached."""
        canvas, key, changing = self.fig.canvas, self.background(), self.changing()
        for artist in changing:
            artist.set_animated(True)  # left out of full draws: the background is what never changes
            if isinstance(artist, Axes) and "log" in (artist.get_xscale(), artist.get_yscale()):
                artist.minorticks_off()  # dozens of ticks fewer to draw at every move
        if key not in self._backgrounds:
            canvas.draw()
            self.fig.set_layout_engine("none")  # keep the first layout: panels stay put as the numbers change
            self._backgrounds[key] = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._backgrounds[key])
        renderer = canvas.get_renderer()
        for artist in changing:
            artist.draw(renderer)
        return encode(canvas)


def encode(canvas: FigureCanvasAgg) -> bytes:
    """What an Agg canvas shows, as PNG bytes (without drawing it again, unlike ``savefig``)."""
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "PNG", compress_level=1)  # fast: time matters more than size here
    return out.getvalue()


def _quietly(run, *args, **kwargs):
    with warnings.catch_warnings():  # views report a divergence in their titles instead
        warnings.simplefilter("ignore", DivergenceWarning)
        return run(*args, **kwargs)


def _runs(optimizers) -> dict:
    """Accept one optimizer, a list of them, or a dict label -> optimizer."""
    if isinstance(optimizers, dict):
        return optimizers
    optimizers = optimizers if isinstance(optimizers, (list, tuple)) else [optimizers]
    return {_short_label(opt): opt for opt in optimizers}


_QUIET_DEFAULTS = ("eps",)  # settings a legend names only when they differ from the default


def _short_label(opt) -> str:
    """``Optimizer.label`` without eps at its default (it only guards a division): a legend that fits its panel."""
    factory = getattr(optimizers_, opt.name, None)
    defaults = {} if factory is None else {
        name: p.default for name, p in inspect.signature(factory).parameters.items() if p.default is not p.empty}
    shown = {k: v for k, v in opt.hyperparams.items()
             if k not in _QUIET_DEFAULTS or k not in defaults or defaults[k] != v}
    return f"{opt.name}({', '.join(f'{k}={rounded(v)}' for k, v in shown.items())})"


class DescentView(View):
    """Optimizers' paths on a surface (left) and :math:`f(w_t) - f_{\\min}` per step (right)."""

    def __init__(self, surface, steps: int = 50, *, xlim=None, ylim=None, axes=None):
        super().__init__(axes)
        self.steps, self.xlim, self.ylim = steps, xlim, ylim
        self.surface, self._paths = None, []
        self.set_surface(surface)

    def set_surface(self, surface) -> None:
        if surface is not self.surface:
            self.surface, self._paths = surface, []
            self.left.clear()
            plots.contour(surface, ax=self.left, xlim=self.xlim, ylim=self.ylim)
            spans = np.ptp(self.left.get_xlim()), np.ptp(self.left.get_ylim())
            # Both axes are weights: equal scales, so that a circle looks like a circle and a step is seen
            # at its true angle to the contours, unless equal scales would squash the map into a strip.
            self.left.set_aspect("equal" if max(spans) <= 3 * min(spans) else "auto")

    def background(self):
        return self.surface

    def changing(self) -> list:
        return [*self._paths, self.right]

    def update(self, optimizers, w0, *, noise: float = 0.0, seed: int = 0) -> DescentView:
        surface, steps = self.surface, self.steps
        runs = {label: _quietly(minimize, surface, w0, opt, steps, noise=noise, seed=seed)
                for label, opt in _runs(optimizers).items()}
        for artist in self._paths:
            artist.remove()
        self._paths = plots.draw_paths(runs, ax=self.left)
        for i, (label, h) in enumerate(runs.items()):  # a filled square where each path ends, as in the chapters
            self._paths += self.left.plot(*h.trajectory[-1], "s", markersize=7, color=plots.color_of(label, i),
                                          markeredgecolor="black", clip_on=True)
        f_min = min(float(surface.value(np.array(m))) for m in surface.minima) if surface.minima else 0.0
        gaps = {label: np.maximum(h.losses - f_min, 1e-16) for label, h in runs.items()}
        if len(runs) == 1:
            h, gap = next(iter(runs.values())), next(iter(gaps.values()))
            title = (f"diverged after {h.diverged_step} steps" if h.diverged
                     else f"$f - f_{{\\min}}$ = {gap[-1]:.3g} after {steps} steps")
        else:
            title = "Gap to the minimum value"
        self.redrawn(self.right)
        plots.loss_curves(gaps, ax=self.right, log=True,  # labelled: each curve in its optimizer's colour
                          xlabel="step $t$", ylabel="$f(w_t) - f_{\\min}$", title=title)
        if len(runs) == 1:
            self.right.get_legend().remove()  # the map's legend names the one run
        else:  # one legend names the runs, in the same colours in both panels
            if self.live:
                self.right.get_legend().remove()
            elif self.left.get_legend() is not None:  # a picture: the curves' legend, which covers no path
                legend = self.left.get_legend()
                legend.remove()
                self._paths = [artist for artist in self._paths if artist is not legend]
        return self


class DerivativeView(View):
    """The cost of the one-weight model ``y_hat = w x``, its tangent and a central difference."""

    FLOOR = 1e-17  # where the right panel draws an error of exactly 0
    STEPS = np.logspace(-12, 0, 100)  # the values of h on the right panel

    def __init__(self, X, y, *, axes=None):
        super().__init__(axes)
        self.X, self.y = X, y
        # The right panel keeps its axes and only moves its curve, marker and legend: its log-scale tick labels
        # are drawn once into the background, not at every move (they were most of a move's time).
        right = self.right
        self._errors, = right.loglog(self.STEPS, np.full_like(self.STEPS, self.FLOOR), color=plots.COLORS[0],
                                     label="|estimate - true slope|")
        self._chosen, = right.plot([], [], "o", color=plots.COLORS[2], label="h")
        right.axhline(self.FLOOR, color="grey", linestyle=":", linewidth=1, label="exactly 0, drawn at $10^{-17}$")
        right.set(xlabel="step $h$", ylabel="absolute error of the slope", title="Error of the central difference",
                  xlim=(self.STEPS[0] / 2, self.STEPS[-1] * 2))
        if self.live:  # labels placed by hand, as View.redrawn does; the log tick labels are wider
            right.xaxis.set_label_coords(0.5, -0.12)
            right.yaxis.set_label_coords(-0.19, 0.5)
        self._legend = right.legend(loc="upper right")
        self._top = 1  # the right panel's top, a power of ten; it only grows, so the background is rarely redrawn

    def cost(self, w):
        return mse.value(np.array([w]), self.X, self.y)

    def changing(self) -> list:
        return [self.left, self._errors, self._chosen, self._legend]

    def background(self):
        return self._top

    def update(self, w: float, h: float) -> DerivativeView:
        left, cost = self.left, self.cost
        self.redrawn(left)
        ws = np.linspace(w - 2.5, w + 2.5, 200)
        slope = float(mse.grad(np.array([w]), self.X, self.y)[0])
        estimate = (cost(w + h) - cost(w - h)) / (2 * h)

        def above_zero(line):  # a cost is never negative: the straight lines stop where they would be
            return np.where(line >= 0, line, np.nan)

        # 12 significant digits: enough to see which digits of the estimate a tiny h has lost
        left.plot(ws, mse.value(ws[:, None], self.X, self.y), color=plots.COLORS[0], label="$L(w)$")
        left.plot(ws, above_zero(cost(w) + slope * (ws - w)), color=plots.COLORS[1],
                  label=f"tangent, slope {slope:.12g}")
        left.plot(ws, above_zero(cost(w) + estimate * (ws - w)), "--", color=plots.COLORS[2],
                  label=f"central difference, {estimate:.12g}")
        left.plot([w - h, w + h], [cost(w - h), cost(w + h)], "o", color=plots.COLORS[2])
        left.set(xlabel="$w$", ylabel="$L(w)$", title=f"The slope of the cost at w = {rounded(w)}",
                 ylim=(-0.05 * cost(ws[0]), 1.05 * max(cost(ws[0]), cost(ws[-1]))))
        left.legend()
        # An error of exactly 0 has no place on a log axis: it is drawn at FLOOR, on a dotted line that says so.
        errors = np.array([max(abs((cost(w + s) - cost(w - s)) / (2 * s) - slope), self.FLOOR) for s in self.STEPS])
        self._errors.set_ydata(errors)
        self._chosen.set_data([h], [max(abs(estimate - slope), self.FLOOR)])
        self._legend.get_texts()[1].set_text(f"h = {rounded(h)}")
        # Three decades above the largest error leave room for the legend. The top never comes down: an axis that
        # followed the round-off of every move would jump, and each new top costs a full drawing.
        self._top = max(self._top, int(np.ceil(np.log10(errors.max()))) + 3)
        self.right.set_ylim(self.FLOOR / 10, 10.0 ** self._top)
        return self


def _schedule_label(schedule) -> str:
    tau = "" if schedule.tau is None else f", tau={rounded(schedule.tau)}"
    return f"{schedule.name}(lr={rounded(schedule.lr)}{tau})"


class SGDView(View):
    """Stochastic gradient descent (B = 1) with a learning-rate schedule on a line fit."""

    def __init__(self, X, y, *, epochs: int = 10, axes=None):
        super().__init__(axes)
        self.X, self.y, self.epochs = X, y, epochs
        self.surface = loss_surface(mse, X, y)
        self._paths = []
        plots.contour(self.surface, ax=self.left, title="SGD path on the loss contours")

    def changing(self) -> list:
        return [*self._paths, self.right]

    def update(self, schedule, *, seed: int = 0) -> SGDView:
        h = _quietly(fit, mse, np.zeros(2), self.X, self.y, scheduled(gd, schedule), batch_size=1,
                     epochs=self.epochs, seed=seed)
        for artist in self._paths:
            artist.remove()
        self._paths = plots.draw_paths({_schedule_label(schedule): h}, ax=self.left)
        distance = np.linalg.norm(h.trajectory - np.array(self.surface.minima[0]), axis=1)
        # The last point of a noisy path is one draw from the noise ball: its typical size over the last epoch
        # is the number that does not jump when the seed changes.
        last_epoch = distance[-len(self.y):]
        title = (f"diverged after {h.diverged_step} steps" if h.diverged
                 else f"RMS distance, last epoch: {np.sqrt(np.mean(last_epoch ** 2)):.2g}")
        self.redrawn(self.right)
        plots.loss_curves(distance, ax=self.right, log=True, xlabel="step $t$", ylabel="$\\|w_t - w^*\\|$",
                          title=title)
        return self


class FitView(View):
    """Data with the fitted line (left), per-step and per-epoch loss (right)."""

    def __init__(self, X, y, *, epochs: int = 20, axes=None):
        super().__init__(axes)
        self.X, self.y, self.epochs = X, y, epochs
        plots.data_fit(X, y, ax=self.left)  # the data: drawn once, part of the background
        self._fit = []

    def changing(self) -> list:
        return [*self._fit, self.right]

    def update(self, optimizer, *, batch_size=None, seed: int = 0) -> FitView:
        left, right = self.left, self.right
        h: History = _quietly(fit, mse, np.zeros(np.shape(self.X)[1]), self.X, self.y, optimizer,
                              batch_size=batch_size, epochs=self.epochs, seed=seed)
        for artist in self._fit:
            artist.remove()
        drawn = len(left.lines)
        plots.data_fit(self.X, self.y, {optimizer.label: h.w}, ax=left)
        for again in left.collections[1:]:
            again.remove()  # data_fit drew the data again: the first copy is there already
        self._fit = [*left.lines[drawn:], left.legend()]  # the legend again, without the second copy
        self.redrawn(right)
        steps_per_epoch = h.steps / max(len(h.losses) - 1, 1)
        shade = plots.color_of("full" if batch_size is None else batch_size, 1)  # the book's colour of this batch size
        right.plot(np.arange(h.steps) / steps_per_epoch, h.step_losses, color=shade, alpha=0.3,
                   linewidth=0.8, label="batch loss per step")
        right.plot(h.losses, color=shade, marker="o", markersize=3, label="full loss per epoch")
        right.set_yscale("log")
        status = f"diverged after {h.diverged_step} steps" if h.diverged else f"final loss {h.losses[-1]:.4g}"
        right.set(xlabel="epoch", ylabel="loss", title=status)
        right.legend()
        return self


def _figure_axes():
    """Two panels for a chapter's picture, sized by :func:`gdlib.plots.subplots`.

    Made through pyplot, which also sets up Jupyter's display of figures, and at
    once removed from pyplot's list of open figures, so that a notebook shows it
    once (as the cell's result) and nothing else holds on to it.
    """
    fig, axes = plots.subplots(1, 2)
    plt.close(fig)
    return axes


def descent_view(surface, optimizers, w0, steps: int = 50, *, noise: float = 0.0, seed: int = 0,
                 xlim=None, ylim=None) -> Figure:
    """Render :class:`DescentView`: optimizers' paths on a surface and :math:`f(w_t) - f_{\\min}` per step.

    ``optimizers``: one optimizer, a list, or a dict ``label -> optimizer``;
    ``noise`` and ``seed`` go to :func:`gdlib.minimize`. The map uses equal scales on
    both axes, unless one spans more than three times the other.
    """
    view = DescentView(surface, steps, xlim=xlim, ylim=ylim, axes=_figure_axes())
    return view.update(optimizers, w0, noise=noise, seed=seed).fig


def derivative_view(X, y, w: float, h: float) -> Figure:
    """Render :class:`DerivativeView`: the cost of ``y_hat = w x``, its tangent and a central difference.

    Left: :math:`L(w)` with the tangent at ``w`` (slope :math:`L'(w)`) and the
    secant through :math:`w \\pm h` (slope :math:`(L(w + h) - L(w - h)) / 2h`),
    both drawn where they are not below 0, and their slopes to 12 digits.
    Right: how far that estimate is from the true slope, :math:`|\\text{estimate} - L'(w)|`
    (an absolute error, not the relative error of :func:`gdlib.grad_error`), for every
    ``h``; an error of exactly 0 is drawn at :math:`10^{-17}`. ``X`` has one column.
    """
    return DerivativeView(X, y, axes=_figure_axes()).update(w, h).fig


def sgd_view(X, y, schedule, *, epochs: int = 10, seed: int = 0) -> Figure:
    """Render :class:`SGDView`: stochastic gradient descent (B = 1) with a schedule on a line fit.

    Left: the path on the loss contours. Right: the distance to the least-squares
    weights per step, where a constant rate levels off in a noise ball and a
    Robbins-Monro schedule keeps closing in; its title gives the root mean square of
    that distance over the last epoch, the size of the noise ball.
    """
    return SGDView(X, y, epochs=epochs, axes=_figure_axes()).update(schedule, seed=seed).fig


def fit_view(X, y, optimizer, *, batch_size=None, epochs: int = 20, seed: int = 0) -> Figure:
    """Render :class:`FitView`: data with the fitted line (left), per-step and per-epoch loss (right)."""
    return FitView(X, y, epochs=epochs, axes=_figure_axes()).update(optimizer, batch_size=batch_size,
                                                                      seed=seed).fig
