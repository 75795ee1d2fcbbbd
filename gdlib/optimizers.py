r"""Optimizers as pure functions with an explicit state.

Each factory returns an :class:`Optimizer` with two functions:

* ``init(w) -> state``: the optimizer's memory before the first step;
* ``step(w, grad, state) -> (new_w, new_state)``: one update.

``step`` never changes ``w``, ``grad`` or ``state`` in place, so you can call it
by hand, keep old states and compare. Steps are counted :math:`t = 1, 2, \dots`
and :math:`g_t` is the gradient at :math:`w_{t-1}` (see the notation page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from . import _checks


@dataclass(frozen=True)
class Optimizer:
    """An optimizer: a name, its hyperparameters and two pure functions."""

    name: str
    hyperparams: dict
    init: Callable[[np.ndarray], Any]
    step: Callable[[np.ndarray, np.ndarray, Any], tuple[np.ndarray, Any]]

    @property
    def lr(self) -> float:
        """The learning rate :math:`\\alpha`."""
        return self.hyperparams["lr"]

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparams.items())
        return f"{self.name}({args})"

    @property
    def label(self) -> str:
        """The ``repr`` with rounded numbers, for legends and readouts: ``gd(lr=0.0891)``."""
        args = ", ".join(f"{k}={rounded(v)}" for k, v in self.hyperparams.items())
        return f"{self.name}({args})"


def rounded(value) -> str:
    """A number with three significant digits, or more where three would hide it.

    A decay next to 1 keeps the digits that tell it from 1 (``0.9999``, not
    ``1``). Anything else (a schedule, a flag) is shown as its ``repr``.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return repr(value)
    value = float(value)
    for digits in range(3, 17):
        text = f"{value:.{digits}g}"
        if abs(float(text) - value) <= 0.005 * min(abs(value), abs(1 - value)):
            return text
    return repr(value)


class GDState(NamedTuple):
    """Plain gradient descent keeps no memory."""


class MomentumState(NamedTuple):
    v: np.ndarray  #: velocity, the moving average of gradients


class RMSPropState(NamedTuple):
    s: np.ndarray  #: moving average (Adagrad: sum) of squared gradients


class AdamState(NamedTuple):
    m: np.ndarray  #: first moment, the moving average of gradients
    s: np.ndarray  #: second moment, the moving average of squared gradients
    t: int  #: number of steps taken so far


def _as_weights(w) -> np.ndarray:
    return _checks.array(w, "w", finite=False)


def _check_step(w, grad) -> tuple[np.ndarray, np.ndarray]:
    w, grad = np.asarray(w, dtype=float), np.asarray(grad, dtype=float)
    if grad.shape != w.shape:
        raise ValueError(
            f"grad has shape {grad.shape} but w has shape {w.shape}; "
            "the gradient needs one entry per weight."
        )
    return w, grad


def gd(lr: float) -> Optimizer:
    r"""Plain gradient descent.

    .. math:: w_t = w_{t-1} - \alpha g_t

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha > 0`.
    """
    lr = _checks.positive(lr, "lr", "0.01")

    def init(w):
        _as_weights(w)
        return GDState()

    def step(w, grad, state):
        w, grad = _check_step(w, grad)
        return w - lr * grad, state

    return Optimizer("gd", {"lr": lr}, init, step)


def momentum(lr: float, beta: float = 0.9, *, nesterov: bool = False) -> Optimizer:
    r"""Gradient descent with momentum, in exponential-moving-average form.

    .. math::

        v_t &= \beta v_{t-1} + (1 - \beta) g_t, \qquad v_0 = 0 \\
        w_t &= w_{t-1} - \alpha v_t

    ``beta=0`` is plain gradient descent. The heavy-ball form
    :math:`v_t = \beta v_{t-1} + g_t` takes the same path with learning rate
    :math:`\alpha (1 - \beta)`.

    With ``nesterov=True`` the step looks ahead along the velocity, in the form
    PyTorch and Keras use: :math:`w_t = w_{t-1} - \alpha (\beta v_t + (1 - \beta) g_t)`.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha > 0`.
    beta : float
        Decay :math:`\beta \in [0, 1)` of the velocity; it averages over roughly
        the last :math:`1 / (1 - \beta)` gradients.
    nesterov : bool
        Use Nesterov's look-ahead step.
    """
    lr = _checks.positive(lr, "lr", "0.01")
    beta = _checks.decay(beta, "beta")

    def init(w):
        return MomentumState(v=np.zeros_like(_as_weights(w)))

    def step(w, grad, state):
        w, grad = _check_step(w, grad)
        v = beta * state.v + (1 - beta) * grad
        direction = beta * v + (1 - beta) * grad if nesterov else v
        return w - lr * direction, MomentumState(v)

    hyperparams = {"lr": lr, "beta": beta, **({"nesterov": True} if nesterov else {})}
    return Optimizer("momentum", hyperparams, init, step)


