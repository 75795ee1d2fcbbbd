"""The exercise self-checks: right answers pass, wrong ones fail with a message, nothing raises."""

import cmath

import numpy as np
import pytest

from gdlib import check

# One right answer per exercise, written as a student would.


def mse_grad(w, X, y):  # not an exercise any more; the answers below use it
    return 2 / len(y) * X.T @ (X @ w - y)


def mae_grad(w, X, y):
    # written independently of the reference: one example at a time, the derivative of |u| by cases
    g = np.zeros(X.shape[1])
    for x_n, y_n in zip(X, y, strict=True):
        g += (x_n if x_n @ w > y_n else -x_n) / len(y)
    return g


def forward_grad(f, w, h):
    g = np.zeros_like(w)
    base = f(w)
    for i in range(len(w)):
        moved = w.copy()
        moved[i] += h
        g[i] = (f(moved) - base) / h
    return g


def steps_to_tolerance(H, e0, lr, tol):
    # written independently of the reference in gdlib.check: runs gradient descent on the error itself
    e, steps = np.array(e0, dtype=float), 0
    while np.sqrt(e @ e) > tol:
        e, steps = e - lr * H @ e, steps + 1
    return steps


def standardize(X):
    Z = X.copy()
    for j in range(1, X.shape[1]):
        Z[:, j] = (X[:, j] - X[:, j].mean()) / X[:, j].std()
    return Z


def noise_ball(H, Sigma, lr):
    # written independently of the reference in gdlib.check: one steady-state variance per eigendirection
    lam, Q = np.linalg.eigh(H)
    spread = np.einsum("ji,jk,ki->i", Q, Sigma, Q)  # q_i^T Sigma q_i
    return np.sum(lr * spread / (lam * (2 - lr * lam)))


def noise_free_distance(H, e0, lr, tau, t):
    # written independently of the reference: products of the factors along the eigenvectors, no loop over steps
    lam, Q = np.linalg.eigh(H)
    rates = lr / (1 + np.arange(t) / tau)  # alpha_1, ..., alpha_t
    return np.linalg.norm(np.prod(1 - np.outer(rates, lam), axis=0) * (Q.T @ e0))


def noise_covariance(G, B, replace):
    # written from the definition: the covariance of one uniformly drawn row, entry by entry
    n, d = G.shape
    mean = G.sum(axis=0) / n
    Sigma = np.zeros((d, d))
    for row in G:
        Sigma += np.outer(row - mean, row - mean) / n
    return Sigma / B if replace else Sigma / B * (n - B) / (n - 1)


def stationary_floor(H, Sigma, lr):
    # written independently of the reference's linear solve: iterate the covariance until it stops changing
    M = np.eye(len(H)) - lr * H
    S = np.zeros_like(H)
    for _ in range(100_000):
        S_next = M @ S @ M + lr**2 * Sigma
        if np.allclose(S_next, S, rtol=1e-13, atol=0):
            break
        S = S_next
    return np.trace(H @ S_next) / 2


def momentum_step(w, g, v, lr, beta):  # classical momentum: a typical wrong answer for nesterov_step
    v = beta * v + (1 - beta) * g
    return w - lr * v, v


def nesterov_step(w, g, v, lr, beta):
    # written from the look-ahead form: undo the stored look-ahead, step, and look ahead again
    v_new = beta * v + (1 - beta) * g
    w_behind = w + lr * beta * v
    return w_behind - lr * v_new - lr * beta * v_new, v_new


def sutskever_step(w_tilde, v, grad_fn, lr, beta):
    # through gdlib's stored form: move to the look-ahead point, take gdlib's step there, move back
    w = w_tilde - lr * beta * v
    new_w, new_v = nesterov_step(w, grad_fn(w), v, lr, beta)
    return new_w + lr * beta * new_v, new_v


def momentum_rate(lr, beta, curvatures):
    # the quadratic formula with a complex square root, written independently of the reference's np.roots
    rho = 0.0
    for lam in curvatures:
        s = 1 + beta - lr * (1 - beta) * lam
        root = cmath.sqrt(s * s - 4 * beta)
        rho = max(rho, abs((s + root) / 2), abs((s - root) / 2))
    return rho


def centered_rmsprop_step(w, g, m, s, lr, beta, eps):
    m_new = beta * m + (1 - beta) * g
    variance = beta * (s - m**2) + beta * (1 - beta) * (g - m) ** 2  # s_t - m_t^2, written out differently
    return w - lr * g / (np.sqrt(variance) + eps), m_new, beta * s + (1 - beta) * g**2


