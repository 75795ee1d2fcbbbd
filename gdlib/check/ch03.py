"""Self-checks of chapter 3, stochastic gradient descent."""

import numpy as np

from .core import Exercise


def _noise_ball(H, Sigma, lr):
    # The errors e_t = A e_{t-1} - lr zeta_t, A = I - lr H, with independent kicks zeta_t of covariance Sigma,
    # settle at a covariance P with P = A P A + lr^2 Sigma. That is one linear system for the entries of P,
    # since the entries of A P A are (A kron A) times the entries of P. E||e_t||^2 is the trace of P.
    d = len(H)
    A = np.eye(d) - lr * np.asarray(H, dtype=float)
    P = np.linalg.solve(np.eye(d * d) - np.kron(A, A), lr**2 * np.asarray(Sigma, dtype=float).reshape(-1))
    return float(np.trace(P.reshape(d, d)))


def _symmetric(rng, eigenvalues) -> np.ndarray:
    """A symmetric matrix with about these eigenvalues and random eigenvectors, rounded to 3 decimals."""
    Q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    M = Q @ np.diag(eigenvalues) @ Q.T
    return np.round((M + M.T) / 2, 3)


def _covariance(rng, d) -> np.ndarray:
    """A random covariance matrix (symmetric, positive definite) with correlated entries."""
    B = rng.normal(size=(d, d))
    return np.round(B @ B.T + 0.1 * np.eye(d), 3)


def _noise_ball_cases(rng):
    cases = []
    # (curvatures, learning rate as a fraction of the stability limit 2 / lambda_max)
    for curvatures, fraction in [([rng.uniform(0.5, 2.0)], 0.5), ([rng.uniform(0.2, 0.5), rng.uniform(3, 6)], 0.05),
                                 ([rng.uniform(0.2, 0.5), rng.uniform(3, 6)], 0.6),
                                 ([rng.uniform(0.1, 0.3), rng.uniform(1, 2), rng.uniform(4, 8)], 0.9)]:
        H = _symmetric(rng, curvatures)
        lr = float(np.round(fraction * 2 / np.linalg.eigvalsh(H)[-1], 4))
        cases.append({"H": H, "Sigma": _covariance(rng, len(curvatures)), "lr": lr})
    return cases


noise_ball = Exercise(
    "noise_ball", _noise_ball_cases, _noise_ball,
    "work along the eigenvectors q_i of H, as in chapter 2: each part of the error follows a recursion of "
    "its own, and the noise reaching it has variance q_i^T Sigma q_i. In the steady state a part's "
    "variance is the same before and after a step. Keep every term in lr; the cases use large rates too. "
    "Return the mean square E||e_t||^2 itself, one number, not its square root.")


def _noise_free_distance(H, e0, lr, tau, t):
    e = np.asarray(e0, dtype=float)
    for step in range(1, t + 1):
        e = e - lr / (1 + (step - 1) / tau) * (np.asarray(H, dtype=float) @ e)
    return float(np.linalg.norm(e))


def _noise_free_cases(rng):
    flat_steep = [rng.uniform(0.2, 0.5), rng.uniform(3, 6)]
    H2 = _symmetric(rng, flat_steep)
    H3 = _symmetric(rng, [rng.uniform(0.1, 0.3), rng.uniform(1, 2), rng.uniform(4, 8)])
    top2, top3 = np.linalg.eigvalsh(H2)[-1], np.linalg.eigvalsh(H3)[-1]
    e0 = [np.round(rng.normal(size=n), 3) for n in (2, 2, 2, 3, 2)]
    return [
        {"H": H2, "e0": e0[0], "lr": float(np.round(0.5 / top2, 4)), "tau": 10.0, "t": 1},  # step 1 uses lr itself
        {"H": H2, "e0": e0[1], "lr": float(np.round(0.5 / top2, 4)), "tau": 10.0, "t": 300},
        {"H": H2, "e0": e0[2], "lr": float(np.round(1.6 / top2, 4)), "tau": 50.0, "t": 200},  # sign flips early
        {"H": H3, "e0": e0[3], "lr": float(np.round(1.0 / top3, 4)), "tau": 100.0, "t": 500},
        {"H": H2, "e0": e0[4], "lr": float(np.round(0.5 / top2, 4)), "tau": 20.0, "t": 0},  # no step yet
    ]


noise_free_distance = Exercise(
    "noise_free_distance", _noise_free_cases, _noise_free_distance,
    "step j = 1, ..., t uses the inverse-time rate of step j, which is lr itself at j = 1; without noise "
    "each step multiplies the error by I - alpha_j H, so along each eigenvector of H the part is multiplied "
    "by 1 - alpha_j lambda_i (chapter 2). Return the length of the whole error after t steps, one number.")
