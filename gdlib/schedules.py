r"""Learning-rate schedules: a step size :math:`\alpha_t` for each step :math:`t = 1, 2, \dots`

Robbins and Monro's conditions for stochastic gradient descent to converge are
:math:`\sum_t \alpha_t = \infty` (the steps can travel any distance) and
:math:`\sum_t \alpha_t^2 < \infty` (the noise they add stays bounded).
:func:`inverse_time` meets both; :func:`constant` and :func:`inverse_sqrt` fail
the second. :func:`scheduled` runs any optimizer with a schedule.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from . import _checks
from .optimizers import Optimizer


@dataclass(frozen=True)
class Schedule:
    """A learning rate for every step: ``schedule(t)`` for ``t = 1, 2, ...``."""

    name: str
    lr: float  #: the first step's learning rate :math:`\alpha_1`
    tau: float | None  #: steps over which the rate falls, or None for a constant
    rate: Callable[[int], float]

    def __call__(self, t: int) -> float:
        return self.rate(t)

    def __repr__(self) -> str:
        tau = "" if self.tau is None else f", tau={self.tau:g}"
        return f"{self.name}(lr={self.lr:g}{tau})"


def constant(lr: float) -> Schedule:
    r""":math:`\alpha_t = \alpha`."""
    lr = _checks.positive(lr, "lr", "0.01")
    return Schedule("constant", lr, None, lambda t: lr)


def inverse_time(lr: float, tau: float) -> Schedule:
    r""":math:`\alpha_t = \alpha / (1 + (t - 1)/\tau)`: halves after :math:`\tau` steps; meets Robbins-Monro."""
    lr, tau = _checks.positive(lr, "lr", "0.01"), _checks.positive(tau, "tau", "100")
    return Schedule("inverse_time", lr, tau, lambda t: lr / (1 + (t - 1) / tau))


def inverse_sqrt(lr: float, tau: float) -> Schedule:
    r""":math:`\alpha_t = \alpha / \sqrt{1 + (t - 1)/\tau}`: decays, but :math:`\sum_t \alpha_t^2 = \infty`."""
    lr, tau = _checks.positive(lr, "lr", "0.01"), _checks.positive(tau, "tau", "100")
    return Schedule("inverse_sqrt", lr, tau, lambda t: lr / math.sqrt(1 + (t - 1) / tau))


class ScheduledState(NamedTuple):
    t: int  #: steps taken so far
    inner: object  #: the wrapped optimizer's state


def scheduled(make: Callable[..., Optimizer], schedule: Schedule, **hyperparams) -> Optimizer:
    r"""Run the optimizer ``make(lr, **hyperparams)`` with :math:`\alpha_t = ` ``schedule(t)`` at step ``t``.

    For example ``scheduled(gdlib.gd, inverse_time(0.1, tau=100))`` takes steps
    :math:`w_t = w_{t-1} - \alpha_t g_t`.
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be made by gdlib.schedules (constant, inverse_time, ...), got {schedule!r}.")
    make(schedule.lr, **hyperparams)  # check the hyperparameters now, not at the first step

    def init(w):
        return ScheduledState(0, make(schedule.lr, **hyperparams).init(w))

    def step(w, grad, state):
        t = state.t + 1
        w, inner = make(schedule(t), **hyperparams).step(w, grad, state.inner)
        return w, ScheduledState(t, inner)

    return Optimizer(make.__name__, {"lr": schedule, **hyperparams}, init, step)