def full_adagrad_step(w, g, S, lr, eps):
    # written independently of the reference's eigh and solve: the singular value decomposition of S
    S = S + np.outer(g, g)
    U, singular, _ = np.linalg.svd(S)  # S = U diag(singular) U^T, since S is symmetric positive semi-definite
    return w - lr * U @ ((U.T @ g) / (np.sqrt(singular) + eps)), S


def amsgrad_step(w, g, m, s, s_max, t, lr, beta1, beta2, eps):
    # written as PyTorch's Adam(amsgrad=True) does it: correct the root of the maximum
    m, s = beta1 * m + (1 - beta1) * g, beta2 * s + (1 - beta2) * g * g
    s_max = np.where(s > s_max, s, s_max)
    denominator = np.sqrt(s_max) / np.sqrt(1 - beta2**t) + eps
    return w - (lr / (1 - beta1**t)) * m / denominator, m, s, s_max


def adamw_step(w, g, m, s, t, lr, beta1, beta2, eps, weight_decay):
    # written as PyTorch's AdamW does it: shrink the weights first, then take Adam's step
    shrunk = w * (1 - lr * weight_decay)
    m, s = beta1 * m + (1 - beta1) * g, beta2 * s + (1 - beta2) * g * g
    denominator = np.sqrt(s) / np.sqrt(1 - beta2**t) + eps
    return shrunk - (lr / (1 - beta1**t)) * m / denominator, m, s


def _adam(w, g, m, s, t, lr, beta1, beta2, eps):
    """Adam's step, for the wrong answers below."""
    m, s = beta1 * m + (1 - beta1) * g, beta2 * s + (1 - beta2) * g**2
    return w - lr * (m / (1 - beta1**t)) / (np.sqrt(s / (1 - beta2**t)) + eps), m, s


def gd_steps(curvatures, w0, lr, tol):
    # step by step, written independently of the closed form in gdlib.check
    lam, w = np.asarray(curvatures), np.array(w0, dtype=float)
    if np.any((np.abs(1 - lr * lam) >= 1) & (w != 0)):  # a direction that holds nothing stays at 0
        return None
    t = 0
    while 0.5 * lam @ w**2 > tol:
        w, t = w - lr * lam * w, t + 1
    return t


def adamax_step(w, g, m, u, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    u = np.maximum(beta2 * u, np.abs(g))
    m_hat = m / (1 - beta1**t)
    return w - lr * m_hat / (u + eps), m, u


# And one typical mistake for each.


def worst_factor_only(H, e0, lr, tol):
    """Chapter 2's bound taken for the count: all of ||e0|| shrinking at the worst factor rho."""
    rho = np.abs(1 - lr * np.linalg.eigvalsh(H)).max()
    return max(0, int(np.ceil(np.log(np.linalg.norm(e0) / tol) / np.log(1 / rho))))


def standardize_sample_sd(X):
    """Divides by the sample standard deviation (N - 1), not by np.std's default."""
    features = X[:, 1:]
    return np.column_stack([X[:, 0], (features - features.mean(axis=0)) / features.std(axis=0, ddof=1)])


WRONG = {
    "mae_grad": lambda w, X, y: X.T @ np.sign(X @ w - y),  # forgot the 1/N
    "forward_grad": lambda f, w, h: np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(len(w))]),
    "steps_to_tolerance": worst_factor_only,
    "standardize": standardize_sample_sd,
    "noise_ball": lambda H, Sigma, lr: noise_ball(H, Sigma, lr) ** 0.5,  # the size, not the mean square
    "noise_free_distance": lambda H, e0, lr, tau, t: noise_free_distance(H, e0, lr, tau, t + 1),  # one step too many
    "noise_covariance": lambda G, B, replace: np.cov(G.T).reshape(G.shape[1], -1) / B * (  # divides by N - 1
        1 if replace else (len(G) - B) / (len(G) - 1)),
    "stationary_floor": lambda H, Sigma, lr: lr * np.trace(Sigma) / 4,  # the small-step law
    "nesterov_step": momentum_step,  # classical momentum: no look-ahead
    "sutskever_step": lambda w_tilde, v, grad_fn, lr, beta: momentum_step(  # gradient at w_tilde: no look-ahead
        w_tilde, grad_fn(w_tilde), v, lr, beta),
    "momentum_rate": lambda lr, beta, curvatures: momentum_rate(lr / (1 - beta), beta, curvatures),  # heavy-ball lr
    "centered_rmsprop_step": lambda w, g, m, s, lr, beta, eps: (  # plain RMSProp: no centring
        w - lr * g / (np.sqrt(beta * s + (1 - beta) * g**2) + eps), beta * m + (1 - beta) * g,
        beta * s + (1 - beta) * g**2),
    "full_adagrad_step": lambda w, g, S, lr, eps: (  # the root of every entry, not the matrix square root
        w - lr * np.linalg.solve(np.sqrt(S + np.outer(g, g)) + eps * np.eye(len(w)), g), S + np.outer(g, g)),
    "amsgrad_step": lambda w, g, m, s, s_max, t, lr, beta1, beta2, eps: (  # plain Adam: no maximum
        *_adam(w, g, m, s, t, lr, beta1, beta2, eps), np.maximum(s_max, beta2 * s + (1 - beta2) * g**2)),
    "adamw_step": lambda w, g, m, s, t, lr, beta1, beta2, eps, weight_decay: _adam(  # decay added to the gradient
        w, g + weight_decay * w, m, s, t, lr, beta1, beta2, eps),
    "gd_steps": lambda curvatures, w0, lr, tol: (lambda t: None if t is None else t + 1)(
        gd_steps(curvatures, w0, lr, tol)),  # counts the step that got there once more
    "adamax_step": lambda w, g, m, u, t, lr, beta1, beta2, eps: (  # a moving average instead of a maximum
        lambda m2, u2: (w - lr / (1 - beta1**t) * m2 / (u2 + eps), m2, u2))(
        beta1 * m + (1 - beta1) * g, beta2 * u + (1 - beta2) * np.abs(g)),
}

