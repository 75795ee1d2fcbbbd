r"""Numerical gradient checking with central differences.

.. math::

    \frac{\partial f}{\partial w[i]} \approx \frac{f(w + h \mathbf{1}_i) - f(w - h \mathbf{1}_i)}{2h} ,

where :math:`\mathbf{1}_i` is the vector with a 1 in entry :math:`i` and zeros
elsewhere. Its truncation error shrinks like :math:`h^2`, while rounding error
grows like :math:`1 / h`; the default :math:`h = 10^{-5}` balances the two when
the weights and inputs are of order 1 (standardise the features).

This book uses one threshold for a gradient check: a relative error
(:func:`gdlib.grad_error`) below :math:`10^{-6}`, at a point where the gradient is
not close to 0, means that the analytic gradient agrees with the cost. There a
correct gradient usually lands far below it, near :math:`10^{-10}`, and a bug
typically gives :math:`10^{-2}` or more. An error between :math:`10^{-6}` and
:math:`10^{-3}` that falls like :math:`h^2` as ``h`` shrinks is truncation error
(large weights or inputs), not a bug.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _checks


def numerical_grad(f: Callable[[np.ndarray], float], w, h: float = 1e-5) -> np.ndarray:
    """Estimate the gradient of ``f`` at ``w`` entry by entry; same shape as ``w``."""
    w = _checks.array(w, "w")
    h = _checks.positive(h, "h", "1e-5")
    g = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[i] = h
        g[i] = (f(w + e) - f(w - e)) / (2 * h)
    return g


def grad_error(f: Callable[[np.ndarray], float], grad: Callable, w, h: float = 1e-5) -> float:
    r"""Relative difference between ``grad(w)`` and the numerical gradient of ``f``.

    .. math:: \frac{\lVert g_{\text{an}} - g_{\text{num}} \rVert}
              {\max(\lVert g_{\text{an}} \rVert + \lVert g_{\text{num}} \rVert, 10^{-8})}

    with :math:`g_{\text{an}}` = ``grad(w)`` (analytic) and :math:`g_{\text{num}}` =
    :func:`numerical_grad` ``(f, w, h)``. Below :math:`10^{-6}`, the book's one
    threshold, the analytic gradient agrees with ``f``; far above it (near 1) it is
    wrong. The threshold assumes these central differences with a step near the
    default :math:`h = 10^{-5}`, and a point where the gradient is not close to 0:
    check at a random point, away from any minimum. Near a minimum the gradient is
    nearly 0, so the division by its size (or by the floor :math:`10^{-8}`) blows
    rounding noise up, and even a correct gradient can land above the threshold.
    The digits of a passing error are rounding noise that differ between
    computers: report it as a bound, such as "below 1e-9".
    """
    w = _checks.array(w, "w")
    analytic = np.asarray(grad(w), dtype=float)
    if analytic.shape != w.shape:
        raise ValueError(f"grad(w) has shape {analytic.shape} but w has shape {w.shape}.")
    numeric = numerical_grad(f, w, h)
    scale = max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-8)
    return float(np.linalg.norm(analytic - numeric) / scale)
