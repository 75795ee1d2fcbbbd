"""Self-checks of chapter 6, RMSProp."""

import numpy as np

from .core import Exercise, rounded


def _centered_rmsprop_step(w, g, m, s, lr, beta, eps):
    """m and s move first; the step divides by the root of their variance estimate s - m^2, eps outside."""
    m = beta * m + (1 - beta) * g
    s = beta * s + (1 - beta) * g**2
    return w - lr * g / (np.sqrt(s - m**2) + eps), m, s


def _centered_cases(rng):
    """The first step, two later ones with s >= m^2 (as every run keeps it), a long and a short memory."""
    cases = []
    for setting in [{"lr": 0.01, "beta": 0.9, "eps": 1e-8, "first": True}, {"lr": 0.01, "beta": 0.9, "eps": 1e-8},
                    {"lr": 0.1, "beta": 0.5, "eps": 0.1}, {"lr": 0.001, "beta": 0.99, "eps": 1e-8}]:
        w, g, m, spread = rounded(rng, (3,), (3,), (3,), (3,))
        first = setting.pop("first", False)
        m, s = (np.zeros(3), np.zeros(3)) if first else (m, np.round(m**2 + spread**2, 6))
        cases.append({"w": w, "g": g, "m": m, "s": s, **setting})
    return cases


centered_rmsprop_step = Exercise(
    "centered_rmsprop_step", _centered_cases, _centered_rmsprop_step,
    "update both averages first, then divide by the root of the variance they estimate; eps stays outside the "
    "root. Return the three new arrays in the order (w, m, s).")


def _full_adagrad_step(w, g, S, lr, eps):
    """S gains g g^T; the step is lr (S^(1/2) + eps I)^(-1) g with the symmetric square root of S."""
    S = S + np.outer(g, g)
    lam, Q = np.linalg.eigh(S)
    root = Q @ np.diag(np.sqrt(np.clip(lam, 0.0, None))) @ Q.T
    return w - lr * np.linalg.solve(root + eps * np.eye(len(w)), g), S


def _full_adagrad_cases(rng):
    """First steps (S = 0: rank one, whose zero eigenvalues rounding can make slightly negative), sums of a few
    outer products in two and three dimensions, and a diagonal S."""
    cases = []
    for d, terms, lr, eps in [(2, 0, 0.1, 1e-8), (3, 0, 0.1, 1e-8), (2, 3, 0.1, 1e-8), (3, 5, 0.5, 1e-8),
                              (3, 2, 1.0, 0.1), (2, "diagonal", 0.1, 1e-8), (3, 0, 0.5, 1e-8)]:
        w, g = rounded(rng, (d,), (d,))
        if terms == "diagonal":
            S = np.diag(np.round(rng.uniform(0.5, 4.0, size=d), 3))
        else:
            (past,) = rounded(rng, (terms, d)) if terms else (np.zeros((0, d)),)
            S = past.T @ past
        cases.append({"w": w, "g": g, "S": S, "lr": lr, "eps": eps})
    return cases


full_adagrad_step = Exercise(
    "full_adagrad_step", _full_adagrad_cases, _full_adagrad_step,
    "add the outer product of g with itself to S before the step. The square root is the matrix one: the "
    "symmetric matrix whose square is S, not the root of each entry (np.linalg.eigh gives what you need), "
    "and eps is added to its eigenvalues. Return (w, S).")
