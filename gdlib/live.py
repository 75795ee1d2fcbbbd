r"""Live figures: optimizer runs recomputed in the reader's browser as the reader moves the controls.

A live figure is HTML with an inline script, so it works in the published book and
in a trusted notebook in JupyterLab, with no kernel, framework or network. The
script is a line-for-line port of gdlib's optimizers, schedules, surfaces, ``mse``
and training loop (``gdlib/js``), tested to give gdlib's paths to a relative 1e-12.
This module only exports data (the surface's parameters, the data set, the row
orders that :func:`gdlib.fit` draws for each seed, the contour picture and its pixel
box) and places the figure. Without JavaScript the figure shows gdlib's own paths of
the starting settings drawn into the picture, and a caption.

:func:`figure` places one; for example chapter 2's gradient descent on a tilted bowl::

    live.figure(surfaces.quadratic((1.0, 10.0), angle=30), {"gd": gdlib.gd(0.05)}, w0=(-1.5, 1.5),
                controls=["lr"], views=("path", "loss", "eigen"))

The HTML is the same on every machine: no path or other result is written into it as
numbers (paths are drawn into the picture, whose bytes nbval does not compare).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import math
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from . import _checks, plots
from .losses import mse
from .optimizers import Optimizer
from .schedules import Schedule
from .surfaces import Surface, camel, loss_surface, quadratic, rosenbrock, saddle
from .train import DivergenceWarning, fit, minimize

MODULES = ("gdlib", "train", "theory", "draw", "controls", "runs", "views", "figure")  # gdlib/js, in dependency order
WIDTH, HEIGHT = 440, 380  # panel units (pixels at 100 dpi) shared with gdlib/js/figure.js
DPI = 150  # pictures are sharper than their panel units, for high-resolution screens
OPTIMIZERS = ("gd", "momentum", "rmsprop", "adagrad", "adam")
SCHEDULES = ("constant", "inverse_time", "inverse_sqrt")
DEFAULTS = {"beta": 0.9, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "tau": 100.0}  # gdlib's defaults
VIEWS = ("path", "loss", "eigen", "rate")
HYPERPARAMETERS = {  # which settings each optimizer reads
    "gd": {"lr"}, "momentum": {"lr", "beta", "nesterov"}, "rmsprop": {"lr", "beta", "eps"},
    "adagrad": {"lr", "eps"}, "adam": {"lr", "beta1", "beta2", "eps", "bias_correction"},
}
# name: (label, symbol in readouts, scale, default range or None)
CONTROLS = {
    "lr": ("learning rate α", "α", "log", None),
    "beta": ("decay β", "β", "decay", (0.0, 0.999)),
    "beta1": ("decay β₁ of m", "β₁", "decay", (0.0, 0.999)),
    "beta2": ("decay β₂ of s", "β₂", "decay", (0.0, 0.99999)),
    "eps": ("ε", "ε", "log", (1e-10, 1.0)),
    "tau": ("τ of the schedule", "τ", "log", (1.0, 1e4)),
    "batch_size": ("batch size B", "B", "list", None),
    "seed": ("seed of the shuffles", "seed", "choice", None),
    "schedule": ("schedule αₜ", "schedule", "choice", None),
    "optimizer": ("optimizer", "optimizer", "choice", None),
    "surface": ("surface", "surface", "choice", None),
    "nesterov": ("Nesterov's look-ahead", "nesterov", "toggle", None),
    "bias_correction": ("bias correction m̂ₜ, ŝₜ", "bias correction", "toggle", None),
}
RATE_ALT = ("A map of the rate of momentum over the learning rate and the decay; dark regions converge fast, "
            "yellow ones slowly and grey ones not at all.")
SCHEDULE_TEXT = {"constant": "constant α", "inverse_time": "α / (1 + (t − 1)/τ)",
                 "inverse_sqrt": "α / √(1 + (t − 1)/τ)"}


@dataclass(frozen=True)
class Run:
    """One path of a live figure: an optimizer and, on data, its batch size and shuffling seed."""

    optimizer: Optimizer
    batch_size: int | None = None  #: None: the full batch (data only)
    seed: int = 0  #: the seed gdlib.fit shuffles with (data only)


@dataclass(frozen=True)
class Control:
    """A control of a live figure.

    ``name``: ``"lr"``, ``"beta"``, ``"beta1"``, ``"beta2"``, ``"eps"``, ``"tau"``,
    ``"batch_size"``, ``"seed"``, ``"schedule"``, ``"optimizer"``, ``"nesterov"`` or
    ``"bias_correction"``. ``run``: the label of the run it sets; None sets every run
    that has the setting (they must start equal). ``low``, ``high``: the slider's range.
    """

    name: str
    run: str | None = None
    low: float | None = None
    high: float | None = None


class LiveFigure:
    """HTML that notebooks and the book display as a live figure."""

    def __init__(self, markup: str, config: dict):
        self.html = markup
        self.config = config

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        runs = ", ".join(r["label"] for r in self.config["runs"])
        return f"<gdlib live figure: {runs}; open it in a browser or a trusted notebook to use it>"


# ---- the script ----

@lru_cache(maxsize=1)
def script() -> str:
    """The modules of ``gdlib/js`` as one script that defines ``window.gdlibLive`` (once per page)."""
    parts = []
    for name in MODULES:
        source = resources.files("gdlib").joinpath(f"js/{name}.js").read_text(encoding="utf-8")
        exports = re.findall(r"^export (?:function\*? |const |class )(\w+)", source, flags=re.MULTILINE)
        body = re.sub(r'^import \{([^}]*)\} from "\./(\w+)\.js";',
                      lambda m: f"const {{{' '.join(m.group(1).split())}}} = modules.{m.group(2)};",
                      source, flags=re.MULTILINE)
        body = re.sub(r"^export ", "", body, flags=re.MULTILINE)
        body = "\n".join(line.strip() for line in body.splitlines()  # indentation and comment lines are
                         if line.strip() and not line.strip().startswith("//"))  # for readers of gdlib/js
        parts.append(f"modules.{name} = (function () {{\n{body}\nreturn {{ {', '.join(exports)} }};\n}})();")
    bundle = "\n".join(parts)
    version = hashlib.sha1(bundle.encode()).hexdigest()[:12]
    if "</" in bundle:
        raise AssertionError("the script must not contain '</': it is inlined in HTML")
    return (f'(function () {{\n"use strict";\nif (!window.gdlibLive || window.gdlibLive.version !== "{version}") {{\n'
            f"const modules = {{}};\n{bundle}\n"
            f'window.gdlibLive = {{ version: "{version}", modules, ...modules.figure }};\n}}\n'
            "window.gdlibLive.mountAll();\n})();")


# ---- what the page carries ----

def epoch_orders(n: int, epochs: int, seed: int) -> np.ndarray:
    """The row order of each epoch that :func:`gdlib.fit` draws with ``seed``, shape ``(epochs, n)``.

    ``fit`` seeds one generator per run and draws one permutation per epoch;
    ``tests/test_live.py`` checks that a replay in these orders gives fit's path.
    """
    rng = np.random.default_rng(seed)
    return np.array([rng.permutation(n) for _ in range(epochs)]).reshape(epochs, n)


def momentum_rate(alpha, beta, curvatures) -> np.ndarray:
    r"""The convergence rate :math:`\rho` of momentum on a quadratic, for arrays of ``alpha`` and ``beta``.

    In the book's form :math:`v_t = \beta v_{t-1} + (1 - \beta) g_t`,
    :math:`w_t = w_{t-1} - \alpha v_t`, the error along a curvature :math:`\lambda`
    follows the roots :math:`r` of :math:`r^2 - (1 + \beta - \alpha (1 - \beta) \lambda) r + \beta = 0`;
    :math:`\rho` is the largest :math:`|r|` over all curvatures (``gdlib/js/theory.js`` computes the same).
    """
    alpha, beta = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    rho = np.zeros(alpha.shape)
    for lam in np.atleast_1d(np.asarray(curvatures, dtype=float)):
        T = 1 + beta - alpha * (1 - beta) * lam
        disc = T**2 - 4 * beta
        root = np.where(disc < 0, np.sqrt(np.abs(beta)), (np.abs(T) + np.sqrt(np.maximum(disc, 0))) / 2)
        rho = np.maximum(rho, root)
    return rho


def _b64(array: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode()


def _round(x: float, digits: int = 10) -> float:
    return float(f"{x:.{digits}g}")


def _surface_spec(surface: Surface) -> dict:
    """The parameters of a gdlib surface, for the port to rebuild it exactly."""
    if surface.name == "quadratic" and surface.hessian is not None and surface.hessian.shape == (2, 2):
        A = surface.hessian
        low, high = np.linalg.eigvalsh(A)
        theta = math.degrees(0.5 * math.atan2(2 * A[0, 1], A[0, 0] - A[1, 1]))
        # The curvatures and angle gdlib was called with: exported as such (not A, whose last bits vary
        # with the BLAS kernels), after checking that they rebuild exactly this matrix. Turning by 90
        # degrees swaps the curvatures; the smallest angle that rebuilds A is taken.
        turns = [(_round(theta + 90 * k) + 0.0, [_round(c) for c in ((low, high) if k % 2 else (high, low))])
                 for k in range(-3, 4)]
        candidates = sorted(turns, key=lambda c: (abs(c[0]), c[0] < 0))
        for angle, curvatures in candidates:
            if np.array_equal(quadratic(curvatures, angle).hessian, A):
                return {"kind": "quadratic", "curvatures": curvatures, "angle": angle}
    elif surface.name == "rosenbrock":
        a = float(surface.minima[0][0])
        b = _round(float(surface.value(np.array([0.0, 1.0]))) - a * a)
        probe = np.array([[0.3, -0.7], [-1.1, 0.4], [1.7, 2.2]])
        if np.array_equal(rosenbrock(a, b).value(probe), surface.value(probe)):
            return {"kind": "rosenbrock", "a": a, "b": b}
    elif surface.name in ("saddle", "camel"):
        probe = np.array([[0.3, -0.7], [-1.1, 0.4]])
        if np.array_equal({"saddle": saddle, "camel": camel}[surface.name]().value(probe), surface.value(probe)):
            return {"kind": surface.name}
    raise ValueError(f"live figures know the 2-D surfaces of gdlib.surfaces (quadratic, rosenbrock, saddle, "
                     f"camel); got {surface!r}. For the loss of a data set pass (X, y).")


def _run_spec(label: str, run, data) -> dict:
    """A run's settings, as the port reads them."""
    run = run if isinstance(run, Run) else Run(run)
    opt = run.optimizer
    step = getattr(opt, "step", None)
    where = (getattr(step, "__module__", ""), getattr(step, "__qualname__", ""))
    if not isinstance(opt, Optimizer) or opt.name not in OPTIMIZERS or where not in {
            ("gdlib.optimizers", f"{opt.name}.<locals>.step"), ("gdlib.schedules", "scheduled.<locals>.step")}:
        raise TypeError(f"run {label!r}: live figures port gdlib's optimizers ({', '.join(OPTIMIZERS)}), "
                        f"plain or scheduled; got {opt!r}. For Adam without bias correction add the "
                        "'bias_correction' control.")
    hyper = dict(opt.hyperparams)
    lr = hyper.pop("lr")
    schedule, tau = "constant", DEFAULTS["tau"]
    if isinstance(lr, Schedule):
        schedule, tau, lr = lr.name, (lr.tau if lr.tau is not None else tau), lr.lr
    if data is None and (run.batch_size is not None or run.seed != 0):
        raise ValueError(f"run {label!r}: batch_size and seed apply to data; this figure shows a surface.")
    if run.batch_size is not None:
        _checks.integer(run.batch_size, "batch_size", 1, len(data[1]))
    return {"label": label, "optimizer": opt.name, "lr": lr, **{k: hyper.get(k, v) for k, v in DEFAULTS.items()},
            "tau": tau, "schedule": schedule, "nesterov": bool(hyper.get("nesterov", False)),
            "bias_correction": True, "batch_size": run.batch_size, "seed": run.seed,
            "color_by": "optimizer", "label_by": "fixed", "_run": run}