RIGHT = {f.__name__: f for f in [  # one line per chapter
    mae_grad, forward_grad,
    steps_to_tolerance, standardize,
    noise_ball, noise_free_distance,
    noise_covariance, stationary_floor,
    nesterov_step, sutskever_step, momentum_rate,
    centered_rmsprop_step, full_adagrad_step,
    amsgrad_step, adamw_step,
    gd_steps, adamax_step,
]}


def test_every_check_has_a_right_and_a_wrong_answer_here():
    assert set(RIGHT) == set(WRONG)


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_a_right_answer_passes(name, capsys):
    getattr(check, name)(RIGHT[name])
    out = capsys.readouterr().out
    result = check.results[name]
    assert result.passed == result.total >= 3
    assert out == f"{name}: passed all {result.total} cases.\n"


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_answer_fails_with_expected_got_and_hint(name, capsys):
    getattr(check, name)(WRONG[name])
    out = capsys.readouterr().out
    assert out.startswith(f"{name}: case ")
    assert "expected:" in out and "got:" in out and "hint:" in out
    assert check.results[name].passed < check.results[name].total


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_a_stub_is_not_yet_implemented(name, capsys):
    def stub(*args):
        raise NotImplementedError()

    getattr(check, name)(stub)
    assert "not yet implemented" in capsys.readouterr().out
    assert check.results[name].passed == 0


def test_errors_loops_in_place_changes_and_non_functions_never_raise(capsys, monkeypatch):
    monkeypatch.setattr(check.core, "TIME_LIMIT", 0.2)

    def crashes(w, g, v, lr, beta):
        return w + "text"

    def loops(w, g, v, lr, beta):
        while True:
            pass

    def in_place(w, g, v, lr, beta):
        v *= beta
        v += (1 - beta) * g
        w -= lr * v
        return w, v

    check.nesterov_step(crashes)
    assert "raised UFuncTypeError" in capsys.readouterr().out
    check.nesterov_step(loops)
    assert "did not finish within 0.2 s" in capsys.readouterr().out
    check.nesterov_step(in_place)
    assert "changed its argument w in place" in capsys.readouterr().out
    check.nesterov_step(None)
    assert "no function named nesterov_step was found" in capsys.readouterr().out
    check.nesterov_step(3)
    assert "expected a function, got 3" in capsys.readouterr().out
    check.noise_covariance(lambda G, B, replace: "not a matrix")
    assert "returned the wrong value" in capsys.readouterr().out


def test_passed_reports_the_latest_run(capsys):
    check.results.pop("full_adagrad_step", None)
    assert not check.passed("full_adagrad_step")  # never run
    check.full_adagrad_step(full_adagrad_step)
    assert check.passed("full_adagrad_step")
    check.full_adagrad_step(WRONG["full_adagrad_step"])
    assert not check.passed("full_adagrad_step")


