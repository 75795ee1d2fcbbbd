"""Self-checks of chapter 8, the arena."""

import numpy as np

from .. import losses
from .core import Exercise, rounded


def _logistic_grad_cases(rng):
    cases = []
    for n, d in [(4, 1), (6, 2), (10, 3)]:
        X, w = rounded(rng, (n, d), (d,))
        cases.append({"w": w, "X": X, "y": (rng.random(n) < 0.5).astype(float)})
    return cases


logistic_grad = Exercise(
    "logistic_grad", _logistic_grad_cases, losses.logistic.grad,
    "the logistic function of z = X @ w gives the predicted probabilities; average the features "
    "weighted by the errors of those probabilities.")


def _net_grad(W1, b1, w2, b2, X, y):
    net = losses.TwoLayerNet(len(b1))
    g = net.grad(np.concatenate([W1.ravel(), b1, w2, [b2]]), X, y)
    dW1, db1, dw2, db2 = net.unpack(g, X.shape[1])
    return dW1, db1, dw2, float(db2)


def _net_grad_cases(rng):
    cases = []
    for n, d, h in [(5, 1, 2), (8, 2, 3), (6, 3, 4)]:
        X, y, W1, b1, w2 = rounded(rng, (n, d), (n,), (h, d), (h,), (h,))
        cases.append({"W1": W1, "b1": b1, "w2": w2, "b2": float(np.round(rng.normal(), 3)), "X": X, "y": y})
    return cases


net_grad = Exercise(
    "net_grad", _net_grad_cases, _net_grad,
    "run the forward pass and keep the hidden activations; then go backwards from the derivative of the "
    "loss with respect to the output, through the output layer, then through tanh.")
