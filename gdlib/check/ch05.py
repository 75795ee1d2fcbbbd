"""Self-checks of chapter 5, momentum."""

import numpy as np

from .. import optimizers
from .core import Exercise, rounded


def step_cases(rng, settings: list[dict], memory: str) -> list[dict]:
    """Cases for an update rule: random w, g and memory (named ``memory``) plus the given settings.

    A setting whose ``memory`` is ``"zero"`` starts from a zero memory (the first step).
    """
    cases = []
    for setting in settings:
        w, g, m = rounded(rng, (3,), (3,), (3,))
        fresh = setting.get(memory) == "zero"
        cases.append({"w": w, "g": g, memory: np.zeros_like(m) if fresh else m, **{k: v for k, v in setting.items()
                                                                          if k != memory}})
    return cases


def _nesterov_step(w, g, v, lr, beta):
    new_w, state = optimizers.momentum(lr, beta, nesterov=True).step(w, g, optimizers.MomentumState(v))
    return new_w, state.v


nesterov_step = Exercise(
    "nesterov_step",
    lambda rng: step_cases(rng, [{"v": "zero", "lr": 0.1, "beta": 0.9}, {"lr": 0.1, "beta": 0.9},
                                 {"lr": 0.5, "beta": 0.0}, {"lr": 0.01, "beta": 0.99}], "v"),
    _nesterov_step,
    "the velocity is updated exactly as in classical momentum; the step then leans on the newest gradient "
    "more than v_t alone does. Derive it from the look-ahead form first, as the exercise asks.")


def _momentum_rate(lr, beta, curvatures):
    """The largest |r| over the roots of r^2 - (1 + beta - a) r + beta, a = lr (1 - beta) lambda, for every lambda."""
    rates = [np.abs(np.roots([1.0, -(1 + beta - lr * (1 - beta) * lam), beta])).max() for lam in curvatures]
    return float(max(rates))


def _momentum_rate_cases(rng):
    """One quadratic per kind of direction, a mixed one and an unstable one; curvatures and beta are random."""
    lam = np.sort(np.round(rng.uniform(0.5, 20.0, size=3), 3))
    beta = float(np.round(rng.uniform(0.5, 0.95), 3))
    low, high = (1 - np.sqrt(beta)) ** 2, (1 + np.sqrt(beta)) ** 2  # a between them: complex roots
    edge = 2 * (1 + beta)  # a beyond it: a root outside the unit circle

    def lr_for(a_max):  # the learning rate that gives the steepest curvature this a = lr (1 - beta) lambda
        return float(np.round(a_max / ((1 - beta) * lam[-1]), 6))

    in_band = np.round(np.geomspace(1.2 * low, 0.8 * high, 3) / (1 - beta), 4)  # with lr = 1
    return [
        {"lr": float(np.round(1.5 / lam[-1], 4)), "beta": 0.0, "curvatures": lam},  # gradient descent
        {"lr": lr_for(0.2 * low), "beta": beta, "curvatures": lam},  # real positive roots everywhere
        {"lr": 1.0, "beta": beta, "curvatures": in_band},  # complex roots everywhere
        {"lr": lr_for((high + edge) / 2), "beta": beta, "curvatures": lam},  # the steepest one flips
        {"lr": lr_for(1.25 * edge), "beta": beta, "curvatures": lam},  # unstable
    ]


def bowl_gradient(w):
    """The gradient of the bowl f(w) = (w[0]^2 + 10 w[1]^2 + 100 w[2]^2) / 2: a case value of sutskever_step."""
    return np.array([1.0, 10.0, 100.0]) * w


def quartic_gradient(w):
    """The gradient of f(w) = sum(w^4 / 4 + w^2 / 2), not a quadratic: a case value of sutskever_step."""
    return w**3 + w


def _sutskever_step(w_tilde, v, grad_fn, lr, beta):
    look_ahead = w_tilde - lr * beta * v
    new_v = beta * v + (1 - beta) * grad_fn(look_ahead)
    return w_tilde - lr * new_v, new_v


def _sutskever_cases(rng):
    """A first step (v = 0), two look-ahead steps on a bowl and on a quartic, and beta = 0 (plain descent)."""
    settings = [({"lr": 0.05, "beta": 0.9}, bowl_gradient, True), ({"lr": 0.05, "beta": 0.9}, bowl_gradient, False),
                ({"lr": 0.2, "beta": 0.8}, quartic_gradient, False),
                ({"lr": 0.1, "beta": 0.0}, quartic_gradient, False)]
    cases = []
    for setting, grad_fn, fresh in settings:
        w, v = rounded(rng, (3,), (3,))
        cases.append({"w_tilde": w, "v": np.zeros_like(v) if fresh else v, "grad_fn": grad_fn, **setting})
    return cases


sutskever_step = Exercise(
    "sutskever_step", _sutskever_cases, _sutskever_step,
    "follow the look-ahead form of the section on Nesterov's method line by line: first the point where the "
    "gradient is taken (it uses v_{t-1}), then the velocity, then the weights. Call grad_fn only once.")


momentum_rate = Exercise(
    "momentum_rate", _momentum_rate_cases, _momentum_rate,
    "for each curvature find both roots of the characteristic polynomial (they may be complex: np.roots, "
    "or the square root of a complex number) and take the largest absolute value over all of them. "
    "Use the polynomial of gdlib's moving-average form, written with its lr, not the heavy ball's. "
    "Return one real number, the largest |r|, and do not rely on the order in which np.roots lists the roots.")
