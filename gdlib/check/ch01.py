"""Self-checks of chapter 1, the derivation."""

import numpy as np

from .core import Exercise, rounded


def _mae_grad_cases(rng):
    """Linear-model data whose residuals X @ w - y all stay at least 0.1 away from 0 (off the kinks)."""
    cases = []
    for n, d in [(4, 1), (6, 2), (9, 3)]:
        X, w = rounded(rng, (n, d), (d,))
        residuals = rng.choice([-1.0, 1.0], size=n) * rng.uniform(0.1, 2.0, size=n)
        y = np.round(X @ w - residuals, 3)  # rounding moves a residual by at most 5e-4
        cases.append({"w": w, "X": X, "y": y})
    return cases


def _mae_grad(w, X, y):
    return X.T @ np.sign(X @ w - y) / len(y)


mae_grad = Exercise(
    "mae_grad", _mae_grad_cases, _mae_grad,
    "differentiate one term |x_n^T w - y_n| with the chain rule, as the chapter did for the square "
    "(what is the derivative of the absolute value for a positive argument, and for a negative one?), "
    "then average over the N examples.")


def cubic(w):
    """A test function for numerical gradients."""
    return float(np.sum(w**3) + w[0] * w[-1])


def wave(w):
    """Another test function for numerical gradients."""
    return float(np.sum(np.sin(w)) * np.cos(w[0]))


def _forward_grad_cases(rng):
    w3, w2, w1, other = rounded(rng, (3,), (2,), (1,), (1,))
    # The last case holds 0.3 with h = 0.1: 0.3 + 0.1 - 0.1 is 0.30000000000000004, so code that moves w[i]
    # in place and back changes w in every draw, not only in the draws whose numbers happen to round badly.
    return [{"f": cubic, "w": w3, "h": 1e-3}, {"f": wave, "w": w2, "h": 1e-2}, {"f": cubic, "w": 1 + w1, "h": 0.1},
            {"f": wave, "w": np.array([0.3, other[0]]), "h": 0.1}]


def _forward_grad(f, w, h):
    w = np.asarray(w, dtype=float)
    at_w = f(w)
    return np.array([(f(w + h * e) - at_w) / h for e in np.eye(len(w))])


forward_grad = Exercise(
    "forward_grad", _forward_grad_cases, _forward_grad,
    "for each i, move only w[i], and only forward, by h; the estimate of entry i is the change of f "
    "divided by the length of that move. Leave w itself unchanged: w[i] += h followed by w[i] -= h does "
    "not always give back the same number (0.3 + 0.1 - 0.1 is 0.30000000000000004), so move a copy or put "
    "the old value back. The cases use a large h on purpose: a central difference or the exact derivative "
    "does not pass.")
