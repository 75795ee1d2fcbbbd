"""Interactive explorers: controls that redraw a pure render function of :mod:`gdlib.plots`.

This is the only gdlib module that imports ipywidgets. Explorers need a live
Jupyter kernel; the tests call the render functions directly.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from . import plots
from .data import line_100
from .optimizers import adam, gd, momentum, rmsprop
from .surfaces import quadratic

OPTIMIZERS = {"gd": gd, "momentum": momentum, "rmsprop": rmsprop, "adam": adam}


def explore(render, **controls) -> widgets.Widget:
    """Return a widget with one control per keyword argument of ``render``.

    Each control is an ipywidgets widget or anything :func:`ipywidgets.interactive`
    understands (a list of options, a ``(min, max, step)`` tuple). Whenever a
    control moves, ``render(**values)`` is called and the Figure it returns shown.
    """
    ui = widgets.interactive(render, **controls)
    ui.layout = widgets.Layout(width="100%")
    return ui


def lr_slider(value: float = 0.1, low: float = 1e-3, high: float = 3.0) -> widgets.FloatLogSlider:
    """A logarithmic learning-rate slider: equal steps multiply lr by equal factors."""
    return widgets.FloatLogSlider(value=value, base=10, min=np.log10(low), max=np.log10(high), step=0.05,
                                  description="lr", continuous_update=False, readout_format=".3g")


def descent_explorer(surface=None, *, lr: float = 0.1, w0=(-1.5, 1.5), steps: int = 50) -> widgets.Widget:
    """Pick an optimizer, a learning rate and a start; see the path on ``surface``.

    Renders :func:`gdlib.plots.descent_view`. ``surface`` defaults to the
    ill-conditioned :func:`gdlib.surfaces.quadratic`.
    """
    surface = surface or quadratic()

    def render(optimizer, lr, start_w0, start_w1):
        return plots.descent_view(surface, OPTIMIZERS[optimizer](lr), (start_w0, start_w1), steps)

    def start(name, lim, value):
        return widgets.FloatSlider(value=value, min=lim[0], max=lim[1], step=0.05, description=name,
                                   continuous_update=False)

    return explore(render, optimizer=widgets.Dropdown(options=list(OPTIMIZERS), description="optimizer"),
                   lr=lr_slider(lr), start_w0=start("start w0", surface.xlim, w0[0]),
                   start_w1=start("start w1", surface.ylim, w0[1]))


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

    return explore(render, lr=lr_slider(lr, high=1.0),
                   batch_size=widgets.SelectionSlider(options=sizes, value=n, description="batch size"),
                   seed=widgets.IntSlider(value=0, min=0, max=9, description="seed", continuous_update=False))
