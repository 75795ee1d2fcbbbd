"""Self-checks of chapter 4, mini-batch gradient descent."""

import numpy as np

from .core import Exercise, rounded, same


def _noise_covariance(G, B, replace):
    """The covariance of the mean of B rows of G: Sigma / B, times (N - B)/(N - 1) without replacement."""
    n = len(G)
    U = G - G.mean(axis=0)
    factor = 1.0 if replace else (n - B) / (n - 1)
    return U.T @ U / n / B * factor


def _noise_covariance_cases(rng):
    """Both kinds of batch, one to three dimensions, a single row and a batch of the whole data set."""
    cases = []
    for n, d, B, replace in [(6, 2, 1, False), (10, 2, 4, False), (10, 2, 4, True), (8, 3, 8, False),
                             (12, 1, 3, True)]:
        (G,) = rounded(rng, (n, d))
        cases.append({"G": G + np.round(rng.normal(size=d), 3), "B": B, "replace": replace})  # mean not zero
    return cases


def _same_matrix(expected, got) -> bool:
    """Agree to rtol 1e-6; for d = 1 a number or any array with one entry counts as the 1 x 1 matrix."""
    if np.size(expected) == 1 and np.size(got) == 1 and not isinstance(got, str):
        got = np.reshape(np.asarray(got, dtype=float), np.shape(expected))
    return same(expected, got)


noise_covariance = Exercise(
    "noise_covariance", _noise_covariance_cases, _noise_covariance,
    "start from one randomly drawn row: what is its covariance matrix, and what is its trace? Then ask what "
    "averaging B rows does to it, with and without repeats (exercise ex-minibatch-fpc). Return a d x d array, "
    "also for d = 1.", same=_same_matrix)


def _stationary_floor(H, Sigma, lr):
    """Solve S = M S M + lr^2 Sigma with M = I - lr H as a linear system (Kronecker form); return tr(H S) / 2."""
    d = len(H)
    M = np.eye(d) - lr * H
    S = np.linalg.solve(np.eye(d * d) - np.kron(M, M), (lr**2 * Sigma).ravel()).reshape(d, d)
    return float(np.trace(H @ S) / 2)


def _stationary_floor_cases(rng):
    """Random rotated Hessians and noise covariances, with steps from small to close to the stability limit."""
    cases = []
    for d, reach in [(2, 0.1), (2, 1.0), (3, 1.6), (2, 1.9), (3, 0.5)]:  # reach = lr * lambda_max
        Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
        lam = np.sort(np.round(rng.uniform(0.2, 5.0, size=d), 3))
        H = np.round(Q @ np.diag(lam) @ Q.T, 6)
        H = (H + H.T) / 2
        (A,) = rounded(rng, (d, d))
        lr = float(np.round(reach / np.linalg.eigvalsh(H)[-1], 6))
        cases.append({"H": H, "Sigma": np.round(A @ A.T, 6), "lr": lr})
    return cases


stationary_floor = Exercise(
    "stationary_floor", _stationary_floor_cases, _stationary_floor,
    "write the long-run equation for S = E[e e^T] from one step of the error, keeping every term in lr; "
    "then look at it along the eigenvectors of H, where Sigma need not be diagonal. The answer is a number.")
