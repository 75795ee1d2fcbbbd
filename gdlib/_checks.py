"""Argument checks shared by gdlib: every message names the argument and the fix."""

from __future__ import annotations

import math
import numbers

import numpy as np


def number(value, name: str) -> float:
    """Return ``value`` as a float, or raise TypeError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__}).")
    return float(value)


def positive(value, name: str, example: str) -> float:
    """A finite number > 0 (learning rates, eps)."""
    x = number(value, name)
    if not (math.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}; try {name}={example}.")
    return x


def decay(value, name: str) -> float:
    """A decay rate in [0, 1) (beta, beta1, beta2)."""
    x = number(value, name)
    if not 0 <= x < 1:
        raise ValueError(
            f"{name} must be in [0, 1), got {value!r}; values near 1 (such as 0.9) "
            "average over more past steps."
        )
    return x


def integer(value, name: str, low: int, high: int | None = None) -> int:
    """An integer in ``low..high`` (``high`` None means no upper bound)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__}).")
    if value < low or (high is not None and value > high):
        upper = "" if high is None else f"..{high}"
        raise ValueError(f"{name} must be an integer in {low}{upper}, got {value}.")
    return int(value)


def array(value, name: str, ndim: int | None = None, finite: bool = True) -> np.ndarray:
    """A float array, optionally with a given number of dimensions and finite entries."""
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}.") from None
    if ndim is not None and a.ndim != ndim:
        shape = "(n,)" if ndim == 1 else "(n, d)"
        raise ValueError(f"{name} must be a {ndim}-D array of shape {shape}, got shape {a.shape}.")
    if finite and not np.isfinite(a).all():
        raise ValueError(f"{name} contains NaN or infinite values; clean or drop those entries first.")
    return a
