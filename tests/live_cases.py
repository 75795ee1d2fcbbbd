"""Fixed runs on which the live figures' JavaScript must give gdlib's paths (tests/test_live_browser.py).

Every optimizer (and Nesterov, Adam without bias correction, two schedules) on every
surface of the book, SGD and mini-batches on data, and runs that blow up. The learning
rates are chosen so that no run is chaotic: round-off differences of 1e-16 (the browser's
``Math.pow`` and numpy's BLAS kernels differ in the last bit) grow at most ``AMPLIFICATION``-fold
along the path, so the paths must agree to a relative 1e-12 and any drift between the port
and gdlib shows. ``tests/test_live.py`` checks that claim with gdlib alone.
"""

from __future__ import annotations

import warnings

import numpy as np

import gdlib
from gdlib import data, live, schedules, surfaces
from gdlib.live import export, runs
from gdlib.optimizers import AdamState

TOLERANCE = 1e-12  # relative, per point of the path
AMPLIFICATION = 1e3  # how much a relative 1e-12 change of the start may grow along a path
STEPS = 500


def uncorrected_adam(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam without bias correction, written out as chapter 7 does (gdlib has no such option)."""
    def step(w, g, state):
        m = beta1 * state.m + (1 - beta1) * g
        s = beta2 * state.s + (1 - beta2) * g**2
        return w - lr * m / (np.sqrt(s) + eps), AdamState(m, s, state.t + 1)

    return gdlib.Optimizer("adam", {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps},
                           gdlib.adam(lr, beta1, beta2, eps).init, step)


X_LINE, Y_LINE = data.line_100()
# name: surface, start, learning rates of gd, momentum (and Nesterov), rmsprop, adagrad, adam, Adam without bias
# correction, gd with inverse_time and rmsprop with inverse_sqrt. RMSProp and Adam are held back where their
# steps of about lr would reach the minimum and rattle around it: that rattle is chaotic.
SURFACES = {
    "quadratic": (surfaces.quadratic((1.0, 10.0), angle=30), (-1.5, 1.5),
                  (0.1, 0.05, 0.001, 0.05, 0.005, 0.002, 0.1, 0.002)),
    "rosenbrock": (surfaces.rosenbrock(), (-1.2, 1.0), (0.001, 0.001, 0.0002, 0.2, 0.02, 0.01, 0.002, 0.0005)),
    "saddle": (surfaces.saddle(), (1.0, 0.3), (0.1, 0.1, 0.01, 0.1, 0.05, 0.05, 0.1, 0.01)),
    "camel": (surfaces.camel(), (-1.2, 1.5), (0.05, 0.05, 0.001, 0.1, 0.05, 0.05, 0.05, 0.002)),
    "line loss": ((X_LINE, Y_LINE), (0.5, 0.5), (0.1, 0.1, 0.005, 0.5, 0.1, 0.1, 0.1, 0.01)),
}


def surface_cases() -> list[dict]:
    cases = []
    for name, (surface, start, lrs) in SURFACES.items():
        gd_lr, mom_lr, rms_lr, ada_lr, adam_lr, raw_lr, time_lr, sqrt_lr = lrs
        optimizers = {
            "gd": gdlib.gd(gd_lr),
            "momentum": gdlib.momentum(mom_lr, 0.9),
            "nesterov": gdlib.momentum(mom_lr, 0.9, nesterov=True),
            "rmsprop": gdlib.rmsprop(rms_lr, 0.9, 1e-8),
            "adagrad": gdlib.adagrad(ada_lr),
            "adam": gdlib.adam(adam_lr),
            "adam without bias correction": uncorrected_adam(raw_lr),
            "gd, inverse_time": schedules.scheduled(gdlib.gd, schedules.inverse_time(time_lr, 50)),
            "rmsprop, inverse_sqrt": schedules.scheduled(gdlib.rmsprop, schedules.inverse_sqrt(sqrt_lr, 50)),
        }
        for label, opt in optimizers.items():
            cases.append({"name": f"{name}: {label}", "surface": surface, "w0": start, "optimizer": opt})
    bowl, banana = SURFACES["quadratic"][0], SURFACES["rosenbrock"][0]
    cases.append({"name": "quadratic: gd blows up (finite)", "surface": bowl, "w0": (-1.5, 1.5),
                  "optimizer": gdlib.gd(0.25)})
    cases.append({"name": "rosenbrock: gd overflows (steps back)", "surface": banana, "w0": (-1.2, 1.0),
                  "optimizer": gdlib.gd(1e100)})
    return cases


def data_cases() -> list[dict]:
    line_1000 = data.line_1000(seed=42)
    return [
        {"name": "SGD", "data": (X_LINE, Y_LINE), "optimizer": gdlib.gd(0.05), "batch_size": 1, "epochs": 5, "seed": 0},
        {"name": "mini-batch, ragged last batch", "data": (X_LINE, Y_LINE), "optimizer": gdlib.gd(0.1),
         "batch_size": 32, "epochs": 10, "seed": 1},
        {"name": "SGD with inverse_time", "data": (X_LINE, Y_LINE),
         "optimizer": schedules.scheduled(gdlib.gd, schedules.inverse_time(0.05, 100)), "batch_size": 1, "epochs": 3,
         "seed": 2},
        {"name": "mini-batch momentum, 1000 points", "data": line_1000, "optimizer": gdlib.momentum(0.1, 0.9),
         "batch_size": 8, "epochs": 1, "seed": 0},
        {"name": "mini-batch adam", "data": (X_LINE, Y_LINE), "optimizer": gdlib.adam(0.05), "batch_size": 16,
         "epochs": 5, "seed": 0},
        {"name": "full batch momentum", "data": (X_LINE, Y_LINE), "optimizer": gdlib.momentum(0.1, 0.9),
         "batch_size": None, "epochs": 200, "seed": 0},
        {"name": "SGD blows up on a batch", "data": (X_LINE, Y_LINE), "optimizer": gdlib.gd(1.0), "batch_size": 1,
         "epochs": 2, "seed": 0},
    ]


def reference(case: dict, w0=None) -> gdlib.History:
    """gdlib's run of a case (from ``w0`` if given)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gdlib.DivergenceWarning)
        if "surface" in case:
            surface = case["surface"]
            if isinstance(surface, tuple):
                surface = surfaces.loss_surface(gdlib.mse, *surface)
            return gdlib.minimize(surface, case["w0"] if w0 is None else w0, case["optimizer"], STEPS)
        return gdlib.fit(gdlib.mse, (0.5, 0.5) if w0 is None else w0, *case["data"], case["optimizer"],
                         batch_size=case["batch_size"], epochs=case["epochs"], seed=case["seed"])


def browser_input(case: dict) -> dict:
    """What the page gets for a case: the settings and data exactly as gdlib.live exports them."""
    uncorrected = "without bias correction" in case["name"]
    opt = gdlib.adam(**case["optimizer"].hyperparams) if uncorrected else case["optimizer"]
    if "surface" in case:
        run = runs.run_spec(case["name"], live.Run(opt), None)
    else:
        run = runs.run_spec(case["name"], live.Run(opt, case["batch_size"], case["seed"]), case["data"])
    run = {k: v for k, v in run.items() if not k.startswith("_")} | {"bias_correction": not uncorrected}
    if "surface" in case:
        surface = case["surface"]
        spec = {"kind": "loss_surface"} if isinstance(surface, tuple) else export.surface_spec(surface)
        return {"kind": "surface", "surface": spec, "w0": list(case["w0"]), "steps": STEPS, "run": run}
    orders = live.epoch_orders(len(case["data"][1]), case["epochs"], case["seed"]) if case["batch_size"] else None
    return {"kind": "data", "w0": [0.5, 0.5], "epochs": case["epochs"], "run": run,
            "orders": None if orders is None else orders.tolist()}
