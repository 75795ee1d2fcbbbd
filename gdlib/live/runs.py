"""The runs of a live figure: which optimizers the port knows, each run's settings, colour and legend."""

from __future__ import annotations

from dataclasses import dataclass

from .. import _checks, plots
from ..optimizers import Optimizer
from ..schedules import Schedule

OPTIMIZERS = ("gd", "momentum", "rmsprop", "adagrad", "adam")
SCHEDULES = ("constant", "inverse_time", "inverse_sqrt")
DEFAULTS = {"beta": 0.9, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "tau": 100.0}  # gdlib's defaults
HYPERPARAMETERS = {  # which settings each optimizer reads
    "gd": {"lr"}, "momentum": {"lr", "beta", "nesterov"}, "rmsprop": {"lr", "beta", "eps"},
    "adagrad": {"lr", "eps"}, "adam": {"lr", "beta1", "beta2", "eps", "bias_correction"},
}


@dataclass(frozen=True)
class Run:
    """One path of a live figure: an optimizer and, on data, its batch size and shuffling seed."""

    optimizer: Optimizer
    batch_size: int | None = None  #: None: the full batch (data only)
    seed: int = 0  #: the seed gdlib.fit shuffles with (data only)


def run_spec(label: str, run, data) -> dict:
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


def colour_rule(specs: list[dict], controls: list[dict], kind: str) -> None:
    """What a run's colour tells: its batch size (on data, where the batch sizes differ or one can), else its optimizer.

    The book's colour per batch size and per optimizer (gdlib.plots.color); two runs of one
    optimizer and one batch size, such as two schedules of SGD, share the colour, and the
    second is dashed (:func:`dashed`): never another optimizer's colour.
    """
    moving = {k for c in controls if c["name"] == "optimizer" for k in c["runs"]}
    batches = {s["batch_size"] for s in specs}
    kinds = {(s["optimizer"], s["nesterov"]) for s in specs}
    for s in specs:
        if s["color_by"] == "batch" or (kind == "data" and (len(batches) > 1 or (
                len(specs) > 1 and len(kinds) == 1 and not moving))):
            s["color_by"] = "batch"


def colour(spec: dict) -> str:
    """The colour of a run, chosen as gdlib/js/figure.js chooses it when the settings change."""
    if spec["color_by"] == "batch":
        return plots.color("full" if spec["batch_size"] is None else spec["batch_size"])
    return plots.color("nesterov" if spec["optimizer"] == "momentum" and spec["nesterov"] else spec["optimizer"])


def dashed(specs: list[dict], k: int) -> bool:
    """Whether run k is dashed, as gdlib/js/figure.js draws it: in the first run's colour, or with Nesterov's step."""
    return (k > 0 and colour(specs[k]) == colour(specs[0])) or (specs[k]["optimizer"] == "momentum" and
                                                                   specs[k]["nesterov"])


def name(spec: dict, n: int | None) -> str:
    """A run's name in the legend at the start, as gdlib/js/figure.js writes it; ``n``: the number of examples."""
    if spec["label_by"] == "batch":
        return f"the full batch, B = {n}" if spec["batch_size"] is None else f"B = {spec['batch_size']}"
    nesterov = spec["optimizer"] == "momentum" and spec["nesterov"] and (
        spec["label_by"] == "optimizer" or "nesterov" not in spec["label"].lower())
    base = spec["optimizer"] if spec["label_by"] == "optimizer" else spec["label"]
    return base + (" (Nesterov)" if nesterov else "")


def describe(spec: dict) -> str:
    """A run's starting settings in words, for the page without script: "gd: α = 0.05"."""
    parts = [f"α = {spec['lr']:g}"]
    for name, symbol in [("beta", "β"), ("beta1", "β₁"), ("beta2", "β₂"), ("eps", "ε")]:
        if name in HYPERPARAMETERS[spec["optimizer"]]:
            parts.append(f"{symbol} = {spec[name]:g}")
    if spec["schedule"] != "constant":
        parts.append(f"schedule {spec['schedule']}, τ = {spec['tau']:g}")
    if spec["batch_size"] is not None:
        parts.append(f"B = {spec['batch_size']}, seed {spec['seed']}")
    return f"{spec['label']}: " + ", ".join(parts)
