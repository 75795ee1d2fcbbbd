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


class LinearLoss(Loss):
    """A loss of a linear model ``X @ w``: one weight per column of ``X``."""

    def check(self, w, X, y, w_name: str = "w", stack: bool = False):
        w, X, y = super().check(w, X, y, w_name)
        d = X.shape[1]
        if (w.shape[-1:] if stack else w.shape) != (d,):
            raise ValueError(
                f"{w_name} has shape {w.shape} but X has {d} columns; "
                f"{w_name} needs one weight per column of X, shape ({d},)."
            )
        return w, X, y


class MSE(LinearLoss):
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


class Logistic(LinearLoss):
    r"""The mean cross-entropy of logistic regression, for labels 0 and 1.

    .. math::

        L(w) = \frac{1}{N} \sum_{n=1}^{N} \Big( \log\big(1 + e^{z_n}\big) - y_n z_n \Big), \quad z_n = x_n^\top w,
        \qquad \nabla L(w) = \frac{1}{N} X^\top \big( \operatorname{logistic}(X w) - y \big)

    with :math:`\operatorname{logistic}(z) = 1 / (1 + e^{-z})`, the probability the model
    gives to label 1, and :math:`z_n` the linear score. ``X`` is :math:`(N, d)`, ``y`` holds
    0s and 1s, ``w`` is :math:`(d,)`.
    """

    name = "logistic"

    def check(self, w, X, y, w_name: str = "w", stack: bool = False):
        w, X, y = super().check(w, X, y, w_name, stack)
        if not np.isin(y, (0.0, 1.0)).all():
            raise ValueError("y must hold only 0s and 1s (the two classes) for the logistic loss.")
        return w, X, y

    def _value(self, w, X, y):
        z = X @ w
        return float(np.mean(np.logaddexp(0.0, z) - y * z))  # log(1 + e^z) without overflow

    def _value_and_grad(self, w, X, y):
        z = X @ w
        probability = 0.5 * (1 + np.tanh(z / 2))  # logistic(z), written so that no exp overflows
        return float(np.mean(np.logaddexp(0.0, z) - y * z)), X.T @ (probability - y) / len(y)


logistic = Logistic()


class TwoLayerNet(Loss):
    r"""Mean squared error of a network with one hidden layer of ``hidden`` tanh units.

    .. math::

        a_n = \tanh\big(W^{(1)} x_n + b^{(1)}\big), \qquad \hat y_n = w^{(2)\top} a_n + b^{(2)}, \qquad
        L = \frac{1}{N} \sum_{n=1}^{N} (\hat y_n - y_n)^2

    Superscripts number the layers (subscripts count steps in this book). The
    weights travel as one flat vector ``w`` (so that every optimizer and
    :func:`gdlib.fit` work unchanged): :meth:`unpack` splits it into ``W1`` =
    :math:`W^{(1)}` (hidden, d), ``b1`` = :math:`b^{(1)}` (hidden), ``w2`` =
    :math:`w^{(2)}` (hidden) and ``b2`` = :math:`b^{(2)}` (a number), and
    :meth:`init` draws a starting point. The gradient is computed by
    backpropagation, written out in ``_value_and_grad``.
    """

    name = "two-layer network"

    def __init__(self, hidden: int = 8):
        self.hidden = _checks.integer(hidden, "hidden", 1)

    def size(self, d: int) -> int:
        """The number of weights for ``d`` input features."""
        return self.hidden * (d + 2) + 1

    def unpack(self, w, d: int):
        """Split the flat ``w`` into ``W1, b1, w2, b2`` (views, not copies)."""
        h = self.hidden
        return w[: h * d].reshape(h, d), w[h * d: h * d + h], w[h * d + h: h * d + 2 * h], w[-1]

    def init(self, d: int, seed: int = 0) -> np.ndarray:
        """Small random starting weights: a random W1 and w2 (scaled by 1/sqrt of the fan-in), zero biases."""
        rng = np.random.default_rng(seed)
        w = np.zeros(self.size(d))
        W1, _, w2, _ = self.unpack(w, d)
        W1[:] = rng.normal(size=W1.shape) / np.sqrt(d)
        w2[:] = rng.normal(size=w2.shape) / np.sqrt(self.hidden)
        return w

    def check(self, w, X, y, w_name: str = "w"):
        w, X, y = super().check(w, X, y, w_name)
        if w.shape != (self.size(X.shape[1]),):
            raise ValueError(f"{w_name} has shape {w.shape} but a network with {self.hidden} hidden units and "
                             f"{X.shape[1]} inputs has {self.size(X.shape[1])} weights; start from net.init(d).")
        return w, X, y

    def _value_and_grad(self, w, X, y):
        W1, b1, w2, b2 = self.unpack(w, X.shape[1])
        a = np.tanh(X @ W1.T + b1)  # forward pass: hidden activations, (N, hidden)
        residual = a @ w2 + b2 - y
        d_out = 2 * residual / len(y)  # backward pass: dL / d y_hat
        d_hidden = np.outer(d_out, w2) * (1 - a**2)  # through w2, then through tanh
        grad = np.concatenate([(d_hidden.T @ X).ravel(), d_hidden.sum(axis=0), a.T @ d_out, [d_out.sum()]])
        return float(residual @ residual) / len(y), grad
