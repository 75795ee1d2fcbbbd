"""Self-checks of chapter 2, batch gradient descent."""

import numpy as np

from .core import Exercise, rounded


def _descend(grad, w0, lr, tol, max_steps):
    w = np.asarray(w0, dtype=float)
    for t in range(max_steps):
        g = grad(w)
        if np.linalg.norm(g) <= tol:
            return w, t
        w = w - lr * g
    return w, max_steps


def bowl_grad(w):
    """The gradient of 0.5 w^T A w with A = [[3, 1], [1, 2]]."""
    return np.array([[3.0, 1.0], [1.0, 2.0]]) @ w


def parabola_grad(w):
    """The gradient of (w - 3)^2."""
    return 2 * (w - 3.0)


def _descend_cases(rng):
    start = 1 + rounded(rng, (2,))[0]
    return [{"grad": bowl_grad, "w0": start, "lr": 0.1, "tol": 1e-6, "max_steps": 1000},
            {"grad": bowl_grad, "w0": start, "lr": 0.1, "tol": 1e-6, "max_steps": 20},
            {"grad": parabola_grad, "w0": np.array([0.0]), "lr": 0.1, "tol": 1e-3, "max_steps": 100},
            {"grad": parabola_grad, "w0": np.array([3.0]), "lr": 0.1, "tol": 1e-3, "max_steps": 100}]


descend = Exercise(
    "descend", _descend_cases, _descend,
    "before each step compute g = grad(w); stop if its norm is <= tol, else take the step; "
    "return the weights and the number of steps taken.")


def _max_stable_lr_cases(rng):
    angle = rng.uniform(0, np.pi)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return [{"A": np.diag([1.0, 10.0])}, {"A": turn @ np.diag([2.0, 50.0]) @ turn.T},
            {"A": np.array([[4.0]])}, {"A": np.diag([3.0, 1.0, 0.5])}]


max_stable_lr = Exercise(
    "max_stable_lr", _max_stable_lr_cases, lambda A: 2 / np.linalg.eigvalsh(A).max(),
    "the largest curvature is the largest eigenvalue of A (np.linalg.eigvalsh).")
