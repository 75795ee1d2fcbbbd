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


def descend(grad, w0, lr, tol, max_steps):
    # written independently of the reference in gdlib.check, as a while loop
    w, steps = np.array(w0, dtype=float), 0
    while steps < max_steps and np.linalg.norm(grad(w)) > tol:
        w, steps = w - lr * grad(w), steps + 1
    return w, steps


def max_stable_lr(A):
    return 2 / max(np.linalg.eigvalsh(A))


def sgd_epoch(w, X, y, lr, order):
    for n in order:
        w = w - lr * 2 * X[n] * (X[n] @ w - y[n])
    return w


def decayed_lr(t, lr, tau):
    return lr / (1 + (t - 1) / tau)


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


def gd_steps(curvatures, w0, lr, tol):
    # step by step, written independently of the closed form in gdlib.check
    lam, w = np.asarray(curvatures), np.array(w0, dtype=float)
    if np.any(np.abs(1 - lr * lam) >= 1):
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

WRONG = {
    "mse_grad": lambda w, X, y: X.T @ (X @ w - y) / len(y),  # forgot the 2
    "numerical_grad": lambda f, w, h: (f(w + h) - f(w - h)) / (2 * h) * np.ones_like(w),  # nudges every entry
    "descend": lambda grad, w0, lr, tol, max_steps: (w0 - lr * grad(w0), 1),  # one step only
    "max_stable_lr": lambda A: 1 / max(np.linalg.eigvalsh(A)),
    "sgd_epoch": lambda w, X, y, lr, order: w - lr * mse_grad(w, X, y),  # a full-batch step
    "decayed_lr": lambda t, lr, tau: lr / (1 + t / tau),  # off by one step
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
    "gd_steps": lambda curvatures, w0, lr, tol: (lambda t: None if t is None else t + 1)(
        gd_steps(curvatures, w0, lr, tol)),  # counts the step that got there once more
    "adamax_step": lambda w, g, m, u, t, lr, beta1, beta2, eps: (  # a moving average instead of a maximum
        lambda m2, u2: (w - lr / (1 - beta1**t) * m2 / (u2 + eps), m2, u2))(
        beta1 * m + (1 - beta1) * g, beta2 * u + (1 - beta2) * np.abs(g)),
}

RIGHT = {f.__name__: f for f in [mse_grad, numerical_grad, descend, max_stable_lr, sgd_epoch, decayed_lr,
                                 minibatches, minibatch_grad, momentum_step, heavy_ball_step, rmsprop_step,
                                 adagrad_step, adam_step, uncorrected_adam_step, gd_steps, adamax_step]}


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

    def adamax_without_correction(w, g, m, u, t, lr, beta1, beta2, eps):
        return adamax_step(w, g, m, u, 1 + 0 * t, lr, beta1, beta2, eps)

    def adamax_undecayed_maximum(w, g, m, u, t, lr, beta1, beta2, eps):
        return adamax_step(w, g, m, u / beta2, t, lr, beta1, beta2, eps)

    for name, wrong in [("gd_steps", gd_steps_without_the_square), ("gd_steps", gd_steps_never_none),
                        ("adamax_step", adamax_without_correction), ("adamax_step", adamax_undecayed_maximum)]:
        getattr(check, name)(wrong)
        assert check.results[name].passed < check.results[name].total, wrong.__name__
