"""Self-checks of chapter 7, Adam."""

import numpy as np

from .. import optimizers
from .core import Exercise, rounded


def _adam_cases(rng) -> list[dict]:
    cases = []
    for t, lr in [(1, 0.001), (2, 0.01), (10, 0.1), (1000, 0.01)]:
        w, g, m, s = rounded(rng, (3,), (3,), (3,), (3,))
        first = t == 1  # before the first step both moments are zero
        if first:
            m, s = np.zeros(3), np.zeros(3)
        cases.append({"w": w, "g": g, "m": 0.1 * m, "s": 0.01 * s**2, "t": t, "lr": lr,
                      "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
    return cases


def _adam_step(w, g, m, s, t, lr, beta1, beta2, eps):
    new_w, state = optimizers.adam(lr, beta1, beta2, eps).step(w, g, optimizers.AdamState(m, s, t - 1))
    return new_w, state.m, state.s


adam_step = Exercise(
    "adam_step", _adam_cases, _adam_step,
    "update m and s first, then correct both for their start at zero, with t the number of this step "
    "(1 for the first); eps goes outside the square root.")


def _uncorrected_adam_step(w, g, m, s, lr, beta1, beta2, eps):
    m, s = beta1 * m + (1 - beta1) * g, beta2 * s + (1 - beta2) * g**2
    return w - lr * m / (s**0.5 + eps), m, s


uncorrected_adam_step = Exercise(
    "uncorrected_adam_step",
    lambda rng: [{k: v for k, v in case.items() if k != "t"} for case in _adam_cases(rng)],
    _uncorrected_adam_step,
    "the same moments as Adam, but the step uses them without the bias correction.")
