r"""Test functions :math:`f(w)` with analytic gradients, for contour pictures.

``value`` takes ``w`` of shape ``(2,)`` or a grid of shape ``(..., 2)`` and
returns shape ``()`` or ``(...)``; ``grad`` returns the same shape as ``w``.
Run an optimizer on a surface with :func:`gdlib.minimize`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import _checks


@dataclass(frozen=True, eq=False)  # compared and hashed by identity
class Surface:
    """A function to minimise, with what a contour plot needs to show it."""

    name: str
    value: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    minima: tuple[tuple[float, ...], ...]
    saddles: tuple[tuple[float, ...], ...] = ()
    hessian: np.ndarray | None = field(default=None, repr=False)  # quadratics only

    def __call__(self, w) -> np.ndarray:
        return self.value(w)


def _entries(w):
    """The two entries w[0], w[1] of w, or of every point of a grid of shape (..., 2)."""
    w = np.asarray(w, dtype=float)
    if w.shape[-1:] != (2,):
        raise ValueError(f"w must have shape (2,) or (..., 2) for a 2-D surface, got {w.shape}.")
    return w[..., 0], w[..., 1]


def quadratic(curvatures=(1.0, 10.0), angle: float = 0.0) -> Surface:
    r"""The bowl :math:`f(w) = \tfrac12 w^\top A w`, :math:`\nabla f(w) = A w`.

    :math:`A` has eigenvalues ``curvatures`` (the curvatures along its axes) and,
    in 2-D, axes turned by ``angle`` degrees. The condition number is
    :math:`\kappa = \lambda_{\max} / \lambda_{\min}`; gradient descent converges
    exactly when :math:`0 < \alpha < 2 / \lambda_{\max}`.
    """
    lam = _checks.array(curvatures, "curvatures", ndim=1)
    if len(lam) == 0 or not (lam > 0).all():
        raise ValueError(f"curvatures must all be > 0, got {list(lam)}.")
    if angle and len(lam) != 2:
        raise ValueError("angle turns the axes of a 2-D bowl only; give two curvatures.")
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    R = np.array([[c, -s], [s, c]]) if len(lam) == 2 else np.eye(len(lam))
    A = R @ np.diag(lam) @ R.T

    def value(w):
        w = np.asarray(w, dtype=float)
        return 0.5 * np.einsum("...i,ij,...j->...", w, A, w)

    def grad(w):
        return np.asarray(w, dtype=float) @ A  # A is symmetric

    origin = (tuple([0.0] * len(lam)),)
    return Surface("quadratic", value, grad, (-2.0, 2.0), (-2.0, 2.0), origin, hessian=A)


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Surface:
    r"""The banana valley :math:`f(w) = (a - w[0])^2 + b\,(w[1] - w[0]^2)^2`, minimum at :math:`(a, a^2)`."""

    def value(w):
        w0, w1 = _entries(w)
        return (a - w0) ** 2 + b * (w1 - w0**2) ** 2

    def grad(w):
        w0, w1 = _entries(w)
        return np.stack([-2 * (a - w0) - 4 * b * w0 * (w1 - w0**2), 2 * b * (w1 - w0**2)], axis=-1)

    return Surface("rosenbrock", value, grad, (-2.0, 2.0), (-1.0, 3.0), ((a, a * a),))


def saddle() -> Surface:
    r""":math:`f(w) = w[0]^2 + \tfrac14 w[1]^4 - \tfrac12 w[1]^2`: a saddle at the origin, minima at :math:`(0, \pm 1)`.

    On the ridge :math:`w[1] = 0` the gradient has no :math:`w[1]` part, so
    gradient descent started there walks into the saddle and stops.
    """

    def value(w):
        w0, w1 = _entries(w)
        return w0**2 + 0.25 * w1**4 - 0.5 * w1**2

    def grad(w):
        w0, w1 = _entries(w)
        return np.stack([2 * w0, w1**3 - w1], axis=-1)

    minima = ((0.0, -1.0), (0.0, 1.0))
    return Surface("saddle", value, grad, (-1.5, 1.5), (-1.6, 1.6), minima, saddles=((0.0, 0.0),))


def camel() -> Surface:
    r"""The three-hump camel :math:`f(w) = 2w[0]^2 - 1.05\,w[0]^4 + w[0]^6/6 + w[0]\,w[1] + w[1]^2`.

    Its global minimum is the origin; two local minima and two saddles lie on the
    line :math:`w[1] = -w[0]/2`, where :math:`w[0]^4 - 4.2\,w[0]^2 + 3.5 = 0`.
    """

    def value(w):
        w0, w1 = _entries(w)
        return 2 * w0**2 - 1.05 * w0**4 + w0**6 / 6 + w0 * w1 + w1**2

    def grad(w):
        w0, w1 = _entries(w)
        return np.stack([4 * w0 - 4.2 * w0**3 + w0**5 + w1, w0 + 2 * w1], axis=-1)

    far, near = (math.sqrt((4.2 + r) / 2) for r in (math.sqrt(3.64), -math.sqrt(3.64)))
    minima = ((0.0, 0.0), (far, -far / 2), (-far, far / 2))
    saddles = ((near, -near / 2), (-near, near / 2))
    return Surface("camel", value, grad, (-2.2, 2.2), (-1.6, 1.6), minima, saddles)


def loss_surface(loss, X, y, *, xlim=None, ylim=None) -> Surface:
    r"""The loss :math:`L(w)` of a two-weight model on data ``X, y``, as a Surface.

    With it, :func:`gdlib.plots.contour` draws the loss landscape of a
    regression and :func:`gdlib.minimize` runs full-batch descent on it. For the
    mean squared error the marked minimum is the least-squares solution; the
    default view holds it and the origin.
    """
    from .data import least_squares
    from .losses import MSE

    X = _checks.array(X, "X", ndim=2)
    y = _checks.array(y, "y", ndim=1)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (two weights) for a surface, got {X.shape[1]}.")
    mse = isinstance(loss, MSE)
    best = [float(b) for b in least_squares(X, y)] if mse else None
    # L(w) = w^T A w - 2 w^T b + c for the MSE: a grid costs O(grid) instead of O(grid * N).
    A, b, c = X.T @ X / len(y), X.T @ y / len(y), y @ y / len(y)

    def value(w):
        w = np.asarray(w, dtype=float)
        if mse:
            return np.einsum("...i,ij,...j->...", w, A, w) - 2 * w @ b + c
        return np.vectorize(lambda a, b: loss.value(np.array([a, b]), X, y))(w[..., 0], w[..., 1])

    def grad(w):
        return loss.grad(np.asarray(w, dtype=float), X, y)

    def around(c):
        span = max(abs(c), 1.0)
        return (min(c, 0.0) - span / 2, max(c, 0.0) + span / 2)

    xlim = tuple(xlim or (around(best[0]) if best is not None else (-2.0, 2.0)))
    ylim = tuple(ylim or (around(best[1]) if best is not None else (-2.0, 2.0)))
    minima = (tuple(best),) if best is not None else ()
    return Surface(f"{loss.name} loss", value, grad, xlim, ylim, minima)
