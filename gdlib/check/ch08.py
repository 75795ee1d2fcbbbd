"""Self-checks of chapter 8, the arena."""

import numpy as np

from .core import Exercise, rounded


def _gd_steps(curvatures, w0, lr, tol):
    """The first t with f(w_t) <= tol for gradient descent on the bowl, from the closed form, or None."""
    lam, w0 = np.asarray(curvatures, dtype=float), np.asarray(w0, dtype=float)
    rho = np.abs(1 - lr * lam)  # each w[i] is multiplied by 1 - lr * lam[i] per step
    if np.any(rho[w0 != 0] >= 1):
        return None  # some entry never shrinks: f(w_t) cannot fall below its starting share
    f0 = 0.5 * lam * w0**2
    horizon = int(np.ceil(np.log(tol / f0.sum()) / (2 * np.log(rho[w0 != 0].max())))) + 1  # f_t <= f_0 max(rho)^2t
    t = np.arange(max(horizon, 1) + 1)
    f = (f0[:, None] * rho[:, None] ** (2 * t)).sum(axis=0)
    return int(np.argmax(f <= tol))


def _gd_steps_cases(rng) -> list[dict]:
    cases = []
    for d, factor in [(2, 0.3), (2, 0.9), (3, 0.6), (3, 1.2)]:  # lr as a fraction of 2 / lam_max
        lam = np.round(rng.uniform(0.5, 50.0, d), 2)
        w0 = np.round(rng.normal(size=d), 3)
        w0[w0 == 0] = 0.5
        f0 = float(0.5 * lam @ w0**2)
        cases.append({"curvatures": lam, "w0": w0, "lr": float(np.round(factor * 2 / lam.max(), 5)),
                      "tol": float(f0 * 10.0 ** -rng.uniform(2, 6))})
    # the edge itself: 1 - 0.5 * 4 is exactly -1, so w[0] flips sign forever and the answer is None
    w0 = np.round(rng.uniform(0.5, 2.0, 2), 3)
    cases.append({"curvatures": np.array([4.0, 1.0]), "w0": w0, "lr": 0.5, "tol": 1e-4})
    # an unstable direction that holds nothing: w0[1] = 0 stays 0, and only w[0] has to shrink
    w0 = np.array([np.round(rng.uniform(0.5, 2.0), 3), 0.0])
    cases.append({"curvatures": np.array([1.0, 100.0]), "w0": w0, "lr": 0.05, "tol": 1e-4})
    return cases


def _same_steps(expected, got):
    if expected is None:
        return got is None
    return isinstance(got, (int, np.integer)) and not isinstance(got, bool) and int(got) == expected


gd_steps = Exercise(
    "gd_steps", _gd_steps_cases, _gd_steps,
    "on this bowl each entry of w_t is w0[i] times a fixed factor to the power t, so f(w_t) is a sum of "
    "geometric terms; if any factor has size 1 or more for a nonzero w0[i], that term never shrinks.",
    same=_same_steps)


def _adamax_step(w, g, m, u, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    u = np.maximum(beta2 * u, np.abs(g))
    return w - lr / (1 - beta1**t) * m / (u + eps), m, u


def _adamax_cases(rng) -> list[dict]:
    cases = []
    for t, lr, beta1, beta2 in [(1, 0.002, 0.9, 0.999), (2, 0.01, 0.9, 0.999), (20, 0.1, 0.8, 0.99),
                                (500, 0.002, 0.9, 0.999)]:
        w, g, m, u = rounded(rng, (4,), (4,), (4,), (4,))
        if t == 1:  # before the first step both memories are zero
            m, u = np.zeros(4), np.zeros(4)
        cases.append({"w": w, "g": g, "m": 0.1 * m, "u": np.abs(u), "t": t, "lr": lr, "beta1": beta1,
                      "beta2": beta2, "eps": 1e-8})
    return cases


adamax_step = Exercise(
    "adamax_step", _adamax_cases, _adamax_step,
    "u is a running maximum, not a moving average: the old maximum decays by beta2 before it meets the new "
    "|g|; only m needs the correction for its start at zero, with t the number of this step.")