def adagrad(lr: float, eps: float = 1e-8) -> Optimizer:
    r"""Adagrad: divide by the root of the *sum* of all past squared gradients.

    .. math::

        s_t &= s_{t-1} + g_t^2, \qquad s_0 = 0 \\
        w_t &= w_{t-1} - \alpha \frac{g_t}{\sqrt{s_t} + \epsilon}

    Since :math:`s_t` only grows, every step is smaller than the last for the same
    gradient; RMSProp replaces the sum by a moving average to stop that decay.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha > 0`.
    eps : float
        :math:`\epsilon > 0`, outside the root.
    """
    lr = _checks.positive(lr, "lr", "0.1")
    eps = _checks.positive(eps, "eps", "1e-8")

    def init(w):
        return RMSPropState(s=np.zeros_like(_as_weights(w)))

    def step(w, grad, state):
        w, grad = _check_step(w, grad)
        s = state.s + grad**2
        return w - lr * grad / (np.sqrt(s) + eps), RMSPropState(s)

    return Optimizer("adagrad", {"lr": lr, "eps": eps}, init, step)


def rmsprop(lr: float, beta: float = 0.9, eps: float = 1e-8) -> Optimizer:
    r"""RMSProp: divide each gradient entry by the root of its recent mean square.

    .. math::

        s_t &= \beta s_{t-1} + (1 - \beta) g_t^2, \qquad s_0 = 0 \\
        w_t &= w_{t-1} - \alpha \frac{g_t}{\sqrt{s_t} + \epsilon}

    Squares, roots and the division act entry by entry. :math:`\epsilon` sits
    outside the root, as in PyTorch; Keras and TensorFlow 1 put it inside,
    :math:`\sqrt{s_t + \epsilon}`, which differs only where :math:`s_t` is tiny.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha > 0`.
    beta : float
        Decay :math:`\beta \in [0, 1)` of the mean square.
    eps : float
        :math:`\epsilon > 0`, keeps the division finite where :math:`s_t = 0`.
    """
    lr = _checks.positive(lr, "lr", "0.01")
    beta = _checks.decay(beta, "beta")
    eps = _checks.positive(eps, "eps", "1e-8")

    def init(w):
        return RMSPropState(s=np.zeros_like(_as_weights(w)))

    def step(w, grad, state):
        w, grad = _check_step(w, grad)
        s = beta * state.s + (1 - beta) * grad**2
        return w - lr * grad / (np.sqrt(s) + eps), RMSPropState(s)

    return Optimizer("rmsprop", {"lr": lr, "beta": beta, "eps": eps}, init, step)


def adam(
    lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
) -> Optimizer:
    r"""Adam: momentum's first moment, RMSProp's second moment, bias-corrected.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad m_0 = 0 \\
        s_t &= \beta_2 s_{t-1} + (1 - \beta_2) g_t^2, \qquad s_0 = 0 \\
        \hat m_t &= \frac{m_t}{1 - \beta_1^t}, \qquad
        \hat s_t = \frac{s_t}{1 - \beta_2^t} \\
        w_t &= w_{t-1} - \alpha \frac{\hat m_t}{\sqrt{\hat s_t} + \epsilon}

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha > 0`.
    beta1, beta2 : float
        Decays :math:`\beta_1, \beta_2 \in [0, 1)` of the two moments.
    eps : float
        :math:`\epsilon > 0`, outside the root.
    """
    lr = _checks.positive(lr, "lr", "0.001")
    beta1 = _checks.decay(beta1, "beta1")
    beta2 = _checks.decay(beta2, "beta2")
    eps = _checks.positive(eps, "eps", "1e-8")

    def init(w):
        zeros = np.zeros_like(_as_weights(w))
        return AdamState(m=zeros, s=zeros, t=0)

    def step(w, grad, state):
        w, grad = _check_step(w, grad)
        t = state.t + 1
        m = beta1 * state.m + (1 - beta1) * grad
        s = beta2 * state.s + (1 - beta2) * grad**2
        m_hat = m / (1 - beta1**t)
        s_hat = s / (1 - beta2**t)
        return w - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(m, s, t)

    hyperparams = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps}
    return Optimizer("adam", hyperparams, init, step)