def test_full_adagrad_self_check_needs_the_clipped_root(capsys):
    # a first step S = g g^T has zero eigenvalues that eigh may return slightly negative: sqrt without a clip
    # gives NaN there, and the learner's self-check (seed 0) must catch it, not only a grader's other seeds
    def unclipped(w, g, S, lr, eps):
        S = S + np.outer(g, g)
        lam, Q = np.linalg.eigh(S)
        return w - lr * Q @ np.diag(1 / (np.sqrt(lam) + eps)) @ Q.T @ g, S

    with np.errstate(invalid="ignore"):
        check.full_adagrad_step(unclipped)
    assert not check.passed("full_adagrad_step")


def test_typical_mistakes_in_the_minibatch_exercises_fail(capsys):
    def factor_always(G, B, replace):  # the finite-population factor for batches drawn with replacement too
        return noise_covariance(G, B, False)

    def factor_never(G, B, replace):  # the plain 1/B law for batches of distinct rows too
        return noise_covariance(G, B, True)

    def not_centred(G, B, replace):  # the mean square of the rows instead of their covariance
        factor = 1 if replace else (len(G) - B) / (len(G) - 1)
        return G.T @ G / len(G) / B * factor

    def unrotated(H, Sigma, lr):  # the eigenvalues of H with the diagonal of Sigma in the original axes
        lam = np.linalg.eigvalsh(H)
        return float(np.sum(lr * np.diag(Sigma) / (4 * (1 - lr * lam / 2))))

    def no_half(H, Sigma, lr):  # the long-run mean of e^T H e, not of the loss
        return 2 * stationary_floor(H, Sigma, lr)

    def distance(H, Sigma, lr):  # the long-run mean of |e|^2 instead of the excess loss
        M = np.eye(len(H)) - lr * H
        S = np.linalg.solve(np.eye(len(H) ** 2) - np.kron(M, M), (lr**2 * Sigma).ravel()).reshape(len(H), -1)
        return np.trace(S)

    for check_, wrong in [(check.noise_covariance, factor_always), (check.noise_covariance, factor_never),
                          (check.noise_covariance, not_centred), (check.stationary_floor, unrotated),
                          (check.stationary_floor, no_half), (check.stationary_floor, distance)]:
        check_(wrong)
        result = check.results[check_.name]
        assert result.passed < result.total, wrong.__name__
    capsys.readouterr()


def test_noise_covariance_accepts_np_cov_for_one_weight(capsys):
    # np.cov returns a 0-d array when d = 1: the check treats it as the 1 x 1 matrix
    check.noise_covariance(lambda G, B, replace: np.cov(G, rowvar=False, bias=True) / B * (
        1 if replace else (len(G) - B) / (len(G) - 1)))
    result = check.results["noise_covariance"]
    assert result.passed == result.total
    capsys.readouterr()


def test_steps_to_tolerance_rejects_other_typical_mistakes():
    def one_too_many(H, e0, lr, tol):
        return steps_to_tolerance(H, e0, lr, tol) + 1  # counts from 1

    def sizes_added(H, e0, lr, tol):  # adds the parts' sizes instead of their squares
        lam, Q = np.linalg.eigh(H)
        t = 0
        while np.sum(np.abs(Q.T @ e0) * np.abs(1 - lr * lam) ** t) > tol:
            t += 1
        return t

    def slowest_part_only(H, e0, lr, tol):  # forgets that the fast parts count too
        lam, Q = np.linalg.eigh(H)
        sizes, factors = np.abs(Q.T @ e0), np.abs(1 - lr * lam)
        slow = np.argmax(factors)
        t = 0
        while sizes[slow] * factors[slow] ** t > tol:
            t += 1
        return t

    def each_part_alone(H, e0, lr, tol):  # every part below tol on its own: the largest entry, not the length
        lam, Q = np.linalg.eigh(H)
        sizes, factors = np.abs(Q.T @ e0), np.abs(1 - lr * lam)
        t = 0
        while np.max(sizes * factors**t) > tol:
            t += 1
        return t

    def as_a_float(H, e0, lr, tol):  # the right count, but not an int
        return float(steps_to_tolerance(H, e0, lr, tol))

    for wrong in (one_too_many, sizes_added, slowest_part_only, each_part_alone, as_a_float):
        check.steps_to_tolerance(wrong)
        assert check.results["steps_to_tolerance"].passed < check.results["steps_to_tolerance"].total, wrong

    # The shortcuts that count one part alone fail on every draw of cases, not just the learner's (seed 0),
    # and a right answer passes every draw: the grader draws its own cases.
    exercise = check.EXERCISES["steps_to_tolerance"]
    for seed in range(200):
        cases = exercise.cases(np.random.default_rng(seed))
        expected = [exercise.reference(**case) for case in cases]
        assert all(exercise.same(e, steps_to_tolerance(**case)) for e, case in zip(expected, cases, strict=True))
        for wrong in (slowest_part_only, each_part_alone):
            assert not all(exercise.same(e, wrong(**case)) for e, case in zip(expected, cases, strict=True)), seed


