"""Interactive explorers: controls that redraw a pure render function of :mod:`gdlib.plots`.

This is the only gdlib module that imports ipywidgets. Explorers need a live
Jupyter kernel; the tests call the render functions directly.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from . import plots
from .data import badly_scaled, line_100, toy
from .losses import mse
from .optimizers import adagrad, adam, gd, momentum, rmsprop
from .schedules import constant, inverse_sqrt, inverse_time
from .surfaces import camel, loss_surface, quadratic, rosenbrock, saddle

OPTIMIZERS = {"gd": gd, "momentum": momentum, "rmsprop": rmsprop, "adagrad": adagrad, "adam": adam}
SCHEDULES = {"constant": constant, "inverse_time": inverse_time, "inverse_sqrt": inverse_sqrt}


def explore(render, **controls) -> widgets.Widget:
    """Return a widget with one control per keyword argument of ``render``.

    Each control is an ipywidgets widget or anything ``ipywidgets.interactive``
    understands (a list of options, a ``(min, max, step)`` tuple). Whenever a
    control moves, ``render(**values)`` is called and the Figure it returns shown.
    """
    ui = widgets.interactive(render, **controls)
    ui.layout = widgets.Layout(width="100%")
    return ui


def log_slider(name: str, value: float, low: float, high: float) -> widgets.FloatLogSlider:
    """A logarithmic slider: equal moves multiply the value by equal factors."""
    return widgets.FloatLogSlider(value=value, base=10, min=np.log10(low), max=np.log10(high), step=0.05,
                                  description=name, continuous_update=False, readout_format=".3g")


def slider(name: str, value: float, low: float, high: float, step: float = 0.01) -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=name,
                               continuous_update=False)


def derivative_explorer(X=None, y=None, *, w: float = 1.0, h: float = 0.1) -> widgets.Widget:
    """Move ``w`` and the difference step ``h``; see the tangent and its numerical estimate.

    Renders :func:`gdlib.plots.derivative_view`; the data default to :func:`gdlib.data.toy`.
    """
    if X is None:
        X, y = toy()
    return explore(lambda w, h: plots.derivative_view(X, y, w, h), w=slider("w", w, -1.0, 5.0, 0.05),
                   h=log_slider("h", h, 1e-10, 1.0))


def descent_explorer(surface=None, *, lr: float = 0.1, w0=(-1.5, 1.5), steps: int = 50) -> widgets.Widget:
    """Pick an optimizer, a learning rate and a start; see the path on ``surface``.

    Renders :func:`gdlib.plots.descent_view`; the surface defaults to the
    ill-conditioned :func:`gdlib.surfaces.quadratic`.
    """
    surface = surface or quadratic()

    def render(optimizer, lr, start_w0, start_w1):
        return plots.descent_view(surface, OPTIMIZERS[optimizer](lr), (start_w0, start_w1), steps)

    return explore(render, optimizer=widgets.Dropdown(options=list(OPTIMIZERS), description="optimizer"),
                   lr=log_slider("lr", lr, 1e-3, 3.0), start_w0=slider("start w[0]", w0[0], *surface.xlim),
                   start_w1=slider("start w[1]", w0[1], *surface.ylim))


def sgd_explorer(X=None, y=None, *, lr: float = 0.05, tau: float = 100.0, epochs: int = 10) -> widgets.Widget:
    """Stochastic gradient descent on a line fit: learning rate, decay schedule and seed.

    Renders :func:`gdlib.plots.sgd_view`; the decaying schedules halve the rate
    after ``tau`` steps. The data default to :func:`gdlib.data.line_100`.
    """
    if X is None:
        X, y = line_100()

    def render(lr, schedule, seed):
        make = SCHEDULES[schedule]
        return plots.sgd_view(X, y, make(lr) if schedule == "constant" else make(lr, tau), epochs=epochs, seed=seed)

    return explore(render, lr=log_slider("lr", lr, 1e-3, 0.3),
                   schedule=widgets.Dropdown(options=list(SCHEDULES), description="schedule"),
                   seed=widgets.IntSlider(value=0, min=0, max=9, description="seed", continuous_update=False))


def fit_explorer(X=None, y=None, *, lr: float = 0.05, epochs: int = 20) -> widgets.Widget:
    """Fit a line with gradient descent; move the learning rate, batch size and seed.

    Renders :func:`gdlib.plots.fit_view`; the data default to :func:`gdlib.data.line_100`.
    """
    if X is None:
        X, y = line_100()
    n = len(X)
    sizes = sorted({b for b in (1, 4, 16, 64, n) if b <= n})

    def render(lr, batch_size, seed):
        return plots.fit_view(X, y, gd(lr), batch_size=None if batch_size == n else batch_size,
                              epochs=epochs, seed=seed)

    return explore(render, lr=log_slider("lr", lr, 1e-3, 1.0),
                   batch_size=widgets.SelectionSlider(options=sizes, value=n, description="batch size"),
                   seed=widgets.IntSlider(value=0, min=0, max=9, description="seed", continuous_update=False))


def momentum_explorer(surface=None, *, lr: float = 0.05, beta: float = 0.9, w0=(-1.5, 1.0),
                      steps: int = 100) -> widgets.Widget:
    """Momentum against plain gradient descent with the same learning rate; move lr and beta.

    Renders :func:`gdlib.plots.descent_view`; the surface defaults to a quadratic
    with curvatures 1 and 100, where the default lr is too large for gradient
    descent (its limit is 2/100) but not for momentum.
    """
    surface = surface or quadratic((1.0, 100.0))

    def render(lr, beta):
        return plots.descent_view(surface, [gd(lr), momentum(lr, beta)], w0, steps)

    return explore(render, lr=log_slider("lr", lr, 1e-3, 1.0), beta=slider("beta", beta, 0.0, 0.99))


def rmsprop_explorer(X=None, y=None, *, lr: float = 0.01, beta: float = 0.9, eps: float = 1e-8,
                     steps: int = 300) -> widgets.Widget:
    """RMSProp on a badly scaled line fit; move lr, beta and eps.

    Renders :func:`gdlib.plots.descent_view` on the loss surface of
    :func:`gdlib.data.badly_scaled` (the default data).
    """
    if X is None:
        X, y = badly_scaled()
    surface = loss_surface(mse, X, y)

    def render(lr, beta, eps):
        return plots.descent_view(surface, rmsprop(lr, beta, eps), (0.0, 0.0), steps)

    return explore(render, lr=log_slider("lr", lr, 1e-4, 0.3), beta=slider("beta", beta, 0.0, 0.999, 0.001),
                   eps=log_slider("eps", eps, 1e-10, 1.0))


def adam_explorer(surface=None, *, lr: float = 0.05, w0=(-1.2, 1.0), steps: int = 300) -> widgets.Widget:
    """Adam on a surface; move lr, beta1 and beta2 and compare with RMSProp at the same lr.

    Renders :func:`gdlib.plots.descent_view`; the surface defaults to
    :func:`gdlib.surfaces.rosenbrock`.
    """
    surface = surface or rosenbrock()

    def render(lr, beta1, beta2):
        return plots.descent_view(surface, [rmsprop(lr, beta2), adam(lr, beta1, beta2)], w0, steps)

    return explore(render, lr=log_slider("lr", lr, 1e-4, 1.0), beta1=slider("beta1", 0.9, 0.0, 0.99),
                   beta2=slider("beta2", 0.999, 0.5, 0.9999, 0.0001))


SURFACES = {"quadratic": quadratic, "rosenbrock": rosenbrock, "saddle": saddle, "camel": camel}


def arena_explorer(*, lr: float = 0.01, steps: int = 300) -> widgets.Widget:
    """Any optimizer on any test surface: pick both, move the learning rate and the start.

    Renders :func:`gdlib.plots.descent_view` with the optimizer's default
    hyperparameters.
    """
    def render(surface, optimizer, lr, start_w0, start_w1):
        return plots.descent_view(SURFACES[surface](), OPTIMIZERS[optimizer](lr), (start_w0, start_w1), steps)

    return explore(render, surface=widgets.Dropdown(options=list(SURFACES), value="rosenbrock", description="surface"),
                   optimizer=widgets.Dropdown(options=list(OPTIMIZERS), value="adam", description="optimizer"),
                   lr=log_slider("lr", lr, 1e-4, 1.0), start_w0=slider("start w[0]", -1.2, -2.0, 2.0),
                   start_w1=slider("start w[1]", 1.0, -1.5, 2.5))
