"""Interactive explorers: controls that redraw a view of :mod:`gdlib.views` as you move them.

This is the only gdlib module that imports ipywidgets. An explorer shows its
view as a PNG picture (an ipywidgets ``Image``). A change of a control updates
the artists of one persistent figure and redraws only what changed, in a
background thread that always draws the latest values: a slider dragged faster
than the figure can follow skips the stale states instead of queueing them.
Explorers need a live Jupyter kernel.
"""

from __future__ import annotations

import html
import math
import threading
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from . import views
from .data import badly_scaled, line_100, toy
from .losses import mse
from .optimizers import adagrad, adam, gd, momentum, rmsprop
from .schedules import constant, inverse_sqrt, inverse_time
from .surfaces import camel, loss_surface, quadratic, rosenbrock, saddle

OPTIMIZERS = {"gd": gd, "momentum": momentum, "rmsprop": rmsprop, "adagrad": adagrad, "adam": adam}
SCHEDULES = {"constant": constant, "inverse_time": inverse_time, "inverse_sqrt": inverse_sqrt}
SURFACES = {"quadratic": quadratic, "rosenbrock": rosenbrock, "saddle": saddle, "camel": camel}


class Explorer(widgets.VBox):
    """Controls above the picture of a view; ``update(view, **values)`` puts the controls' values on it.

    The first picture is drawn before the explorer is shown. ``wait()`` blocks
    until the picture shows the controls' latest values; ``latencies`` holds the
    seconds from each handled change to its new picture.
    """

    def __init__(self, view: views.View, update, controls: dict):
        self.view, self._update, self.controls = view, update, controls
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="1000px"))
        self.status = widgets.HTML()  # says what went wrong, if anything did
        self.latencies: list[float] = []
        self._lock, self._idle = threading.Lock(), threading.Event()
        self._worker, self._pending, self._since = None, False, None
        self._idle.set()
        box = widgets.Box(list(controls.values()), layout=widgets.Layout(display="flex", flex_flow="row wrap"))
        super().__init__([box, self.image, self.status], layout=widgets.Layout(width="100%"))
        self._draw()
        for control in controls.values():
            control.observe(self._changed, names="value")

    @property
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def _changed(self, change=None) -> None:
        with self._lock:
            self._pending, self._since = True, self._since or time.perf_counter()
            if self._worker is None:
                self._idle.clear()
                self._worker = threading.Thread(target=self._drain, name="gdlib-explorer", daemon=True)
                self._worker.start()

    def _drain(self) -> None:
        while True:  # draw until the picture shows the latest values, then let the thread end
            with self._lock:
                if not self._pending:
                    self._worker = None
                    self._idle.set()
                    return
                self._pending, since, self._since = False, self._since, None
            self._draw()
            self.latencies.append(time.perf_counter() - since)

    def _draw(self) -> None:
        try:
            self._update(self.view, **self.values)
            self.image.value = self.view.png()
            self.status.value = ""
        except Exception as error:  # keep the last picture and say why there is no new one
            self.status.value = (f'<span style="color:#b00020">{type(error).__name__}: '
                                 f"{html.escape(str(error))}</span>")

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until the picture shows the latest values; False if ``timeout`` seconds pass first."""
        return self._idle.wait(timeout)


class _FigureView(views.View):
    """A view of any render function's new Figure: drawn whole each time (the slow, general way)."""

    def __init__(self, render):
        self.render, self.fig = render, None

    def update(self, **values) -> None:
        self.fig = self.render(**values)

    def png(self) -> bytes:
        canvas = FigureCanvasAgg(self.fig)
        canvas.draw()
        return views.encode(canvas)


def explore(render, **controls) -> Explorer:
    """An explorer with one control per keyword argument of ``render``, which returns a new Figure.

    Each control is an ipywidgets widget or anything ``ipywidgets.interactive``
    understands (a list of options, a ``(min, max, step)`` tuple). Whenever a
    control moves, ``render(**values)`` is called and its Figure shown. The
    book's explorers update a persistent figure instead, which is faster.
    """
    made = {name: c if isinstance(c, widgets.Widget) else widgets.interactive.widget_from_abbrev(c)
            for name, c in controls.items()}
    for name, control in made.items():
        control.description = control.description or name
    return Explorer(_FigureView(render), lambda view, **values: view.update(**values), made)