def _controls(controls, runs: list[dict], n: int | None, seeds) -> list[dict]:
    out = []
    labels = [r["label"] for r in runs]
    for control in controls:
        c = control if isinstance(control, Control) else Control(control)
        if c.name not in CONTROLS:
            raise ValueError(f"unknown control {c.name!r}; choose from {', '.join(CONTROLS)}.")
        text, symbol, scale, default = CONTROLS[c.name]
        if c.name == "surface":
            raise ValueError("the 'surface' control comes by itself when problem is a dict of surfaces.")
        if c.name in ("batch_size", "seed") and n is None:
            raise ValueError(f"the {c.name!r} control needs data: pass problem=(X, y).")
        if c.run is not None and c.run not in labels:
            raise ValueError(f"control {c.name!r} names run {c.run!r}; the runs are {labels}.")
        targets = [k for k, r in enumerate(runs) if c.run in (None, r["label"]) and _applies(c.name, r)]
        if not targets:
            raise ValueError(f"no run of this figure has the setting {c.name!r} (runs: {labels}).")
        values = {repr(runs[k][c.name]) for k in targets}
        if len(values) > 1:
            raise ValueError(f"the runs set by control {c.name!r} start at different values ({', '.join(values)}); "
                             f"give one control per run, such as Control({c.name!r}, run={labels[targets[0]]!r}).")
        value = runs[targets[0]][c.name]
        spec = {"name": c.name, "runs": targets, "scale": scale, "value": value, "symbol": symbol,
                "text": text + (f" ({labels[targets[0]]})" if c.run is not None and len(runs) > 1 else "")}
        if scale in ("log", "decay"):
            low, high = (value / 100, value * 10) if default is None else default
            low, high = (c.low if c.low is not None else low), (c.high if c.high is not None else high)
            if not (low <= value <= high) or (scale == "log" and low <= 0) or (scale == "decay" and high >= 1):
                raise ValueError(f"control {c.name!r}: the range [{low}, {high}] must hold the start value {value}.")
            spec.update(low=float(low), high=float(high))
        elif c.name == "batch_size":
            spec["options"] = [2**k for k in range(9) if 2**k < n] + [None]
            if value not in spec["options"]:
                raise ValueError(f"batch size {value} is not on the slider ({spec['options'][:-1]} or None).")
            for k in targets:
                runs[k].update(color_by="batch", label_by="batch")
        elif c.name == "seed":
            spec["options"] = [{"value": s, "text": str(s)} for s in seeds]
            if value not in seeds:
                raise ValueError(f"seed {value} is not among the seeds {seeds} whose shuffles the page carries.")
        elif c.name == "schedule":
            spec["options"] = [{"value": s, "text": SCHEDULE_TEXT[s]} for s in SCHEDULES]
        elif c.name == "optimizer":
            spec["options"] = [{"value": s, "text": s} for s in OPTIMIZERS]
            for k in targets:
                runs[k]["label_by"] = "optimizer"
        out.append(spec)
    return out