def test_standardize_rejects_other_typical_mistakes():
    def scales_only(X):  # forgets to subtract the mean
        return np.column_stack([X[:, 0], X[:, 1:] / X[:, 1:].std(axis=0)])

    def every_column(X):  # standardises the column of ones too (0 / 0)
        return (X - X.mean(axis=0)) / X.std(axis=0)

    def one_spread_for_all(X):  # one standard deviation for all features
        return np.column_stack([X[:, 0], (X[:, 1:] - X[:, 1:].mean(axis=0)) / X[:, 1:].std()])

    for wrong in (scales_only, every_column, one_spread_for_all):
        with np.errstate(invalid="ignore", divide="ignore"):
            check.standardize(wrong)
        assert check.results["standardize"].passed < check.results["standardize"].total, wrong


def test_typical_mistakes_in_the_momentum_exercises_fail(capsys):
    def only_sqrt_beta(lr, beta, curvatures):  # true for complex roots only
        return np.sqrt(beta)

    def real_roots_only(lr, beta, curvatures):  # np.sqrt of a negative number gives nan
        s = 1 + beta - lr * (1 - beta) * np.asarray(curvatures)
        with np.errstate(invalid="ignore"):
            return float(np.max(np.abs((s + np.sqrt(s * s - 4 * beta)) / 2)))

    def steepest_only(lr, beta, curvatures):  # the flattest direction can be the slowest
        return momentum_rate(lr, beta, [max(curvatures)])

    def old_velocity(w, g, v, lr, beta):  # looks ahead with v_{t-1} instead of v_t
        v_new = beta * v + (1 - beta) * g
        return w - lr * (beta * v + (1 - beta) * g), v_new

    def full_look_ahead(w_tilde, v, grad_fn, lr, beta):  # looks a whole velocity step ahead, without beta
        v_new = beta * v + (1 - beta) * grad_fn(w_tilde - lr * v)
        return w_tilde - lr * v_new, v_new

    def look_behind(w_tilde, v, grad_fn, lr, beta):  # the wrong sign: the gradient behind the weights
        v_new = beta * v + (1 - beta) * grad_fn(w_tilde + lr * beta * v)
        return w_tilde - lr * v_new, v_new

    def second_root(lr, beta, curvatures):  # the root np.roots lists second: the smaller one for these cases
        return max(abs(np.roots([1.0, -(1 + beta - lr * (1 - beta) * lam), beta])[1]) for lam in curvatures)

    for check_, wrong in [(check.momentum_rate, only_sqrt_beta), (check.momentum_rate, real_roots_only),
                          (check.momentum_rate, steepest_only), (check.nesterov_step, old_velocity),
                          (check.sutskever_step, full_look_ahead), (check.sutskever_step, look_behind),
                          (check.momentum_rate, second_root)]:
        check_(wrong)
        result = check.results[check_.name]
        assert result.passed < result.total, wrong.__name__
    capsys.readouterr()


# More typical mistakes in the two Adam variants of chapter 7: every one must fail its check.
AMSGRAD_MISTAKES = {
    "maximum of the old s": lambda w, g, m, s, s_max, t, lr, beta1, beta2, eps: (
        _adam(w, g, m, np.maximum(s_max, s), t, lr, beta1, beta2, eps)[0], *_adam(w, g, m, s, t, lr, beta1, beta2,
                                                                                   eps)[1:], np.maximum(s_max, s)),
    "maximum before the update": lambda w, g, m, s, s_max, t, lr, beta1, beta2, eps: amsgrad_step(
        w, g, m, s, s_max, t, lr, beta1, beta2, eps)[:3] + (s_max,),
    "maximum of the corrected s": lambda w, g, m, s, s_max, t, lr, beta1, beta2, eps: (
        lambda m2, s2: (w - lr * (m2 / (1 - beta1**t)) / (np.sqrt(np.maximum(s_max, s2 / (1 - beta2**t))) + eps),
                        m2, s2, np.maximum(s_max, s2 / (1 - beta2**t))))(
        beta1 * m + (1 - beta1) * g, beta2 * s + (1 - beta2) * g**2),
    "no bias correction": lambda w, g, m, s, s_max, t, lr, beta1, beta2, eps: (
        lambda m2, s2: (w - lr * m2 / (np.sqrt(np.maximum(s_max, s2)) + eps), m2, s2, np.maximum(s_max, s2)))(
        beta1 * m + (1 - beta1) * g, beta2 * s + (1 - beta2) * g**2),
    "eps inside the root": lambda w, g, m, s, s_max, t, lr, beta1, beta2, eps: (
        lambda m2, s2: (w - lr * (m2 / (1 - beta1**t)) / np.sqrt(np.maximum(s_max, s2) / (1 - beta2**t) + eps),
                        m2, s2, np.maximum(s_max, s2)))(beta1 * m + (1 - beta1) * g, beta2 * s + (1 - beta2) * g**2),
    "no eps": lambda w, g, m, s, s_max, t, lr, beta1, beta2, eps: amsgrad_step(
        w, g, m, s, s_max, t, lr, beta1, beta2, 0.0),
}