def log_slider(name: str, value: float, low: float, high: float) -> widgets.FloatLogSlider:
    """A logarithmic slider: equal moves multiply the value by equal factors."""
    return widgets.FloatLogSlider(value=value, base=10, min=np.log10(low), max=np.log10(high), step=0.05,
                                  description=name, continuous_update=True, readout_format=".3g")


def slider(name: str, value: float, low: float, high: float, step: float = 0.01) -> widgets.FloatSlider:
    """A linear slider whose readout shows as many decimals as its step."""
    decimals = max(0, -math.floor(math.log10(step)))
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=name,
                               continuous_update=True, readout_format=f".{decimals}f")


def _choice(name: str, options, value=None) -> widgets.Dropdown:
    return widgets.Dropdown(options=list(options), value=value or list(options)[0], description=name)


def _seed() -> widgets.IntSlider:
    return widgets.IntSlider(value=0, min=0, max=9, description="seed", continuous_update=True)


def derivative_explorer(X=None, y=None, *, w: float = 1.0, h: float = 0.1) -> Explorer:
    """Move ``w`` and the difference step ``h``; see the tangent and its numerical estimate.

    Shows :class:`gdlib.views.DerivativeView`; the data default to :func:`gdlib.data.toy`.
    """
    if X is None:
        X, y = toy()
    return Explorer(views.DerivativeView(X, y), lambda view, w, h: view.update(w, h),
                    {"w": slider("w", w, -1.0, 5.0, 0.05), "h": log_slider("h", h, 1e-10, 1.0)})


def descent_explorer(surface=None, *, lr: float = 0.1, w0=(-1.5, 1.5), steps: int = 50) -> Explorer:
    """Pick an optimizer, a learning rate and a start; see the path on ``surface``.

    Shows :class:`gdlib.views.DescentView`; the surface defaults to the
    ill-conditioned :func:`gdlib.surfaces.quadratic`.
    """
    surface = surface or quadratic()

    def update(view, optimizer, lr, start_w0, start_w1):
        view.update(OPTIMIZERS[optimizer](lr), (start_w0, start_w1))

    return Explorer(views.DescentView(surface, steps), update,
                    {"optimizer": _choice("optimizer", OPTIMIZERS), "lr": log_slider("lr", lr, 1e-3, 3.0),
                     "start_w0": slider("start w[0]", w0[0], *surface.xlim),
                     "start_w1": slider("start w[1]", w0[1], *surface.ylim)})


def sgd_explorer(X=None, y=None, *, lr: float = 0.05, tau: float = 100.0, epochs: int = 10) -> Explorer:
    """Stochastic gradient descent on a line fit: learning rate, decay schedule and seed.

    Shows :class:`gdlib.views.SGDView`; the decaying schedules halve the rate
    after ``tau`` steps. The data default to :func:`gdlib.data.line_100`.
    """
    if X is None:
        X, y = line_100()

    def update(view, lr, schedule, seed):
        make = SCHEDULES[schedule]
        view.update(make(lr) if schedule == "constant" else make(lr, tau), seed=seed)

    return Explorer(views.SGDView(X, y, epochs=epochs), update,
                    {"lr": log_slider("lr", lr, 1e-3, 0.3), "schedule": _choice("schedule", SCHEDULES),
                     "seed": _seed()})


