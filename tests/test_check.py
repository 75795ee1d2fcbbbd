"""The exercise self-checks: right answers pass, wrong ones fail with a message, nothing raises."""

import numpy as np
import pytest

from gdlib import check

# One right answer per exercise, written as a student would.


def mse_grad(w, X, y):
    return 2 / len(y) * X.T @ (X @ w - y)


def numerical_grad(f, w, h):
    g = np.zeros_like(w)
    for i in range(len(w)):
        e = np.zeros_like(w)
        e[i] = h
        g[i] = (f(w + e) - f(w - e)) / (2 * h)
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


def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def minibatch_grad(w, X, y, idx):
    return mse_grad(w, X[idx], y[idx])


def momentum_step(w, g, v, lr, beta):
    v = beta * v + (1 - beta) * g
    return w - lr * v, v


def heavy_ball_step(w, g, v, lr, beta):
    v = beta * v + g
    return w - lr * v, v


def rmsprop_step(w, g, s, lr, beta, eps):
    s = beta * s + (1 - beta) * g**2
    return w - lr * g / (np.sqrt(s) + eps), s


def adagrad_step(w, g, s, lr, eps):
    s = s + g**2
    return w - lr * g / (np.sqrt(s) + eps), s


def adam_step(w, g, m, s, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g**2
    m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(s_hat) + eps), m, s


def uncorrected_adam_step(w, g, m, s, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g**2
    return w - lr * m / (np.sqrt(s) + eps), m, s


def logistic_grad(w, X, y):
    return X.T @ (1 / (1 + np.exp(-(X @ w))) - y) / len(y)


def net_grad(W1, b1, w2, b2, X, y):
    a = np.tanh(X @ W1.T + b1)
    d = 2 * (a @ w2 + b2 - y) / len(y)
    d_hidden = np.outer(d, w2) * (1 - a**2)
    return d_hidden.T @ X, d_hidden.sum(axis=0), a.T @ d, d.sum()


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
    "mse_grad": lambda w, X, y: X.T @ (X @ w - y) / len(y),  # forgot the 2
    "numerical_grad": lambda f, w, h: (f(w + h) - f(w - h)) / (2 * h) * np.ones_like(w),  # nudges every entry
    "steps_to_tolerance": worst_factor_only,
    "standardize": standardize_sample_sd,
    "noise_ball": lambda H, Sigma, lr: noise_ball(H, Sigma, lr) ** 0.5,  # the size, not the mean square
    "noise_free_distance": lambda H, e0, lr, tau, t: noise_free_distance(H, e0, lr, tau, t + 1),  # one step too many
    "minibatches": lambda n, batch_size, rng: [np.arange(n)[i:i + batch_size] for i in range(0, n - batch_size + 1,
                                                                                             batch_size)],
    "minibatch_grad": lambda w, X, y, idx: 2 / len(y) * X[idx].T @ (X[idx] @ w - y[idx]),  # divides by N
    "momentum_step": heavy_ball_step,
    "heavy_ball_step": momentum_step,
    "rmsprop_step": lambda w, g, s, lr, beta, eps: (w - lr * g / np.sqrt(s + eps), beta * s + (1 - beta) * g**2),
    "adagrad_step": lambda w, g, s, lr, eps: rmsprop_step(w, g, s, lr, 0.9, eps),
    "adam_step": lambda w, g, m, s, t, lr, beta1, beta2, eps: adam_step(w, g, m, s, t + 1, lr, beta1, beta2, eps),
    "uncorrected_adam_step": lambda w, g, m, s, lr, beta1, beta2, eps: adam_step(w, g, m, s, 1, lr, beta1, beta2,
                                                                                 eps),
    "logistic_grad": lambda w, X, y: X.T @ (1 / (1 + np.exp(-(X @ w))) - y),  # forgot the 1/N
    "net_grad": lambda W1, b1, w2, b2, X, y: (lambda d: (d[0], d[1], d[2], 2 * d[3]))(net_grad(W1, b1, w2, b2, X, y)),
}

RIGHT = {f.__name__: f for f in [mse_grad, numerical_grad, steps_to_tolerance, standardize, noise_ball,
                                 noise_free_distance,
                                 minibatches, minibatch_grad, momentum_step, heavy_ball_step, rmsprop_step,
                                 adagrad_step, adam_step, uncorrected_adam_step, logistic_grad, net_grad]}


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

    check.momentum_step(crashes)
    assert "raised UFuncTypeError" in capsys.readouterr().out
    check.momentum_step(loops)
    assert "did not finish within 0.2 s" in capsys.readouterr().out
    check.momentum_step(in_place)
    assert "changed its argument w in place" in capsys.readouterr().out
    check.momentum_step(None)
    assert "no function named momentum_step was found" in capsys.readouterr().out
    check.momentum_step(3)
    assert "expected a function, got 3" in capsys.readouterr().out
    check.minibatches(lambda n, batch_size, rng: "not batches")
    assert "returned the wrong value" in capsys.readouterr().out


def test_passed_reports_the_latest_run(capsys):
    check.results.pop("adagrad_step", None)
    assert not check.passed("adagrad_step")  # never run
    check.adagrad_step(adagrad_step)
    assert check.passed("adagrad_step")
    check.adagrad_step(WRONG["adagrad_step"])
    assert not check.passed("adagrad_step")


def test_unshuffled_batches_fail():
    def in_order(n, batch_size, rng):
        return [np.arange(n)[i:i + batch_size] for i in range(0, n, batch_size)]

    check.minibatches(in_order)
    assert check.results["minibatches"].passed < check.results["minibatches"].total


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

    for wrong in (one_too_many, sizes_added, slowest_part_only):
        check.steps_to_tolerance(wrong)
        assert check.results["steps_to_tolerance"].passed < check.results["steps_to_tolerance"].total, wrong


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

    for wrong in (small_rate_only, diagonal_noise, flattest_direction):
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
