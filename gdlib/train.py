"""The training loop: :func:`fit` on data, :func:`minimize` on a surface.

Both return a :class:`History`. If the loss stops being finite or grows a
million-fold over where it started, training stops, ``History.diverged`` is set
and a :class:`DivergenceWarning` names the learning rate to lower.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from . import _checks
from .losses import Loss
from .timing import Progress

EXPLODE = 1e6  # a loss this many times its start (or 1.0, if larger) counts as diverged


class DivergenceWarning(RuntimeWarning):
    """Training stopped because the loss blew up."""


@dataclass
class History:
    """What a run did.

    Attributes
    ----------
    w : ndarray
        Final weights. If the run diverged: the last weights whose loss is finite.
    losses : ndarray
        Full-data loss before training and after each completed epoch:
        ``epochs + 1`` values, fewer if the run diverged.
    step_losses : ndarray
        Loss on the batch used at each step, measured before that step: the noisy curve.
    trajectory : ndarray or None
        Weights before the first step and after every step, shape ``(steps + 1, *w.shape)``.
    diverged : bool
        True if training stopped because the loss blew up.
    diverged_step : int or None
        The number of steps after which the loss blew up.
    """

    w: np.ndarray
    losses: np.ndarray
    step_losses: np.ndarray
    trajectory: np.ndarray | None
    diverged: bool = False
    diverged_step: int | None = None

    @property
    def steps(self) -> int:
        """Number of updates taken."""
        return len(self.step_losses)

    def first_below(self, threshold: float) -> int | None:
        """The first ``k`` with ``losses[k] <= threshold``, or None if the loss never got there.

        ``k`` counts epochs, which are steps for full-batch ``fit`` and for ``minimize``.
        """
        hits = np.flatnonzero(self.losses <= threshold)
        return int(hits[0]) if len(hits) else None

    def __repr__(self) -> str:
        end = f"diverged at step {self.diverged_step}" if self.diverged else f"loss {self.losses[-1]:.6g}"
        return f"History({self.steps} steps, {len(self.losses) - 1} epochs, {end}, w={self.w})"


def fit(
    loss,
    w0,
    X,
    y,
    optimizer,
    *,
    batch_size: int | None = None,
    epochs: int = 1,
    seed: int = 0,
    keep_trajectory: bool = True,
    progress: bool | str = False,
) -> History:
    r"""Train ``w`` to minimise ``loss`` on ``X, y`` with ``optimizer``.

    Parameters
    ----------
    loss : Loss
        For example :data:`gdlib.mse`; anything with ``value`` and ``grad`` works.
    w0 : array_like
        Starting weights (not changed).
    X, y : array_like
        Data, shapes ``(N, d)`` and ``(N,)``.
    optimizer : Optimizer
        From :func:`gdlib.gd`, :func:`gdlib.momentum`, ... (``init`` and ``step``).
    batch_size : int or None
        :math:`B`. ``None``: full-batch gradient descent, one step per epoch.
        ``1``: stochastic gradient descent. ``B``: mini-batches of ``B`` examples,
        :math:`\lceil N / B \rceil` steps per epoch; the last batch of an epoch
        holds the :math:`N \bmod B` leftovers when :math:`B` does not divide :math:`N`.
    epochs : int
        Passes over the data. Each epoch reshuffles the data with a generator
        seeded once with ``seed`` (full batches are not shuffled).
    keep_trajectory : bool
        Record the weights after every step (turn off for very long runs of big models).
    progress : bool or str
        Show a progress line, labelled with the string if one is given, that
        ends with the run's wall time.
    """
    if not (hasattr(loss, "value") and hasattr(loss, "grad")):
        raise TypeError(f"loss must have value(w, X, y) and grad(w, X, y), such as gdlib.mse; got {loss!r}.")
    _check_optimizer(optimizer)
    X = _checks.array(X, "X", ndim=2)
    y = _checks.array(y, "y", ndim=1)
    w0 = _checks.array(w0, "w0")
    if len(y) != len(X):
        raise ValueError(f"y has {len(y)} entries but X has {len(X)} rows; give one target per row.")
    n = len(y)
    if n == 0:
        raise ValueError("X and y are empty; give at least one example.")
    if batch_size is not None:
        batch_size = _checks.integer(batch_size, "batch_size", 1, n)
    epochs = _checks.integer(epochs, "epochs", 1)
    seed = _checks.integer(seed, "seed", 0)
    if isinstance(loss, Loss):
        loss.check(w0, X, y, w_name="w0")
        value, value_and_grad = loss._value, loss._value_and_grad  # checked once, above
    else:
        value = loss.value
        def value_and_grad(w, Xb, yb):
            return loss.value(w, Xb, yb), loss.grad(w, Xb, yb)
    bar = Progress(progress if isinstance(progress, str) else "fit", epochs) if progress else None
    history = _descend(value, value_and_grad, w0, X, y, optimizer, batch_size, epochs, seed, keep_trajectory,
                       "fit", bar)
    if bar:
        bar.close(len(history.losses) - 1, history.steps)
    return history


def minimize(surface, w0, optimizer, steps: int = 100, *, noise: float = 0.0, seed: int = 0) -> History:
    """Run ``optimizer`` for ``steps`` steps on a surface (``value(w)``, ``grad(w)``).

    ``History.losses`` then holds ``f`` at every point of the trajectory. With
    ``noise > 0`` each gradient gets independent normal noise of that standard
    deviation per entry (drawn from a generator seeded with ``seed``): a model
    of the noisy gradients of stochastic gradient descent.
    """
    if not (hasattr(surface, "value") and hasattr(surface, "grad")):
        raise TypeError(
            f"surface must have value(w) and grad(w), such as gdlib.surfaces.rosenbrock(); got {surface!r}."
        )
    _check_optimizer(optimizer)
    w0 = _checks.array(w0, "w0")
    steps = _checks.integer(steps, "steps", 1)
    noise = _checks.number(noise, "noise")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}.")
    rng = np.random.default_rng(_checks.integer(seed, "seed", 0))

    def value_and_grad(w, X, y):  # the data arguments are placeholders
        g = np.asarray(surface.grad(w), dtype=float)
        return float(surface.value(w)), (g + noise * rng.standard_normal(g.shape) if noise else g)

    no_data = np.zeros((1, 0)), np.zeros(1)
    # One full batch per epoch: _descend then never calls value (the first argument) separately.
    return _descend(None, value_and_grad, w0, *no_data, optimizer, None, steps, 0, True, "minimize")


def _check_optimizer(optimizer):
    if not (callable(getattr(optimizer, "init", None)) and callable(getattr(optimizer, "step", None))):
        raise TypeError(
            f"optimizer must have init(w) and step(w, grad, state), such as gdlib.gd(lr=0.1); got {optimizer!r}."
        )


def _batches(X, y, batch_size, rng):
    """One epoch's batches: all the data, or shuffled slices of ``batch_size`` rows."""
    if batch_size is None:
        yield X, y
        return
    order = rng.permutation(len(y))
    Xs, ys = X[order], y[order]  # one shuffled copy per epoch makes every batch a cheap slice
    for start in range(0, len(y), batch_size):
        yield Xs[start:start + batch_size], ys[start:start + batch_size]