def _applies(name: str, run: dict) -> bool:
    """Whether a control of this name can set this run (every run has a learning rate, a schedule, ...)."""
    return name in ("lr", "schedule", "tau", "optimizer", "batch_size", "seed") or \
        name in HYPERPARAMETERS[run["optimizer"]]


# ---- pictures ----

def _canvas():
    fig = Figure(figsize=(WIDTH / 100, HEIGHT / 100), dpi=DPI)  # not pyplot's: nothing to close or show
    return fig, fig.subplots()


def _png(fig, ax, colors: int = 64) -> tuple[str, list[float]]:
    """The picture as base64 PNG and the plot box [x, y, width, height] in panel units (y downwards).

    The PNG keeps ``colors`` colours (grey contours and text need few): a third of the bytes.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    box = ax.get_window_extent()  # measured after saving: the saved layout is the one the overlay must match
    image = Image.open(buffer).convert("RGB").quantize(colors=colors, dither=Image.Dither.NONE)
    small = io.BytesIO()
    image.save(small, format="png", optimize=True)
    k = 100 / DPI
    return base64.b64encode(small.getvalue()).decode(), [round(box.x0 * k, 2), round(HEIGHT - box.y1 * k, 2),
                                                         round(box.width * k, 2), round(box.height * k, 2)]


def _contour_picture(surface, xlim, ylim, equal: bool, title: str | None, paths=()):
    """The contours of a surface; with ``paths`` (trajectory, colour, label), the picture for a page without script."""
    fig, ax = _canvas()
    plots.contour(surface, ax=ax, xlim=xlim, ylim=ylim, title=title)
    for k, (path, colour, label) in enumerate(paths):
        dots = "o" if len(path) <= 201 else None  # as the script draws them: dots show the steps of short paths
        ax.plot(path[:, 0], path[:, 1], marker=dots, markersize=2.5, linewidth=1.5, color=colour, label=label,
                linestyle="--" if k and colour == paths[0][1] else "-")
    if paths:
        ax.plot(*paths[0][0][0], marker="o", markersize=9, color="black", markerfacecolor="white", linestyle="none")
        ax.legend(loc="upper right", frameon=True, framealpha=0.9, fontsize=8)
    if equal:
        ax.set_aspect("equal")
    return _png(fig, ax)


def _rate_picture(curvatures, lr_range, beta_range):
    """The (α, β) map of ρ, on the sliders' own scales: log α across, u = -log10(1 - β) up."""
    fig, ax = _canvas()
    x = np.linspace(np.log10(lr_range[0]), np.log10(lr_range[1]), 241)
    u = np.linspace(-np.log10(1 - beta_range[0]), -np.log10(1 - beta_range[1]), 181)
    rho = momentum_rate(10.0 ** x[None, :], 1 - 10.0 ** -u[:, None], curvatures)
    # Colour by -log10(1 - rho): equal steps for rho = 0.9, 0.99, 0.999, where the slow runs differ.
    with np.errstate(divide="ignore", invalid="ignore"):
        shade = np.where(rho < 1, -np.log10(1 - rho), np.nan)
    image = ax.imshow(shade, origin="lower", aspect="auto", cmap="viridis", vmin=0, vmax=3,
                      extent=(x[0], x[-1], u[0], u[-1]), interpolation="nearest")
    ax.set_facecolor("#d9d9d9")  # rho >= 1: the error grows
    ax.contour(x, u, rho, levels=[1.0], colors="black", linewidths=1.2)
    lo, hi = min(curvatures), max(curvatures)
    kappa = hi / lo
    beta_best = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    lr_best = 4 / (math.sqrt(lo) + math.sqrt(hi)) ** 2 / (1 - beta_best)
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
    return _png(fig, ax, colors=128)


