"""The exercise self-checks: right answers pass, wrong ones fail with a message, nothing raises."""

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


def logistic_grad(w, X, y):
    return X.T @ (1 / (1 + np.exp(-(X @ w))) - y) / len(y)


def net_grad(W1, b1, w2, b2, X, y):
    a = np.tanh(X @ W1.T + b1)
    d = 2 * (a @ w2 + b2 - y) / len(y)
    d_hidden = np.outer(d, w2) * (1 - a**2)
    return d_hidden.T @ X, d_hidden.sum(axis=0), a.T @ d, d.sum()


# And one typical mistake for each.

WRONG = {
    "mae_grad": lambda w, X, y: X.T @ np.sign(X @ w - y),  # forgot the 1/N
    "forward_grad": lambda f, w, h: np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(len(w))]),
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
    "logistic_grad": lambda w, X, y: X.T @ (1 / (1 + np.exp(-(X @ w))) - y),  # forgot the 1/N
    "net_grad": lambda W1, b1, w2, b2, X, y: (lambda d: (d[0], d[1], d[2], 2 * d[3]))(net_grad(W1, b1, w2, b2, X, y)),
}

RIGHT = {f.__name__: f for f in [mae_grad, forward_grad, descend, max_stable_lr, sgd_epoch, decayed_lr,
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
