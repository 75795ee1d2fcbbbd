r"""Losses of a model with weights ``w`` on data ``X, y``, with analytic gradients.

A loss has ``value(w, X, y)`` and ``grad(w, X, y)``. Both check their inputs;
:func:`gdlib.fit` checks once and then calls the unchecked ``_value`` and
``_value_and_grad``, which is why subclasses implement those.
"""

from __future__ import annotations

import numpy as np

from . import _checks


class Loss:
    """Base class: checked public methods around unchecked math."""

    name = "loss"

    def value(self, w, X, y) -> float:
        """The loss at ``w`` on the data ``X, y``."""
        return self._value(*self.check(w, X, y))

    def grad(self, w, X, y) -> np.ndarray:
        """The gradient of the loss with respect to ``w``; same shape as ``w``."""
        return self._value_and_grad(*self.check(w, X, y))[1]

    def value_and_grad(self, w, X, y) -> tuple[float, np.ndarray]:
        """Both at once, sharing the work."""
        return self._value_and_grad(*self.check(w, X, y))

    def check(self, w, X, y, w_name: str = "w"):
        """Return ``w, X, y`` as float arrays; raise ValueError if they disagree."""
        w = _checks.array(w, w_name)
        X = _checks.array(X, "X", ndim=2)
        y = _checks.array(y, "y", ndim=1)
        if len(y) != len(X):
            raise ValueError(f"y has {len(y)} entries but X has {len(X)} rows; give one target per row.")
        if len(y) == 0:
            raise ValueError("X and y are empty; give at least one example.")
        return w, X, y

    def _value(self, w, X, y):
        return self._value_and_grad(w, X, y)[0]

    def _value_and_grad(self, w, X, y):
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"gdlib.{self.name}"


class MSE(Loss):
    r"""Mean squared error of the linear model :math:`\hat y = X w`.

    .. math::

        L(w) = \frac{1}{N} \sum_{n=1}^{N} (x_n^\top w - y_n)^2
             = \frac{1}{N} \lVert X w - y \rVert^2, \qquad
        \nabla L(w) = \frac{2}{N} X^\top (X w - y)

    ``X`` is :math:`(N, d)` (put a column of ones in it for an intercept), ``y``
    is :math:`(N,)` and ``w`` is :math:`(d,)`. For contour plots, ``value`` also
    takes a stack of weight vectors of shape ``(..., d)`` and returns shape ``(...)``.
    """

    name = "mse"

    def check(self, w, X, y, w_name: str = "w", stack: bool = False):
        w, X, y = super().check(w, X, y, w_name)
        d = X.shape[1]
        if (w.shape[-1:] if stack else w.shape) != (d,):
            raise ValueError(
                f"{w_name} has shape {w.shape} but X has {d} columns; "
                f"{w_name} needs one weight per column of X, shape ({d},)."
            )
        return w, X, y

    def value(self, w, X, y):
        w, X, y = self.check(w, X, y, stack=True)
        if w.ndim == 1:
            return self._value(w, X, y)
        return np.mean((w @ X.T - y) ** 2, axis=-1)  # a stack of w: one loss each

    def _value(self, w, X, y):
        r = X @ w - y
        return float(r @ r) / len(y)

    def _value_and_grad(self, w, X, y):
        r = X @ w - y  # residuals, one per example
        n = len(y)
        return float(r @ r) / n, (2 / n) * (X.T @ r)


mse = MSE()