# ---- the figure ----

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
    problems = problem if isinstance(problem, dict) else {"": problem}
    if not problems:
        raise ValueError("problem is an empty dict; give at least one surface.")
    data = next((p for p in problems.values() if isinstance(p, tuple)), None)
    if sum(isinstance(p, tuple) for p in problems.values()) > 1:
        raise ValueError("a live figure holds one data set; give at most one (X, y).")
    kind = "data" if isinstance(problem, tuple) else "surface"
    if data is not None:
        X, y = _checks.array(data[0], "X", ndim=2), _checks.array(data[1], "y", ndim=1)
        if X.shape != (len(y), 2):
            raise ValueError(f"X must have shape (N, 2), one row per entry of y; got {X.shape} for {len(y)} targets.")
        data = (X, y)
    if not isinstance(runs, dict) or not 1 <= len(runs) <= 2:
        raise ValueError("runs must be a dict of one or two runs, label -> optimizer.")
    bad = set(views) - set(VIEWS)
    if bad or "path" not in views:
        raise ValueError(f"views must include 'path' and come from {VIEWS}; got {tuple(views)}.")
    steps = _checks.integer(steps, "steps", 1, 5000)
    epochs = _checks.integer(epochs, "epochs", 1, 1000)
    seeds = tuple(_checks.integer(s, "seed", 0) for s in seeds)
    specs = [_run_spec(label, run, data if kind == "data" else None) for label, run in runs.items()]
    for spec in specs:
        if kind == "data" and spec["seed"] not in seeds:
            seeds = (*seeds, spec["seed"])
    config = {"kind": kind, "steps": steps, "epochs": epochs, "views": list(views),
              "ylabel": "L(w_t) − L(w^{*})" if kind == "data" else "f(w_t) − f_{min}",
              "colors": {"optimizers": plots.OPTIMIZER_COLORS, "index": plots.COLORS,
                         "batches": {str(k): v for k, v in plots.BATCH_COLORS.items()}}}
    control_list = list(controls)
    if "rate" in views:
        control_list = _rate_controls(control_list, specs)
    config["controls"] = _controls(control_list, specs, len(data[1]) if kind == "data" else None, seeds)
    _colour_rule(specs, config["controls"], kind)
    if len(problems) > 1:
        config["controls"].insert(0, {"name": "surface", "runs": [], "scale": "choice", "value": 0, "symbol": "surface",
                                      "text": "surface", "options": [{"value": k, "text": name}
                                                                     for k, name in enumerate(problems)]})
    starts = w0 if isinstance(w0, dict) else {name: w0 for name in problems}
    if set(starts) != set(problems):
        raise ValueError(f"w0 must give one start per surface: {list(problems)}.")
    config["problems"], static = [], None
    for name, p in problems.items():
        entry, surface = _problem(name, p, kind, xlim, ylim, title, starts[name])
        config["problems"].append(entry)
        if static is None:  # what a page without script shows: gdlib's own paths, drawn into the picture
            static = _static_picture(surface, kind, data, specs, entry, steps, epochs)
        del entry["_equal"], entry["_title"]
    if data is not None:
        names = {c["name"] for c in config["controls"]}
        shuffled = kind == "data" and (any(s["batch_size"] is not None for s in specs) or "batch_size" in names)
        carried = (seeds if "seed" in names else sorted({s["seed"] for s in specs})) if shuffled else ()
        orders = {str(s): _b64(epoch_orders(len(data[1]), epochs, s), "<u2" if len(data[1]) < 65536 else "<u4")
                  for s in carried}
        config["data"] = {"n": len(data[1]), "d": 2, "X": _b64(data[0], "<f8"), "y": _b64(data[1], "<f8"),
                          "orders": orders}
    if "eigen" in views and not all(e["surface"]["kind"] in ("quadratic", "data") for e in config["problems"]):
        raise ValueError("the 'eigen' view needs a quadratic or data (a constant Hessian).")
    rate_picture = None
    if "rate" in views:
        rate_picture = _rate_view(config, specs, problems, data)
    config["runs"] = [{k: v for k, v in s.items() if not k.startswith("_")} for s in specs]
    return LiveFigure(_html(config, static, rate_picture, alt, caption), config)


