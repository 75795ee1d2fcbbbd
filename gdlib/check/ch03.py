"""Self-checks of chapter 3, stochastic gradient descent."""

from .. import schedules
from .core import Exercise, rounded


def _sgd_epoch(w, X, y, lr, order):
    for n in order:
        w = w - lr * 2 * X[n] * (X[n] @ w - y[n])
    return w


def _sgd_epoch_cases(rng):
    cases = []
    for n, d in [(4, 1), (6, 2), (5, 3)]:
        X, y = rounded(rng, (n, d), (n,))
        cases.append({"w": X[0] * 0, "X": X, "y": y, "lr": 0.05, "order": rng.permutation(n)})
    return cases


sgd_epoch = Exercise(
    "sgd_epoch", _sgd_epoch_cases, _sgd_epoch,
    "one step per example, in the given order, each using the weights after the previous step.")

decayed_lr = Exercise(
    "decayed_lr",
    lambda rng: [{"t": t, "lr": lr, "tau": tau}
                 for t, lr, tau in [(1, 0.1, 10.0), (11, 0.1, 10.0), (101, 0.5, 50.0), (1000, 0.2, 1.0)]],
    lambda t, lr, tau: schedules.inverse_time(lr, tau)(t),
    "at t = 1 the rate is lr itself; it halves when t - 1 reaches tau.")
