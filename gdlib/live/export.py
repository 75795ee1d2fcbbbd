"""What a live figure's page carries besides the script: surfaces by their parameters, data and shuffles.

Numbers go into the page exactly as gdlib was called with them (curvatures and an angle,
not a matrix whose last bits vary with the BLAS kernels), so the HTML is the same on
every machine.
"""

from __future__ import annotations

import base64
import math

import numpy as np

from ..surfaces import Surface, camel, quadratic, rosenbrock, saddle


def epoch_orders(n: int, epochs: int, seed: int) -> np.ndarray:
    """The row order of each epoch that :func:`gdlib.fit` draws with ``seed``, shape ``(epochs, n)``.

    ``fit`` seeds one generator per run and draws one permutation per epoch;
    ``tests/test_live.py`` checks that a replay in these orders gives fit's path.
    """
    rng = np.random.default_rng(seed)
    return np.array([rng.permutation(n) for _ in range(epochs)]).reshape(epochs, n)


def _momentum_rate(alpha, beta, curvatures) -> np.ndarray:
    r"""The convergence rate :math:`\rho` of momentum on a quadratic, for arrays of ``alpha`` and ``beta``.

    In the book's form :math:`v_t = \beta v_{t-1} + (1 - \beta) g_t`,
    :math:`w_t = w_{t-1} - \alpha v_t`, the error along a curvature :math:`\lambda`
    follows the roots :math:`r` of :math:`r^2 - (1 + \beta - \alpha (1 - \beta) \lambda) r + \beta = 0`;
    :math:`\rho` is the largest :math:`|r|` over all curvatures (``gdlib/js/theory.js`` computes the same).
    """
    alpha, beta = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    rho = np.zeros(alpha.shape)
    for lam in np.atleast_1d(np.asarray(curvatures, dtype=float)):
        T = 1 + beta - alpha * (1 - beta) * lam
        disc = T**2 - 4 * beta
        root = np.where(disc < 0, np.sqrt(np.abs(beta)), (np.abs(T) + np.sqrt(np.maximum(disc, 0))) / 2)
        rho = np.maximum(rho, root)
    return rho


def best_pair(curvatures) -> tuple[float, float]:
    r"""Momentum's best :math:`(\alpha, \beta)` on a quadratic with these curvatures (chapter 5).

    :math:`\sqrt\beta = (\sqrt\kappa - 1) / (\sqrt\kappa + 1)` and
    :math:`\alpha = 1 / \sqrt{\lambda_{\min} \lambda_{\max}}`, in plain float arithmetic
    (products, quotients and square roots, rounded the same way on every machine).
    """
    low, high = float(min(curvatures)), float(max(curvatures))
    root = math.sqrt(high / low)
    r = (root - 1) / (root + 1)
    return 1 / math.sqrt(low * high), r * r


def b64(array: np.ndarray, dtype: str) -> str:
    """An array's bytes in ``dtype`` (numpy's little-endian codes, such as ``"<f8"``) as base64 text."""
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode()


def _round(x: float, digits: int = 10) -> float:
    return float(f"{x:.{digits}g}")


def surface_spec(surface: Surface) -> dict:
    """The parameters of a gdlib surface, for the port to rebuild it exactly."""
    if surface.name == "quadratic" and surface.hessian is not None and surface.hessian.shape == (2, 2):
        A = surface.hessian
        low, high = np.linalg.eigvalsh(A)
        theta = math.degrees(0.5 * math.atan2(2 * A[0, 1], A[0, 0] - A[1, 1]))
        # The curvatures and angle gdlib was called with: exported as such (not A, whose last bits vary
        # with the BLAS kernels), after checking that they rebuild exactly this matrix. Turning by 90
        # degrees swaps the curvatures; the smallest angle that rebuilds A is taken.
        turns = [(_round(theta + 90 * k) + 0.0, [_round(c) for c in ((low, high) if k % 2 else (high, low))])
                 for k in range(-3, 4)]
        candidates = sorted(turns, key=lambda c: (abs(c[0]), c[0] < 0))
        for angle, curvatures in candidates:
            if np.array_equal(quadratic(curvatures, angle).hessian, A):
                return {"kind": "quadratic", "curvatures": curvatures, "angle": angle}
    elif surface.name == "rosenbrock":
        a = float(surface.minima[0][0])
        b = _round(float(surface.value(np.array([0.0, 1.0]))) - a * a)
        probe = np.array([[0.3, -0.7], [-1.1, 0.4], [1.7, 2.2]])
        if np.array_equal(rosenbrock(a, b).value(probe), surface.value(probe)):
            return {"kind": "rosenbrock", "a": a, "b": b}
    elif surface.name in ("saddle", "camel"):
        probe = np.array([[0.3, -0.7], [-1.1, 0.4]])
        if np.array_equal({"saddle": saddle, "camel": camel}[surface.name]().value(probe), surface.value(probe)):
            return {"kind": surface.name}
    raise ValueError(f"live figures know the 2-D surfaces of gdlib.surfaces (quadratic, rosenbrock, saddle, "
                     f"camel); got {surface!r}. For the loss of a data set pass (X, y).")