def _problem(name, p, kind, xlim, ylim, title, start):
    """One entry of config["problems"] (with its contour picture) and the gdlib surface behind it."""
    if isinstance(p, tuple):
        surface = loss_surface(mse, *p, xlim=xlim, ylim=ylim)
        spec, equal = {"kind": "data" if kind == "data" else "loss_surface"}, False
    elif isinstance(p, Surface):
        surface, spec, equal = p, _surface_spec(p), True
    else:
        raise TypeError(f"problem {name!r} must be a gdlib surface or data (X, y), got {type(p).__name__}.")
    view_x, view_y = tuple(xlim or surface.xlim), tuple(ylim or surface.ylim)
    start = [float(v) for v in _checks.array(start, "w0", ndim=1)]
    if len(start) != 2 or not (view_x[0] <= start[0] <= view_x[1] and view_y[0] <= start[1] <= view_y[1]):
        raise ValueError(f"w0 = {start} must be a point inside the view {view_x} x {view_y}, for the reader to drag.")
    image, box = _contour_picture(surface, view_x, view_y, equal, title)
    grid = [10.0 ** math.floor(math.log10((hi - lo) / 100)) for lo, hi in (view_x, view_y)]
    entry = {"name": name, "surface": spec, "xlim": list(view_x), "ylim": list(view_y), "box": box, "w0": start,
             "step": grid, "decimals": [max(0, -math.floor(math.log10(g))) for g in grid],
             "picture": f"data:image/png;base64,{image}", "_equal": equal, "_title": title}
    return entry, surface


