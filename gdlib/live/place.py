"""Placing a live figure: check the arguments, gather the settings, draw the pictures, write the HTML."""

from __future__ import annotations

import math

import numpy as np

from .. import _checks, plots
from ..losses import mse
from ..surfaces import Surface, loss_surface
from . import controls as controls_
from .export import b64, best_pair, epoch_orders, surface_spec
from .page import LiveFigure, markup
from .pictures import contour_picture, rate_picture, static_picture
from .runs import colour_rule, run_spec

VIEWS = ("path", "loss", "eigen", "rate")


def figure(problem, runs: dict, *, w0, steps: int = 100, epochs: int = 2, controls=("lr",),
           views=("path", "loss"), seeds=(0, 1, 2), xlim=None, ylim=None, title: str | None = None,
           alt: str = "", caption: str = "") -> LiveFigure:
    r"""A live figure: paths of one or two runs that the reader recomputes by moving controls.

    Parameters
    ----------
    problem : Surface, (X, y) or dict
        A surface of :mod:`gdlib.surfaces` (quadratic, rosenbrock, saddle, camel), run
        with :func:`gdlib.minimize`; data ``(X, y)`` with two columns, trained on the mean
        squared error with :func:`gdlib.fit`; or a dict ``name -> surface or (X, y)``
        (the loss of data then runs as a surface), which adds a choice of surface.
    runs : dict
        ``label -> optimizer`` or ``label -> Run(optimizer, batch_size, seed)``: one
        or two paths. Optimizers come from gdlib (``gd``, ``momentum``, ``rmsprop``,
        ``adagrad``, ``adam``), plain or ``schedules.scheduled``.
    w0 : pair, or dict
        The start, which the reader drags; for a dict problem, one start per surface.
    steps : int
        Steps of every run on a surface.
    epochs : int
        Passes over the data (data problems): each run takes :math:`\lceil N / B \rceil`
        steps per epoch, so runs with different batch sizes do the same work.
    controls : sequence of str or Control
        Sliders and switches; see :class:`Control`. A string sets every run that has the setting.
    views : sequence of str
        ``"path"`` (contours, paths and the start), ``"loss"`` (:math:`f(w_t) - f_{\min}` or
        :math:`L(w_t) - L(w^*)`, log scale), ``"eigen"`` (the error :math:`q_i^\top (w_t - w^*)`
        along each eigendirection of the Hessian; quadratics and data) and ``"rate"`` (the
        :math:`(\alpha, \beta)` map of momentum's rate :math:`\rho`; clicking it sets the sliders).
    seeds : sequence of int
        Data: the seeds whose shuffles the page carries (for the ``"seed"`` control).
    xlim, ylim, title :
        The view and title of the contour picture.
    alt, caption : str
        Alt text of the picture, and the caption under the figure.
    """
    problems, data, kind = _problems(problem)
    if not isinstance(runs, dict) or not 1 <= len(runs) <= 2:
        raise ValueError("runs must be a dict of one or two runs, label -> optimizer.")
    if set(views) - set(VIEWS) or "path" not in views:
        raise ValueError(f"views must include 'path' and come from {VIEWS}; got {tuple(views)}.")
    steps = _checks.integer(steps, "steps", 1, 5000)
    epochs = _checks.integer(epochs, "epochs", 1, 1000)
    seeds = tuple(_checks.integer(s, "seed", 0) for s in seeds)
    specs = [run_spec(label, run, data if kind == "data" else None) for label, run in runs.items()]
    for spec in specs:
        if kind == "data" and spec["seed"] not in seeds:
            seeds = (*seeds, spec["seed"])
    config = {"kind": kind, "steps": steps, "epochs": epochs, "views": list(views),
              "ylabel": "L(w_t) − L(w^{*})" if kind == "data" else "f(w_t) − f_{min}",
              "colors": {"optimizers": plots.OPTIMIZER_COLORS,
                         "batches": {str(k): v for k, v in plots.BATCH_COLORS.items()}}}
    control_list = list(controls)
    if "rate" in views:
        control_list = controls_.rate_controls(control_list, specs)
    config["controls"] = controls_.controls(control_list, specs, len(data[1]) if kind == "data" else None, seeds)
    colour_rule(specs, config["controls"], kind)
    if any(c["name"] == "schedule" for c in config["controls"]):  # a run's name once the reader picks another
        config["schedules"] = dict(controls_.SCHEDULE_TEXT)
    if len(problems) > 1:
        config["controls"].insert(0, {"name": "surface", "runs": [], "scale": "choice", "value": 0, "symbol": "surface",
                                      "text": "surface", "options": [{"value": k, "text": name}
                                                                     for k, name in enumerate(problems)]})
    starts = w0 if isinstance(w0, dict) else {name: w0 for name in problems}
    if set(starts) != set(problems):
        raise ValueError(f"w0 must give one start per surface: {list(problems)}.")
    config["problems"], static = [], None
    for name, p in problems.items():
        entry, surface = _problem(name, p, kind, xlim, ylim, title, starts[name], "eigen" in views)
        config["problems"].append(entry)
        if static is None:  # what a page without script shows: gdlib's own paths, drawn into the picture
            static = static_picture(surface, kind, data, specs, entry, steps, epochs)
        del entry["_equal"], entry["_title"], entry["_axes"]
    if data is not None:
        config["data"] = _data(data, kind, specs, config["controls"], seeds, epochs)
    if "eigen" in views and not all(e["surface"]["kind"] in ("quadratic", "data") for e in config["problems"]):
        raise ValueError("the 'eigen' view needs a quadratic or data (a constant Hessian).")
    rate_image = _rate_view(config, specs, problems, data) if "rate" in views else None
    config["runs"] = [{k: v for k, v in s.items() if not k.startswith("_")} for s in specs]
    return LiveFigure(markup(config, static, rate_image, alt, caption), config)