ADAMW_MISTAKES = {
    "decay not times lr": lambda w, g, m, s, t, lr, beta1, beta2, eps, weight_decay: (
        lambda r: (r[0] - weight_decay * w, r[1], r[2]))(_adam(w, g, m, s, t, lr, beta1, beta2, eps)),
    "decay of the new weights": lambda w, g, m, s, t, lr, beta1, beta2, eps, weight_decay: (
        lambda r: (r[0] * (1 - lr * weight_decay), r[1], r[2]))(_adam(w, g, m, s, t, lr, beta1, beta2, eps)),
    "decay inside the moments": lambda w, g, m, s, t, lr, beta1, beta2, eps, weight_decay: _adam(
        w, g + weight_decay * w, m, s, t, lr, beta1, beta2, eps),
    "eps inside the root": lambda w, g, m, s, t, lr, beta1, beta2, eps, weight_decay: (
        lambda m2, s2: (w - lr * ((m2 / (1 - beta1**t)) / np.sqrt(s2 / (1 - beta2**t) + eps) + weight_decay * w),
                        m2, s2))(beta1 * m + (1 - beta1) * g, beta2 * s + (1 - beta2) * g**2),
    "no eps": lambda w, g, m, s, t, lr, beta1, beta2, eps, weight_decay: adamw_step(
        w, g, m, s, t, lr, beta1, beta2, 0.0, weight_decay),
}


@pytest.mark.parametrize("name, exercise, mistake", [
    *[(k, "amsgrad_step", f) for k, f in AMSGRAD_MISTAKES.items()],
    *[(k, "adamw_step", f) for k, f in ADAMW_MISTAKES.items()]])
def test_typical_mistakes_in_adam_variants_fail(name, exercise, mistake, capsys):
    getattr(check, exercise)(mistake)
    assert check.results[exercise].passed < check.results[exercise].total, name
    assert "hint:" in capsys.readouterr().out


@pytest.mark.parametrize("seed", range(5))
def test_adam_variant_cases_exercise_every_branch(seed):
    """Fresh draws (as a grader makes them) still tell the maximum and the decay apart."""
    rng = np.random.default_rng(seed)
    cases = check.amsgrad_step.cases(rng)
    grows = [np.any(c["beta2"] * c["s"] + (1 - c["beta2"]) * c["g"] ** 2 > c["s_max"]) for c in cases[1:]]
    keeps = [np.any(c["beta2"] * c["s"] + (1 - c["beta2"]) * c["g"] ** 2 < c["s_max"]) for c in cases[1:]]
    assert any(grows) and all(keeps)
    assert sum(c["weight_decay"] > 0 for c in check.adamw_step.cases(rng)) >= 3
    for first in [cases[0], check.adamw_step.cases(rng)[0]]:  # where eps decides: a gradient near eps, and 0
        size = np.abs(first["g"])
        assert first["t"] == 1 and np.any(size == 0) and np.any((size > 0) & (size < 1e-7))


def test_mae_grad_rejects_other_typical_mistakes():
    def squared(w, X, y):  # the gradient of the mean squared error instead
        return mse_grad(w, X, y)

    def flipped(w, X, y):  # the residual taken as target minus prediction
        return X.T @ np.sign(y - X @ w) / len(y)

    def absolute(w, X, y):  # |u| kept where its derivative belongs
        return X.T @ np.abs(X @ w - y) / len(y)

    for wrong in (squared, flipped, absolute):
        check.mae_grad(wrong)
        assert check.results["mae_grad"].passed < check.results["mae_grad"].total, wrong