def _descend(value, value_and_grad, w, X, y, optimizer, batch_size, epochs, seed, keep, caller, bar=None):
    """The loop shared by fit and minimize; inputs are already checked."""
    full_batch = batch_size is None
    total = epochs * (1 if full_batch else -(-len(y) // batch_size))  # steps if nothing diverges
    trajectory = np.empty((total + 1, *w.shape)) if keep else None
    step_losses = np.empty(total)
    losses = np.empty(epochs + 1)
    rng = np.random.default_rng(seed)
    state = optimizer.init(w)

    with np.errstate(over="ignore", invalid="ignore"):  # blow-ups are reported below
        cached = value_and_grad(w, X, y)  # full batch: an epoch's final loss is the next step's
    losses[0] = cached[0]
    if not np.isfinite(losses[0]):
        raise ValueError(f"the loss at w0 is {losses[0]}; start from weights where it is finite.")
    limit = EXPLODE * max(losses[0], 1.0)
    if keep:
        trajectory[0] = w
    w_prev, k, epoch, bad = w, 0, 0, None  # bad: the loss that blew up
    with np.errstate(over="ignore", invalid="ignore"):
        while epoch < epochs and bad is None:
            for Xb, yb in _batches(X, y, batch_size, rng):
                loss, g = cached if full_batch else value_and_grad(w, Xb, yb)
                if not loss <= limit:  # also catches NaN
                    bad = loss
                    break
                w_prev, (w, state) = w, optimizer.step(w, g, state)
                step_losses[k] = loss
                k += 1
                if keep:
                    trajectory[k] = w
            if bad is None:
                if full_batch:
                    cached = value_and_grad(w, X, y)
                epoch += 1
                losses[epoch] = cached[0] if full_batch else value(w, X, y)
                if not losses[epoch] <= limit:
                    bad = losses[epoch]
                if bar:
                    bar.update(epoch)

    blew_up_at = k
    if bad is not None and not np.isfinite(bad) and k > 0:
        w, k = w_prev, k - 1  # step back to the last weights with a finite loss
        epoch -= int(not np.isfinite(losses[epoch]))
    history = History(w, losses[: epoch + 1], step_losses[:k], trajectory[: k + 1] if keep else None)
    if bad is not None:
        history.diverged, history.diverged_step = True, blew_up_at
        _warn_divergence(caller, optimizer, blew_up_at, bad, losses[0])
    return history


def _warn_divergence(caller, optimizer, step, bad, start):
    lr = getattr(optimizer, "hyperparams", {}).get("lr")
    if isinstance(lr, numbers.Real):
        advice = f"The learning rate lr={lr:g} is too large here; try a smaller one, such as lr={lr / 10:g}."
    elif hasattr(lr, "lr"):  # a schedule
        advice = f"The schedule {lr!r} starts too large here; try a smaller lr, such as lr={lr.lr / 10:g}."
    else:
        advice = "Try a smaller learning rate."
    warnings.warn(
        f"{caller} diverged after {step} steps: the loss reached {bad:.3g} (it started at {start:.3g}), "
        f"so training stopped. {advice}",
        DivergenceWarning,
        stacklevel=4,  # point at the caller of fit or minimize
    )
