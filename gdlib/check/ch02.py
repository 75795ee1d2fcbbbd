"""Self-checks of chapter 2, batch gradient descent."""

import numpy as np

from .core import Exercise


def _steps_to_tolerance(H, e0, lr, tol):
    # The part of the error along eigenvector q_i has size |1 - lr lambda_i|^t |q_i^T e0| after t steps.
    lam, Q = np.linalg.eigh(H)
    sizes, factors = np.abs(Q.T @ e0), np.abs(1 - lr * lam)
    t = 0
    while np.sqrt(np.sum((sizes * factors**t) ** 2)) > tol:
        t += 1
    return t


def _hessian(rng, curvatures) -> np.ndarray:
    """A symmetric positive definite matrix with the given eigenvalues and random orthonormal eigenvectors."""
    Q, _ = np.linalg.qr(rng.normal(size=(len(curvatures), len(curvatures))))
    return np.round(Q @ np.diag(curvatures) @ Q.T, 3)


def _steps_cases(rng):
    flat, steep = rng.uniform(0.5, 1.0), rng.uniform(5.0, 12.0)
    H2 = _hessian(rng, [flat, steep])
    H3 = _hessian(rng, [rng.uniform(0.2, 0.5), rng.uniform(1.0, 2.0), rng.uniform(3.0, 5.0)])
    lam2, lam3 = np.linalg.eigvalsh(H2), np.linalg.eigvalsh(H3)
    e0 = [np.round(rng.normal(size=n), 3) for n in (2, 2, 2, 3, 3)]
    # Equal parts along both eigenvectors at alpha*, where both shrink by rho >= 9/11: the norm of the error
    # is sqrt(2) times each part, which takes ln(sqrt 2) / ln(1 / rho) >= 1.7 steps more than one part alone.
    H_equal = _hessian(rng, [1.0, rng.uniform(10.0, 30.0)])
    lam_equal, Q_equal = np.linalg.eigh(H_equal)
    part = np.round(rng.uniform(0.5, 2.0), 3)
    return [
        {"H": H2, "e0": e0[0], "lr": 2 / (lam2[0] + lam2[-1]), "tol": 1e-6},  # alpha*: both parts shrink alike
        {"H": H2, "e0": e0[1], "lr": 0.9 * 2 / lam2[-1], "tol": 1e-6},  # the steep part zigzags and decides
        {"H": H2, "e0": e0[2], "lr": 0.3 * 2 / lam2[-1], "tol": 1e-3},  # the flat part decides
        {"H": H3, "e0": e0[3], "lr": 0.5 * 2 / lam3[-1], "tol": 1e-4},
        {"H": H3, "e0": 1e-7 * e0[4], "lr": 0.5 * 2 / lam3[-1], "tol": 1e-5},  # already close enough: 0 steps
        {"H": H_equal, "e0": Q_equal @ [part, part], "lr": 2 / (lam_equal[0] + lam_equal[-1]), "tol": 1e-6},
    ]


def _same_count(expected, got) -> bool:
    """A count is right when it is a whole number of the integer type (a float such as 59.0 is not) and equal."""
    return isinstance(got, (int, np.integer)) and not isinstance(got, (bool, np.bool_)) and int(got) == expected


steps_to_tolerance = Exercise(
    "steps_to_tolerance", _steps_cases, _steps_to_tolerance,
    "split e0 along the eigenvectors of H (np.linalg.eigh); each part's size is multiplied by its own "
    "factor |1 - lr lambda_i| per step, and ||e_t|| combines all parts, as the length of a vector does, "
    "not only the slowest or the largest one. Count t from 0: the answer is 0 when ||e0|| <= tol. "
    "Return the count as an int, not a float.",
    same=_same_count)


def _standardize(X):
    features = np.asarray(X, dtype=float)[:, 1:]
    centred = features - features.mean(axis=0)
    return np.hstack([np.asarray(X, dtype=float)[:, :1], centred / np.sqrt((centred**2).mean(axis=0))])


def _design(rng, n, means, spreads) -> np.ndarray:
    """A data matrix with a column of ones and one column per (mean, spread), rounded for short messages."""
    features = [np.round(m + s * rng.normal(size=n), 3) for m, s in zip(means, spreads, strict=True)]
    return np.column_stack([np.ones(n), *features])


def _standardize_cases(rng):
    return [
        {"X": _design(rng, 8, [1.0], [0.6])},  # one feature, like the line fit
        {"X": _design(rng, 10, [-3.0], [2.0])},
        {"X": _design(rng, 12, [100.0, 0.01], [10.0, 0.005])},  # features on very different scales
        {"X": _design(rng, 15, [0.0, 5.0, -2.0], [1.0, 0.1, 30.0])},
    ]


standardize = Exercise(
    "standardize", _standardize_cases, _standardize,
    "leave the first column (the ones) as it is; for every other column subtract that column's mean and "
    "divide by that column's standard deviation, the one np.std computes by default (dividing by N).")