def _rate_controls(controls: list, specs: list[dict]) -> list:
    """The rate map moves the lr and beta sliders of the first momentum run: make sure they exist."""
    k = next((k for k, s in enumerate(specs) if s["optimizer"] == "momentum"), None)
    if k is None:
        raise ValueError("the 'rate' view needs a momentum run.")
    label = specs[k]["label"]
    for name in ("lr", "beta"):
        if not any((c if isinstance(c, Control) else Control(c)).name == name and
                   (c if isinstance(c, Control) else Control(c)).run in (None, label) for c in controls):
            controls.append(Control(name, run=label if len(specs) > 1 else None))
    return controls


def _rate_view(config, specs, problems, data):
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
    sliders = {}
    for c in config["controls"]:
        if k in c["runs"] and c["name"] in ("lr", "beta"):
            c["key"] = c["name"]
            sliders[c["name"]] = (c["low"], c["high"])
    image, box = _rate_picture(curvatures, sliders["lr"], sliders["beta"])
    lr, beta = sliders["lr"], sliders["beta"]
    config["rate"] = {"run": k, "box": box, "x": [math.log10(lr[0]), math.log10(lr[1])],
                      "y": [-math.log10(1 - beta[0]), -math.log10(1 - beta[1])]}
    return image


def _static_picture(surface, kind, data, specs, entry, steps, epochs) -> str:
    """gdlib's own paths of the starting settings, drawn into the contour picture for a page without script.

    Drawn into the image, not written as numbers into the HTML: chaotic paths (RMSProp's rattle
    around a minimum) differ in their last digits from machine to machine, and the notebooks'
    outputs must not (nbval compares the HTML, never the images' bytes).
    """
    paths = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        for s in specs:
            opt = s["_run"].optimizer
            if kind == "data":
                h = fit(mse, entry["w0"], *data, opt, batch_size=s["batch_size"], epochs=epochs, seed=s["seed"])
            else:
                h = minimize(surface, entry["w0"], opt, steps)
            paths.append((h.trajectory, _colour(s), s["label"]))
    image, box = _contour_picture(surface, entry["xlim"], entry["ylim"], entry["_equal"], entry["_title"], paths)
    if box != entry["box"]:
        raise AssertionError("the picture with paths must keep the plot box of the picture without")
    return image