def test_mae_grad_cases_stay_off_the_kinks():
    for seed in range(20):
        for case in check.mae_grad.cases(np.random.default_rng(seed)):
            assert np.abs(case["X"] @ case["w"] - case["y"]).min() > 0.09


def test_forward_grad_rejects_other_typical_mistakes():
    def exact(f, w, h):  # the derivative itself (central differences with a tiny step)
        return np.array([(f(w + 1e-6 * e) - f(w - 1e-6 * e)) / 2e-6 for e in np.eye(len(w))])

    def backward(f, w, h):  # steps back instead of forward
        return np.array([(f(w) - f(w - h * e)) / h for e in np.eye(len(w))])

    def every_entry(f, w, h):  # moves all entries at once
        return (f(w + h) - f(w)) / h * np.ones_like(w)

    def halved(f, w, h):  # divides by 2h as the central difference does
        return np.array([(f(w + h * e) - f(w)) / (2 * h) for e in np.eye(len(w))])

    for wrong in (exact, backward, every_entry, halved):
        check.forward_grad(wrong)
        assert check.results["forward_grad"].passed < check.results["forward_grad"].total, wrong


def test_forward_grad_rejects_moving_w_in_place_and_back_in_every_draw():
    def there_and_back(f, w, h):  # right values, but w[i] + h - h need not be w[i]
        g, base = np.zeros(len(w)), f(w)
        for i in range(len(w)):
            w[i] += h
            g[i] = (f(w) - base) / h
            w[i] -= h
        return g

    check.forward_grad(there_and_back)  # the learner's self-check
    assert "in place" in check.results["forward_grad"].message
    from gdlib.check.core import _verdict

    for seed in range(1, 30):  # a grader's fresh cases
        passed, total, message = _verdict(check.forward_grad, there_and_back,
                                          check.forward_grad.cases(np.random.default_rng(seed)))
        assert passed < total and "in place" in message, seed


def test_noise_ball_rejects_other_typical_mistakes():
    def small_rate_only(H, Sigma, lr):  # drops the lr^2 lambda^2 term of the steady state
        lam, Q = np.linalg.eigh(H)
        return np.sum(lr * np.diag(Q.T @ Sigma @ Q) / (2 * lam))

    def diagonal_noise(H, Sigma, lr):  # takes the noise along the axes, not along the eigenvectors
        lam = np.linalg.eigvalsh(H)
        return np.sum(lr * np.diag(Sigma) / (lam * (2 - lr * lam)))

    def flattest_direction(H, Sigma, lr):  # all the noise on the flattest direction
        lam = np.linalg.eigvalsh(H)[0]
        return lr * np.trace(Sigma) / (lam * (2 - lr * lam))

    def per_direction(H, Sigma, lr):  # the variances V_i along the eigenvectors, not their sum
        lam, Q = np.linalg.eigh(H)
        return lr * np.diag(Q.T @ Sigma @ Q) / (lam * (2 - lr * lam))

    for wrong in (small_rate_only, diagonal_noise, flattest_direction, per_direction):
        check.noise_ball(wrong)
        assert check.results["noise_ball"].passed < check.results["noise_ball"].total, wrong


def test_noise_free_distance_rejects_other_typical_mistakes():
    def shifted_rates(H, e0, lr, tau, t):  # alpha_s = lr / (1 + s / tau): every rate one step late
        e = np.array(e0, dtype=float)
        for s in range(1, t + 1):
            e = e - lr / (1 + s / tau) * H @ e
        return np.linalg.norm(e)

    def exponential(H, e0, lr, tau, t):  # exp(-lambda * sum of rates) for each factor
        lam, Q = np.linalg.eigh(H)
        total = np.sum(lr / (1 + np.arange(t) / tau))
        return np.linalg.norm(np.exp(-lam * total) * (Q.T @ e0))

    def constant_rate(H, e0, lr, tau, t):  # forgets the schedule
        lam, Q = np.linalg.eigh(H)
        return np.linalg.norm((1 - lr * lam) ** t * (Q.T @ e0))

    def slowest_part_only(H, e0, lr, tau, t):  # keeps only the flattest direction
        lam, Q = np.linalg.eigh(H)
        return abs(np.prod(1 - lam[0] * lr / (1 + np.arange(t) / tau)) * (Q[:, 0] @ e0))

    for wrong in (shifted_rates, exponential, constant_rate, slowest_part_only):
        check.noise_free_distance(wrong)
        assert check.results["noise_free_distance"].passed < check.results["noise_free_distance"].total, wrong


