"""Self-checks of chapter 7, Adam: two of its variants, AMSGrad and AdamW."""

import numpy as np

from .. import optimizers
from .core import Exercise, rounded

# (t, lr) of the four cases: the first step, an early one, and two after many steps.
_STEPS = [(1, 0.001), (2, 0.01), (10, 0.1), (1000, 0.05)]


def _moments(rng, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Weights, a gradient and Adam's moments m_{t-1}, s_{t-1} (zero before the first step).

    At the first step one gradient entry is about eps = 1e-8 and one is 0, so that eps must sit outside the root
    (inside, the step of the tiny entry is 1e-4 lr instead of lr / 2) and must be there at all (0 / 0).
    """
    w, g, m, s = rounded(rng, (3,), (3,), (3,), (3,))
    if t == 1:
        g[1], g[2] = np.copysign(1 + np.round(rng.random(), 3), g[1]) * 1e-8, 0.0
        return w, g, np.zeros(3), np.zeros(3)
    return w, g, 0.1 * m, 0.01 * s**2 + 1e-4


def _amsgrad_cases(rng) -> list[dict]:
    cases = []
    for t, lr in _STEPS:
        w, g, m, s = _moments(rng, t)
        s_max = s.copy()  # the largest mean square so far: 0 before the first step
        if t > 1:
            g[0] = np.copysign(max(abs(g[0]), 0.5), g[0])  # w[0]: the new s_t exceeds the old maximum
            extra = (1 + rng.random(2)) * 1e-3 * g[1:] ** 2  # w[1], w[2]: the old maximum stays larger
            s_max[1:] = np.round(s[1:] + extra + 1e-4, 6)
        cases.append({"w": w, "g": g, "m": m, "s": s, "s_max": s_max, "t": t, "lr": lr,
                      "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
    return cases


def _amsgrad_step(w, g, m, s, s_max, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g**2
    s_max = np.maximum(s_max, s)
    return w - lr * (m / (1 - beta1**t)) / (np.sqrt(s_max / (1 - beta2**t)) + eps), m, s, s_max


amsgrad_step = Exercise(
    "amsgrad_step", _amsgrad_cases, _amsgrad_step,
    "update m and s as Adam does, then the running maximum, entry by entry, with the new s; the step divides by "
    "the root of that maximum where Adam uses s, with the same two bias corrections and t the number of this "
    "step. Return all four arrays.")


def _adamw_cases(rng) -> list[dict]:
    cases = []
    for (t, lr), decay in zip(_STEPS, [0.01, 0.1, 0.5, 0.0], strict=True):
        w, g, m, s = _moments(rng, t)
        cases.append({"w": w, "g": g, "m": m, "s": s, "t": t, "lr": lr, "beta1": 0.9, "beta2": 0.999,
                      "eps": 1e-8, "weight_decay": decay})
    return cases


def _adamw_step(w, g, m, s, t, lr, beta1, beta2, eps, weight_decay):
    new_w, state = optimizers.adam(lr, beta1, beta2, eps).step(w, g, optimizers.AdamState(m, s, t - 1))
    return new_w - lr * weight_decay * w, state.m, state.s


adamw_step = Exercise(
    "adamw_step", _adamw_cases, _adamw_step,
    "the moments take the plain gradient g, exactly as in Adam; the decay is a separate term of the step, "
    "proportional to the old weights and multiplied by the learning rate as well.")