# ---- HTML ----

def _colour_rule(specs: list[dict], controls: list[dict], kind: str) -> None:
    """What a run's colour tells: its batch size, else its optimizer, else (two runs of one kind) its place.

    The book's colour per batch size and per optimizer (gdlib.plots.color); two runs that share
    both, such as two schedules of SGD, take the first two of gdlib.plots.COLORS.
    """
    moving = {k for c in controls if c["name"] in ("batch_size", "optimizer") for k in c["runs"]}
    batches = {s["batch_size"] for s in specs}
    kinds = {(s["optimizer"], s["nesterov"]) for s in specs}
    for k, s in enumerate(specs):
        if s["color_by"] == "batch" or (kind == "data" and len(batches) > 1):
            s["color_by"] = "batch"
        elif len(specs) > 1 and len(kinds) == 1 and len(batches) == 1 and not moving:
            s["color_by"] = "index"
        s["index"] = k


def _colour(spec: dict) -> str:
    """The colour of a run, chosen as gdlib/js/figure.js chooses it when the settings change."""
    if spec["color_by"] == "batch":
        return plots.color("full" if spec["batch_size"] is None else spec["batch_size"])
    if spec["color_by"] == "index":
        return plots.COLORS[spec["index"]]
    return plots.color("nesterov" if spec["nesterov"] else spec["optimizer"])


def _settings(spec: dict) -> str:
    parts = [f"α = {spec['lr']:g}"]
    for name, symbol in [("beta", "β"), ("beta1", "β₁"), ("beta2", "β₂"), ("eps", "ε")]:
        if name in HYPERPARAMETERS[spec["optimizer"]]:
            parts.append(f"{symbol} = {spec[name]:g}")
    if spec["schedule"] != "constant":
        parts.append(f"schedule {spec['schedule']}, τ = {spec['tau']:g}")
    if spec["batch_size"] is not None:
        parts.append(f"B = {spec['batch_size']}, seed {spec['seed']}")
    return f"{spec['label']}: " + ", ".join(parts)


