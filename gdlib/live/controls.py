"""The controls of a live figure: sliders, choices and switches, checked and turned into settings."""

from __future__ import annotations

from dataclasses import dataclass

from .runs import HYPERPARAMETERS, OPTIMIZERS, SCHEDULES

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
SCHEDULE_TEXT = {"constant": "constant α", "inverse_time": "α / (1 + (t − 1)/τ)",
                 "inverse_sqrt": "α / √(1 + (t − 1)/τ)"}


@dataclass(frozen=True)
class Control:
    """A control of a live figure.

    ``name``: ``"lr"``, ``"beta"``, ``"beta1"``, ``"beta2"``, ``"eps"``, ``"tau"``,
    ``"batch_size"``, ``"seed"``, ``"schedule"``, ``"optimizer"``, ``"nesterov"`` or
    ``"bias_correction"``. ``run``: the label of the run it sets; None sets every run
    that has the setting (they must start equal). ``low``, ``high``: the slider's range.
    ``marks``: values the slider stops at exactly, besides its even steps (a limit or a
    best setting that the text names, such as ``2 / 11``); the start value always is one.
    """

    name: str
    run: str | None = None
    low: float | None = None
    high: float | None = None
    marks: tuple[float, ...] = ()


def controls(given, runs: list[dict], n: int | None, seeds) -> list[dict]:
    """The settings of each control, as gdlib/js/controls.js reads them; ``n``: the number of examples (data)."""
    out = []
    labels = [r["label"] for r in runs]
    for control in given:
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
        targets = [k for k, r in enumerate(runs) if c.run in (None, r["label"]) and applies(c.name, r)]
        if not targets:
            raise ValueError(f"no run of this figure has the setting {c.name!r} (runs: {labels}).")
        values = {repr(runs[k][c.name]) for k in targets}
        if len(values) > 1:
            raise ValueError(f"the runs set by control {c.name!r} start at different values ({', '.join(values)}); "
                             f"give one control per run, such as Control({c.name!r}, run={labels[targets[0]]!r}).")
        value = runs[targets[0]][c.name]
        spec = {"name": c.name, "runs": targets, "scale": scale, "value": value, "symbol": symbol, "text": text}
        if c.run is not None and len(runs) > 1:  # the page writes "text (the run's name)", which can change
            spec["of"] = targets[0]
        if scale in ("log", "decay"):
            low, high = (value / 100, value * 10) if default is None else default
            low, high = (c.low if c.low is not None else low), (c.high if c.high is not None else high)
            if not (low <= value <= high) or (scale == "log" and low <= 0) or (scale == "decay" and high >= 1):
                raise ValueError(f"control {c.name!r}: the range [{low}, {high}] must hold the start value {value}.")
            spec.update(low=float(low), high=float(high))
            marks = sorted({float(m) for m in c.marks})
            if not all(low <= m <= high for m in marks):
                raise ValueError(f"control {c.name!r}: the marks {marks} must lie in the range [{low}, {high}].")
            if marks:
                spec["marks"] = marks
        elif c.marks:
            raise ValueError(f"control {c.name!r}: only sliders of numbers (lr, beta, eps, ...) take marks.")
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


def applies(name: str, run: dict) -> bool:
    """Whether a control of this name can set this run (every run has a learning rate, a schedule, ...)."""
    return name in ("lr", "schedule", "tau", "optimizer", "batch_size", "seed") or \
        name in HYPERPARAMETERS[run["optimizer"]]


def rate_controls(given: list, specs: list[dict]) -> list:
    """The rate map moves the lr and beta sliders of the first momentum run: make sure they exist."""
    k = next((k for k, s in enumerate(specs) if s["optimizer"] == "momentum"), None)
    if k is None:
        raise ValueError("the 'rate' view needs a momentum run.")
    label = specs[k]["label"]
    for name in ("lr", "beta"):
        if not any((c if isinstance(c, Control) else Control(c)).name == name and
                   (c if isinstance(c, Control) else Control(c)).run in (None, label) for c in given):
            given.append(Control(name, run=label if len(specs) > 1 else None))
    return given