def fit_explorer(X=None, y=None, *, lr: float = 0.05, epochs: int = 20) -> Explorer:
    """Fit a line with gradient descent; move the learning rate, batch size and seed.

    Shows :class:`gdlib.views.FitView`; the data default to :func:`gdlib.data.line_100`.
    """
    if X is None:
        X, y = line_100()
    n = len(X)
    sizes = sorted({b for b in (1, 4, 16, 64, n) if b <= n})

    def update(view, lr, batch_size, seed):
        view.update(gd(lr), batch_size=None if batch_size == n else batch_size, seed=seed)

    return Explorer(views.FitView(X, y, epochs=epochs), update,
                    {"lr": log_slider("lr", lr, 1e-3, 1.0),
                     "batch_size": widgets.SelectionSlider(options=sizes, value=n, description="batch size"),
                     "seed": _seed()})


def momentum_explorer(surface=None, *, lr: float = 0.05, beta: float = 0.9, w0=(-1.5, 1.0),
                      steps: int = 100) -> Explorer:
    """Momentum against plain gradient descent with the same learning rate; move lr and beta.

    Shows :class:`gdlib.views.DescentView`; the surface defaults to a quadratic
    with curvatures 1 and 100, where the default lr is too large for gradient
    descent (its limit is 2/100) but not for momentum.
    """
    surface = surface or quadratic((1.0, 100.0))
    return Explorer(views.DescentView(surface, steps),
                    lambda view, lr, beta: view.update([gd(lr), momentum(lr, beta)], w0),
                    {"lr": log_slider("lr", lr, 1e-3, 1.0), "beta": slider("beta", beta, 0.0, 0.99)})


def rmsprop_explorer(X=None, y=None, *, lr: float = 0.01, beta: float = 0.9, eps: float = 1e-8,
                     steps: int = 300) -> Explorer:
    """RMSProp on a badly scaled line fit; move lr, beta and eps.

    Shows :class:`gdlib.views.DescentView` on the loss surface of
    :func:`gdlib.data.badly_scaled` (the default data).
    """
    if X is None:
        X, y = badly_scaled()
    return Explorer(views.DescentView(loss_surface(mse, X, y), steps),
                    lambda view, lr, beta, eps: view.update(rmsprop(lr, beta, eps), (0.0, 0.0)),
                    {"lr": log_slider("lr", lr, 1e-4, 0.3), "beta": slider("beta", beta, 0.0, 0.999, 0.001),
                     "eps": log_slider("eps", eps, 1e-10, 1.0)})


def adam_explorer(surface=None, *, lr: float = 0.05, w0=(-1.2, 1.0), steps: int = 300) -> Explorer:
    """Adam on a surface; move lr, beta1 and beta2 and compare with RMSProp at the same lr.

    Shows :class:`gdlib.views.DescentView`; the surface defaults to
    :func:`gdlib.surfaces.rosenbrock`.
    """
    surface = surface or rosenbrock()
    return Explorer(views.DescentView(surface, steps),
                    lambda view, lr, beta1, beta2: view.update([rmsprop(lr, beta2), adam(lr, beta1, beta2)], w0),
                    {"lr": log_slider("lr", lr, 1e-4, 1.0), "beta1": slider("beta1", 0.9, 0.0, 0.99),
                     "beta2": slider("beta2", 0.999, 0.5, 0.9999, 0.0001)})


def arena_explorer(*, lr: float = 0.01, steps: int = 300) -> Explorer:
    """Any optimizer on any test surface: pick both, move the learning rate and the start.

    Shows :class:`gdlib.views.DescentView` with the optimizer's default hyperparameters.
    """
    made = {name: make() for name, make in SURFACES.items()}  # one each: its background is drawn once

    def update(view, surface, optimizer, lr, start_w0, start_w1):
        view.set_surface(made[surface])
        view.update(OPTIMIZERS[optimizer](lr), (start_w0, start_w1))

    return Explorer(views.DescentView(made["rosenbrock"], steps), update,
                    {"surface": _choice("surface", SURFACES, "rosenbrock"),
                     "optimizer": _choice("optimizer", OPTIMIZERS, "adam"), "lr": log_slider("lr", lr, 1e-4, 1.0),
                     "start_w0": slider("start w[0]", -1.2, -2.0, 2.0),
                     "start_w1": slider("start w[1]", 1.0, -1.5, 2.5)})