def _html(config, static, rate_picture, alt, caption) -> str:
    blob = json.dumps(config, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    # The same id each time the figure is made, on any machine: the pictures' bytes (which vary) are left out.
    words = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", blob) + script()
    uid = "gdlib-live-" + hashlib.sha1(words.encode()).hexdigest()[:12]
    first = config["problems"][0]
    overlay = (f'<svg class="gl-overlay" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" '
               'aria-hidden="true"></svg>')
    rate = ""
    if rate_picture is not None:
        rate = (f'<figure class="gl-panel gl-rate"><div class="gl-stage"><img class="dark-light" '
                f'src="data:image/png;base64,{rate_picture}" alt="{RATE_ALT}" width="{WIDTH}" height="{HEIGHT}">'
                f"{overlay}</div></figure>")
    settings = "; ".join(_settings(s) for s in config["runs"])
    n = f"{config['steps']} steps" if config["kind"] == "surface" else f"{config['epochs']} epochs"
    start = ", ".join(f"{v:g}" for v in first["w0"])
    return (f'<div class="gdlib-live" id="{uid}"><style>{_CSS}</style><div class="gl-panels">'
            f'<figure class="gl-panel gl-path"><div class="gl-stage"><img class="dark-light" '
            f'src="data:image/png;base64,{static}" alt="{html.escape(alt, quote=True)}" width="{WIDTH}" '
            f'height="{HEIGHT}">{overlay}</div></figure>{rate}</div>'
            f'<p class="gl-caption">{html.escape(caption)}</p>'
            f'<p class="gl-static">Shown: {html.escape(settings)}; {n} from w₀ = ({start}). '
            "With JavaScript on, sliders change these settings and the start can be dragged.</p>"
            f'<script type="application/json" class="gl-config">{blob}</script>'
            f"<script>{script()}</script></div>")


_CSS = """
.gdlib-live{position:relative;margin:1em 0;line-height:1.4}
.gdlib-live .gl-panels{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
.gdlib-live .gl-panel{flex:1 1 300px;max-width:460px;min-width:0;margin:0}
.gdlib-live .gl-stage{position:relative;line-height:0}
.gdlib-live .gl-stage img{display:block;width:100%;height:auto;margin:0;padding:0;border:0;border-radius:0;
 background:#fff;filter:none}
.gdlib-live .gl-overlay{position:absolute;left:0;top:0;width:100%;height:100%;overflow:hidden}
.gdlib-live svg.gl-drawn{display:block;width:100%;height:auto;background:#fff;font:14px system-ui,sans-serif}
.gdlib-live svg text{fill:#1a1a1a}
.gdlib-live .gl-title{font-weight:600}
.gdlib-live .gl-frame{fill:none;stroke:#767676}
.gdlib-live .gl-grid{stroke:#e3e3e3}
.gdlib-live .gl-curve,.gdlib-live .gl-path-line{fill:none;stroke-width:2;stroke-linejoin:round}
.gdlib-live .gl-path-line{stroke-width:2.2}
.gdlib-live .gl-start{cursor:grab;touch-action:none;outline:none}
.gdlib-live .gl-hit{fill:transparent}
.gdlib-live .gl-dot{fill:#fff;stroke:#000;stroke-width:2.5}
.gdlib-live .gl-start:focus-visible .gl-dot{stroke:#E69F00;stroke-width:4}
.gdlib-live .gl-rate .gl-overlay{cursor:crosshair}
.gdlib-live .gl-rate .gl-overlay:focus-visible{outline:3px solid #E69F00;outline-offset:-3px}
.gdlib-live .gl-mark line{stroke:#fff;stroke-width:1;stroke-dasharray:4 3}
.gdlib-live .gl-mark circle{fill:#D55E00;stroke:#fff;stroke-width:2}
.gdlib-live .gl-readout{margin:.3em 0 0;line-height:1.4;font-size:.95em}
.gdlib-live .gl-legend{margin:.5em 0;font-size:.95em}
.gdlib-live .gl-legend div{margin:.15em 0}
.gdlib-live .gl-swatch{width:28px;height:10px;margin-right:.4em;vertical-align:middle;stroke-width:3}
.gdlib-live .gl-controls{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:0 20px}
.gdlib-live .gl-control{display:flex;align-items:center;gap:.5em;min-height:44px;margin:0}
.gdlib-live .gl-name{flex:0 0 9em}
.gdlib-live .gl-control input[type=range]{flex:1;min-width:100px;height:44px;margin:0}
.gdlib-live .gl-control input:disabled+output{opacity:.5}
.gdlib-live .gl-control select{flex:1;min-height:44px;font:inherit}
.gdlib-live .gl-toggle input{width:22px;height:22px;margin:11px}
.gdlib-live output{min-width:4.5em;font-variant-numeric:tabular-nums}
.gdlib-live .gl-caption{margin:.4em 0 0}
.gdlib-live.gl-on .gl-static{display:none}
.gdlib-live .gl-status{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);margin:0}
"""