def _problems(problem):
    """The problems by name, the data set (or None) and the kind of figure ("data" or "surface")."""
    problems = problem if isinstance(problem, dict) else {"": problem}
    if not problems:
        raise ValueError("problem is an empty dict; give at least one surface.")
    data = next((p for p in problems.values() if isinstance(p, tuple)), None)
    if sum(isinstance(p, tuple) for p in problems.values()) > 1:
        raise ValueError("a live figure holds one data set; give at most one (X, y).")
    if data is not None:
        X, y = _checks.array(data[0], "X", ndim=2), _checks.array(data[1], "y", ndim=1)
        if X.shape != (len(y), 2):
            raise ValueError(f"X must have shape (N, 2), one row per entry of y; got {X.shape} for {len(y)} targets.")
        data = (X, y)
    return problems, data, "data" if isinstance(problem, tuple) else "surface"


def _problem(name, p, kind, xlim, ylim, title, start, axes):
    """One entry of config["problems"] (with its contour picture) and the gdlib surface behind it."""
    if isinstance(p, tuple):
        surface = loss_surface(mse, *p, xlim=xlim, ylim=ylim)
        spec, equal = {"kind": "data" if kind == "data" else "loss_surface"}, False
    elif isinstance(p, Surface):
        surface, spec, equal = p, surface_spec(p), True
    else:
        raise TypeError(f"problem {name!r} must be a gdlib surface or data (X, y), got {type(p).__name__}.")
    view_x, view_y = tuple(xlim or surface.xlim), tuple(ylim or surface.ylim)
    start = [float(v) for v in _checks.array(start, "w0", ndim=1)]
    if len(start) != 2 or not (view_x[0] <= start[0] <= view_x[1] and view_y[0] <= start[1] <= view_y[1]):
        raise ValueError(f"w0 = {start} must be a point inside the view {view_x} x {view_y}, for the reader to drag.")
    image, box = contour_picture(surface, view_x, view_y, equal, title, axes=axes)
    grid = [10.0 ** math.floor(math.log10((hi - lo) / 100)) for lo, hi in (view_x, view_y)]
    entry = {"name": name, "surface": spec, "xlim": list(view_x), "ylim": list(view_y), "box": box, "w0": start,
             "step": grid, "decimals": [max(0, -math.floor(math.log10(g))) for g in grid],
             "picture": f"data:image/png;base64,{image}", "_equal": equal, "_title": title, "_axes": axes}
    return entry, surface


def _data(data, kind, specs, controls, seeds, epochs) -> dict:
    """The data set's bits and, where runs shuffle, the row orders gdlib.fit draws for each seed."""
    X, y = data
    names = {c["name"] for c in controls}
    shuffled = kind == "data" and (any(s["batch_size"] is not None for s in specs) or "batch_size" in names)
    carried = (seeds if "seed" in names else sorted({s["seed"] for s in specs})) if shuffled else ()
    orders = {str(s): b64(epoch_orders(len(y), epochs, s), "<u2" if len(y) < 65536 else "<u4") for s in carried}
    return {"n": len(y), "d": 2, "X": b64(X, "<f8"), "y": b64(y, "<f8"), "orders": orders}


def _rate_view(config, specs, problems, data):
    """The settings and picture of the (α, β) map; the lr and beta sliders it moves get a key."""
    k = next(k for k, s in enumerate(specs) if s["optimizer"] == "momentum")
    if len(problems) > 1:
        raise ValueError("the 'rate' view needs one quadratic (or data), not a choice of surfaces.")
    entry = config["problems"][0]
    if entry["surface"]["kind"] == "quadratic":
        curvatures = entry["surface"]["curvatures"]
    elif entry["surface"]["kind"] == "data":
        curvatures = list(np.linalg.eigvalsh(2 / len(data[1]) * data[0].T @ data[0]))
    else:
        raise ValueError("the 'rate' view needs a quadratic or data (a constant Hessian).")
    sliders = {c["name"]: c for c in config["controls"] if k in c["runs"] and c["name"] in ("lr", "beta")}
    best = dict(zip(("lr", "beta"), best_pair(curvatures), strict=True))
    # On a quadratic the best pair is exact arithmetic on the curvatures gdlib was called with: each slider stops
    # there, and a click on the star takes it. (On data the curvatures' last bits vary from machine to machine.)
    inside = all(c["low"] <= best[name] <= c["high"] for name, c in sliders.items())
    exact = entry["surface"]["kind"] == "quadratic" and inside
    for name, c in sliders.items():
        c["key"] = name
        if exact:
            c["marks"] = sorted({*c.get("marks", ()), best[name]})
    lr, beta = (sliders["lr"]["low"], sliders["lr"]["high"]), (sliders["beta"]["low"], sliders["beta"]["high"])
    image, box = rate_picture(curvatures, lr, beta)
    config["rate"] = {"run": k, "box": box, "x": [math.log10(lr[0]), math.log10(lr[1])],
                      "y": [-math.log10(1 - beta[0]), -math.log10(1 - beta[1])],
                      "best": [best["lr"], best["beta"]] if exact else None}
    return image
