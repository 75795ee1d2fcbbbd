"""Self-checks of chapter 1, the derivation."""

import numpy as np

from .. import gradcheck, losses
from .core import Exercise, rounded


def _mse_grad_cases(rng):
    cases = []
    for n, d in [(3, 1), (5, 2), (8, 3)]:
        X, y, w = rounded(rng, (n, d), (n,), (d,))
        cases.append({"w": w, "X": X, "y": y})
    return cases


mse_grad = Exercise(
    "mse_grad", _mse_grad_cases, losses.mse.grad,
    "multiply X transposed by the residuals X @ w - y, then by 2 / N, where N = len(y).")


def cubic(w):
    """A test function for numerical gradients."""
    return float(np.sum(w**3) + w[0] * w[-1])


def wave(w):
    """Another test function for numerical gradients."""
    return float(np.sum(np.sin(w)) * np.cos(w[0]))


def _numerical_grad_cases(rng):
    w3, w2, w1 = rounded(rng, (3,), (2,), (1,))
    return [{"f": cubic, "w": w3, "h": 1e-5}, {"f": wave, "w": w2, "h": 1e-5}, {"f": cubic, "w": 1 + w1, "h": 1e-4}]


numerical_grad = Exercise(
    "numerical_grad", _numerical_grad_cases, gradcheck.numerical_grad,
    "for each i, nudge only w[i] by +h and by -h, and divide the difference of f by 2h.")
