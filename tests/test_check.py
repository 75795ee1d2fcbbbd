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


def logistic_grad(w, X, y):
    return X.T @ (1 / (1 + np.exp(-(X @ w))) - y) / len(y)


def net_grad(W1, b1, w2, b2, X, y):
    a = np.tanh(X @ W1.T + b1)
    d = 2 * (a @ w2 + b2 - y) / len(y)
    d_hidden = np.outer(d, w2) * (1 - a**2)
    return d_hidden.T @ X, d_hidden.sum(axis=0), a.T @ d, d.sum()


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
    "amsgrad_step": lambda w, g, m, s, s_max, t, lr, beta1, beta2, eps: (  # plain Adam: no maximum
        *_adam(w, g, m, s, t, lr, beta1, beta2, eps), np.maximum(s_max, beta2 * s + (1 - beta2) * g**2)),
    "adamw_step": lambda w, g, m, s, t, lr, beta1, beta2, eps, weight_decay: _adam(  # decay added to the gradient
        w, g + weight_decay * w, m, s, t, lr, beta1, beta2, eps),
    "logistic_grad": lambda w, X, y: X.T @ (1 / (1 + np.exp(-(X @ w))) - y),  # forgot the 1/N
    "net_grad": lambda W1, b1, w2, b2, X, y: (lambda d: (d[0], d[1], d[2], 2 * d[3]))(net_grad(W1, b1, w2, b2, X, y)),
}

RIGHT = {f.__name__: f for f in [mse_grad, numerical_grad, descend, max_stable_lr, sgd_epoch, decayed_lr,
                                 minibatches, minibatch_grad, momentum_step, heavy_ball_step, rmsprop_step,
                                 adagrad_step, amsgrad_step, adamw_step, logistic_grad, net_grad]}


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
}

ADAMW_MISTAKES = {
    "decay not times lr": lambda w, g, m, s, t, lr, beta1, beta2, eps, weight_decay: (
        lambda r: (r[0] - weight_decay * w, r[1], r[2]))(_adam(w, g, m, s, t, lr, beta1, beta2, eps)),
    "decay of the new weights": lambda w, g, m, s, t, lr, beta1, beta2, eps, weight_decay: (
        lambda r: (r[0] * (1 - lr * weight_decay), r[1], r[2]))(_adam(w, g, m, s, t, lr, beta1, beta2, eps)),
    "decay inside the moments": lambda w, g, m, s, t, lr, beta1, beta2, eps, weight_decay: _adam(
        w, g + weight_decay * w, m, s, t, lr, beta1, beta2, eps),
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