def test_typical_mistakes_in_the_rmsprop_exercises_fail(capsys):
    def old_averages(w, g, m, s, lr, beta, eps):  # divides by the variance of the previous step
        return w - lr * g / (np.sqrt(s - m**2) + eps), beta * m + (1 - beta) * g, beta * s + (1 - beta) * g**2

    def eps_inside(w, g, m, s, lr, beta, eps):  # sqrt(s - m^2 + eps), as some libraries write it
        m, s = beta * m + (1 - beta) * g, beta * s + (1 - beta) * g**2
        return w - lr * g / np.sqrt(s - m**2 + eps), m, s

    def diagonal_only(w, g, S, lr, eps):  # plain Adagrad on the diagonal of S
        S = S + np.outer(g, g)
        return w - lr * g / (np.sqrt(np.diag(S)) + eps), S

    def step_before_adding(w, g, S, lr, eps):  # uses the S of the previous step
        return full_adagrad_step(w, g, S - np.outer(g, g), lr, eps)[0], S + np.outer(g, g)

    def inverse_not_root(w, g, S, lr, eps):  # divides by S itself, as Newton's method would by H
        S = S + np.outer(g, g)
        return w - lr * np.linalg.solve(S + eps * np.eye(len(w)), g), S

    for check_, wrong in [(check.centered_rmsprop_step, old_averages), (check.centered_rmsprop_step, eps_inside),
                          (check.full_adagrad_step, diagonal_only), (check.full_adagrad_step, step_before_adding),
                          (check.full_adagrad_step, inverse_not_root)]:
        with np.errstate(all="ignore"):
            check_(wrong)
        result = check.results[check_.name]
        assert result.passed < result.total, wrong.__name__
    capsys.readouterr()


def test_typical_mistakes_in_the_arena_exercises_fail():
    def gd_steps_without_the_square(curvatures, w0, lr, tol):  # f shrinks like rho^t, not rho^(2t)
        lam, w0 = np.asarray(curvatures), np.asarray(w0)
        rho = np.abs(1 - lr * lam)
        if np.any(rho >= 1):
            return None
        t = 0
        while 0.5 * lam @ (w0**2 * rho**t) > tol:
            t += 1
        return t

    def gd_steps_never_none(curvatures, w0, lr, tol, max_steps=10_000):  # runs out of steps instead
        return gd_steps(curvatures, w0, min(lr, 0.99 * 2 / max(curvatures)), tol)

    def gd_steps_strictly_above_one(curvatures, w0, lr, tol):  # lets a factor of exactly -1 through
        lam, w0 = np.asarray(curvatures), np.asarray(w0)
        rho = np.abs(1 - lr * lam)
        if np.any(rho[w0 != 0] > 1):
            return None
        t = 0
        while 0.5 * lam @ (w0**2 * rho ** (2 * t)) > tol and t < 10_000:  # the bound keeps the test finite
            t += 1
        return t

    def gd_steps_any_direction(curvatures, w0, lr, tol):  # None for an unstable direction that holds nothing
        lam = np.asarray(curvatures)
        return None if np.any(np.abs(1 - lr * lam) >= 1) else gd_steps(curvatures, w0, lr, tol)

    def adamax_without_correction(w, g, m, u, t, lr, beta1, beta2, eps):
        return adamax_step(w, g, m, u, 1 + 0 * t, lr, beta1, beta2, eps)

    def adamax_undecayed_maximum(w, g, m, u, t, lr, beta1, beta2, eps):
        return adamax_step(w, g, m, u / beta2, t, lr, beta1, beta2, eps)

    for name, wrong in [("gd_steps", gd_steps_without_the_square), ("gd_steps", gd_steps_never_none),
                        ("gd_steps", gd_steps_strictly_above_one), ("gd_steps", gd_steps_any_direction),
                        ("adamax_step", adamax_without_correction), ("adamax_step", adamax_undecayed_maximum)]:
        getattr(check, name)(wrong)
        assert check.results[name].passed < check.results[name].total, wrong.__name__


def test_a_complex_answer_is_judged_whole_not_by_its_real_part():
    import warnings

    from gdlib.check import core
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning: nothing is cast silently
        assert core.same(0.9, 0.9 + 0j)  # a root with no imaginary part is a real number
        assert not core.same(0.9, 0.9 + 0.2j)  # a complex root with the right real part is not |r|
        assert "complex number" in core._unseen_difference(0.9, 0.9 + 0.2j)
