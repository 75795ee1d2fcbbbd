"""The data sets of the book, all made with seeded numpy Generators.

Each returns ``X, y``: ``X`` has one row per example and, with ``bias=True``, a
first column of ones so that ``w[0]`` is the intercept and ``w[1]`` the slope.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from . import _checks


def line(
    n: int,
    intercept: float,
    slope: float,
    *,
    x_max: float = 1.0,
    noise: float = 1.0,
    seed: int = 0,
    bias: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Points on ``y = intercept + slope * x + noise * xi``.

    ``x`` is uniform on ``[0, x_max)`` and ``xi`` standard normal (the book's
    :math:`\\xi`), both drawn from ``numpy.random.default_rng(seed)`` (first all
    ``x``, then all ``xi``).

    Returns
    -------
    X : ndarray, shape (n, 2), or (n, 1) when ``bias=False``
    y : ndarray, shape (n,)
    """
    n = _checks.integer(n, "n", 1)
    rng = np.random.default_rng(seed)
    x = x_max * rng.random(n)
    y = intercept + slope * x + noise * rng.standard_normal(n)
    X = np.column_stack([np.ones(n), x]) if bias else x[:, None]
    return X, y


def line_100(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """100 points of ``y = 4 + 3x + xi``, ``x`` in ``[0, 2)``, with a bias column."""
    return line(100, 4.0, 3.0, x_max=2.0, noise=1.0, seed=seed)


def line_1000(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """1000 points of ``y = 2 + 3x + 0.1 xi``, ``x`` in ``[0, 1)``, with a bias column."""
    return line(1000, 2.0, 3.0, x_max=1.0, noise=0.1, seed=seed)


def toy() -> tuple[np.ndarray, np.ndarray]:
    """The three points ``x = 1, 2, 3`` with ``y = 2x``; no bias column (model ``y = w x``)."""
    x = np.array([1.0, 2.0, 3.0])
    return x[:, None], 2 * x


def badly_scaled(n: int = 200, scale: float = 100.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two features in units ``scale`` times apart, and no bias column.

    ``x_a`` is uniform on ``[0, 1)`` and ``x_b`` on ``[0, scale)``;
    ``y = 2 x_a + (3 / scale) x_b + 0.1 xi``, so both features matter equally
    but their weights differ by the factor ``scale``. Returns ``X`` of shape
    ``(n, 2)`` and ``y``.
    """
    n = _checks.integer(n, "n", 1)
    scale = _checks.positive(scale, "scale", "100")
    rng = np.random.default_rng(seed)
    X = rng.random((n, 2)) * [1.0, scale]
    y = X @ [2.0, 3.0 / scale] + 0.1 * rng.standard_normal(n)
    return X, y


def wave(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points on the curve ``y = sin(2x) + noise * xi``, ``x`` uniform on ``[-2, 2)``, ``xi`` standard normal.

    No line fits them.

    Returns ``X`` of shape ``(n, 1)`` (no bias column) and ``y``, for a small network to fit.
    """
    n = _checks.integer(n, "n", 1)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, n)
    return x[:, None], np.sin(2 * x) + noise * rng.standard_normal(n)


def breast_cancer(standardize: bool = True, bias: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The Breast Cancer Wisconsin (Diagnostic) data shipped with gdlib: 569 examples, 30 features.

    ``y`` is 1 for a malignant and 0 for a benign diagnosis. With ``standardize``
    each feature is shifted and scaled to mean 0 and standard deviation 1 (the raw
    features range from about 0.001 to 4000); with ``bias`` a first column of ones
    is added. Source: UCI Machine Learning Repository, doi:10.24432/C5DW2B,
    licensed CC BY 4.0; see ``gdlib/datasets/README.md``.
    """
    with resources.files("gdlib").joinpath("datasets/breast_cancer.csv").open() as f:
        table = np.loadtxt(f, delimiter=",", skiprows=1)
    X, y = table[:, :-1], table[:, -1]
    if standardize:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    return (np.column_stack([np.ones(len(y)), X]) if bias else X), y


def least_squares(X, y) -> np.ndarray:
    """The exact minimiser of the mean squared error, to check descent against."""
    X = _checks.array(X, "X", ndim=2)
    y = _checks.array(y, "y", ndim=1)
    return np.linalg.lstsq(X, y, rcond=None)[0]
