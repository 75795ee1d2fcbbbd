"""Self-checks for the coding exercises: ``gdlib.check.momentum_step(momentum_step)``.

Each check calls the student's function on several cases, compares with gdlib's
own reference, and prints one short verdict: passed, "not yet implemented", or
the first failing case with expected and actual values and a hint. A check never
raises, whatever the function does (a case is stopped after ``TIME_LIMIT``
seconds), and records its outcome in :data:`results` for the grader.
"""

from __future__ import annotations

import copy
import signal
import threading
from dataclasses import dataclass

import numpy as np

from . import gradcheck, losses, optimizers, schedules

TIME_LIMIT = 5.0  # seconds per case


@dataclass
class Result:
    """How one exercise went: ``passed`` of ``total`` cases, and the verdict printed."""

    name: str
    passed: int
    total: int
    message: str


results: dict[str, Result] = {}  #: the latest result of every check run in this kernel


def passed(name: str) -> bool:
    """Whether the latest run of the check ``name`` passed every case.

    For graders that award points when a cell does not raise, such as nbgrader:
    ``assert gdlib.check.passed("momentum_step")``.
    """
    result = results.get(name)
    return result is not None and result.passed == result.total


class _TimeUp(Exception):
    pass


def _raise_time_up(signum, frame):
    raise _TimeUp


def _call(fn, args):
    """Call ``fn(*args)``, stopped after TIME_LIMIT seconds where a timer is available."""
    timer = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not timer:
        return fn(*args)
    previous = signal.signal(signal.SIGALRM, _raise_time_up)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _same(expected, got) -> bool:
    if isinstance(expected, (tuple, list)):
        return isinstance(got, (tuple, list)) and len(got) == len(expected) and all(map(_same, expected, got))
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=1e-6, atol=1e-9))


def _show(value) -> str:
    if isinstance(value, np.random.Generator):
        return "a seeded numpy Generator"
    if isinstance(value, _Batches):
        return repr(value)
    if callable(value):
        return getattr(value, "__name__", "a function")
    if isinstance(value, (tuple, list)):
        inner = ", ".join(map(_show, value))
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    with np.printoptions(precision=6, suppress=True, threshold=12):
        return str(value) if isinstance(value, np.ndarray) else repr(value)


def _report(name, passed, total, message) -> None:
    results[name] = Result(name, passed, total, message)
    print(message)


def _run(name: str, fn, reference, cases: list[dict], hint: str, same=_same) -> None:
    """Compare ``fn`` with ``reference`` on ``cases`` (argument name -> value) and print a verdict.

    ``same(expected, got)`` decides whether an answer is right.
    """
    if fn is None:
        return _report(name, 0, len(cases), f"{name}: no function named {name} was found; define it with "
                       f"def {name}(...), keeping exactly this name, and run its cell.")
    if not callable(fn):
        return _report(name, 0, len(cases), f"{name}: expected a function, got {_show(fn)}. Define it with def.")
    passed, failure = 0, None
    for i, case in enumerate(cases, start=1):
        args = [copy.deepcopy(v) for v in case.values()]
        expected = reference(*copy.deepcopy(list(case.values())))
        try:
            got = _call(fn, args)
        except NotImplementedError:
            return _report(name, 0, len(cases),
                           f"{name}: not yet implemented (replace `raise NotImplementedError()` with your code).")
        except _TimeUp:
            problem = f"did not finish within {TIME_LIMIT:g} s (an endless loop?)"
        except (Exception, SystemExit) as error:  # a check reports every error; it never raises
            problem = f"raised {type(error).__name__}: {error}"
        else:
            changed = [k for k, a, v in zip(case, args, case.values(), strict=True)
                       if isinstance(v, np.ndarray) and not np.array_equal(a, v)]
            if changed:
                problem = f"changed its argument {changed[0]} in place; compute a new array instead"
            elif same(expected, got):
                passed += 1
                continue
            else:
                problem = f"returned the wrong value\n  expected: {_show(expected)}\n  got:      {_show(got)}"
        if failure is None:
            inputs = ", ".join(f"{k}={_show(v)}" for k, v in case.items())
            failure = f"{name}: case {i} of {len(cases)} failed: it {problem}\n  inputs:   {inputs}\n  hint: {hint}"
    _report(name, passed, len(cases), failure or f"{name}: passed all {len(cases)} cases.")


def _arrays(seed: int, *shapes):
    rng = np.random.default_rng(seed)
    return [np.round(rng.normal(size=s), 3) for s in shapes]


def _line_data(seed: int, n: int, d: int):
    X, y = _arrays(seed, (n, d), (n,))
    return X, y


# Chapter 1: the derivation ---------------------------------------------------------------

def mse_grad(fn) -> None:
    """Check ``mse_grad(w, X, y)``: the gradient (2/N) X^T (X w - y) of the mean squared error."""
    cases = []
    for seed, (n, d) in enumerate([(3, 1), (5, 2), (8, 3)]):
        X, y = _line_data(seed, n, d)
        cases.append({"w": _arrays(seed + 10, (d,))[0], "X": X, "y": y})
    _run("mse_grad", fn, losses.mse.grad, cases,
         "multiply X transposed by the residuals X @ w - y, then by 2 / N, where N = len(y).")


def numerical_grad(fn) -> None:
    """Check ``numerical_grad(f, w, h)``: central differences, one entry of w at a time."""
    def cubic(w):
        return float(np.sum(w**3) + w[0] * w[-1])

    def wave(w):
        return float(np.sum(np.sin(w)) * np.cos(w[0]))

    cases = [{"f": cubic, "w": np.array([1.0, -2.0, 0.5]), "h": 1e-5},
             {"f": wave, "w": np.array([0.3, 1.2]), "h": 1e-5},
             {"f": cubic, "w": np.array([2.0]), "h": 1e-4}]
    _run("numerical_grad", fn, gradcheck.numerical_grad, cases,
         "for each i, nudge only w[i] by +h and by -h, and divide the difference of f by 2h.")


# Chapter 2: batch gradient descent ------------------------------------------------------

def _descend(grad, w0, lr, tol, max_steps):
    w = np.asarray(w0, dtype=float)
    for t in range(max_steps):
        g = grad(w)
        if np.linalg.norm(g) <= tol:
            return w, t
        w = w - lr * g
    return w, max_steps


def descend(fn) -> None:
    """Check ``descend(grad, w0, lr, tol, max_steps) -> (w, steps)`` with its stopping rule."""
    def bowl_grad(w):  # the gradient of 0.5 w^T A w
        return np.array([[3.0, 1.0], [1.0, 2.0]]) @ w

    def parabola_grad(w):  # the gradient of (w - 3)^2
        return 2 * (w - 3.0)

    cases = [{"grad": bowl_grad, "w0": np.array([1.0, -1.0]), "lr": 0.1, "tol": 1e-6, "max_steps": 1000},
             {"grad": bowl_grad, "w0": np.array([1.0, -1.0]), "lr": 0.1, "tol": 1e-6, "max_steps": 20},
             {"grad": parabola_grad, "w0": np.array([0.0]), "lr": 0.1, "tol": 1e-3, "max_steps": 100},
             {"grad": parabola_grad, "w0": np.array([3.0]), "lr": 0.1, "tol": 1e-3, "max_steps": 100}]
    _run("descend", fn, _descend, cases,
         "before each step compute g = grad(w); stop if its norm is <= tol, else w = w - lr * g; "
         "return the weights and the number of steps taken.")


def max_stable_lr(fn) -> None:
    """Check ``max_stable_lr(A)``: the largest learning rate 2 / lambda_max that keeps GD on 0.5 w^T A w stable."""
    turn = np.array([[0.6, -0.8], [0.8, 0.6]])
    cases = [{"A": np.diag([1.0, 10.0])}, {"A": turn @ np.diag([2.0, 50.0]) @ turn.T},
             {"A": np.array([[4.0]])}, {"A": np.diag([3.0, 1.0, 0.5])}]
    _run("max_stable_lr", fn, lambda A: 2 / np.linalg.eigvalsh(A).max(), cases,
         "the largest curvature is the largest eigenvalue of A (np.linalg.eigvalsh); the limit is 2 over it.")


# Chapter 3: stochastic gradient descent --------------------------------------------------

def _sgd_epoch(w, X, y, lr, order):
    for n in order:
        w = w - lr * 2 * X[n] * (X[n] @ w - y[n])
    return w


def sgd_epoch(fn) -> None:
    """Check ``sgd_epoch(w, X, y, lr, order)``: one SGD step per example, in the given order."""
    cases = []
    for seed, (n, d) in enumerate([(4, 1), (6, 2), (5, 3)]):
        X, y = _line_data(seed, n, d)
        order = np.random.default_rng(seed).permutation(n)
        cases.append({"w": np.zeros(d), "X": X, "y": y, "lr": 0.05, "order": order})
    _run("sgd_epoch", fn, _sgd_epoch, cases,
         "for n in order: w = w - lr * 2 * X[n] * (X[n] @ w - y[n]), using the weights after the previous step.")


def decayed_lr(fn) -> None:
    """Check ``decayed_lr(t, lr, tau)``: the inverse-time schedule lr / (1 + (t - 1) / tau)."""
    cases = [{"t": t, "lr": lr, "tau": tau} for t, lr, tau in [(1, 0.1, 10.0), (11, 0.1, 10.0), (101, 0.5, 50.0),
                                                                (1000, 0.2, 1.0)]]
    _run("decayed_lr", fn, lambda t, lr, tau: schedules.inverse_time(lr, tau)(t), cases,
         "at t = 1 the rate is lr itself; it halves when t - 1 reaches tau.")


# Chapter 4: mini-batch gradient descent -------------------------------------------------

class _Batches(list):
    """The batch sizes a correct answer has, shown as a sentence."""

    def __repr__(self) -> str:
        return f"shuffled batches of sizes {list(self)} that hold each of 0..{sum(self) - 1} once"


def _batch_sizes(n, batch_size, rng):
    return _Batches(min(batch_size, n - start) for start in range(0, n, batch_size))


def _partition(sizes, got) -> bool:
    try:
        got = [np.asarray(b) for b in got]
        everything = np.concatenate(got) if got else np.array([])
    except (TypeError, ValueError):
        return False
    in_order = np.arange(sum(sizes))
    return ([len(b) for b in got] == list(sizes) and np.array_equal(np.sort(everything), in_order)
            and (sum(sizes) < 8 or not np.array_equal(everything, in_order)))  # shuffled, not 0, 1, 2, ...


def minibatches(fn) -> None:
    """Check ``minibatches(n, batch_size, rng)``: shuffled index batches, every index once, the last one ragged."""
    cases = [{"n": n, "batch_size": b, "rng": np.random.default_rng(seed)}
             for seed, (n, b) in enumerate([(10, 4), (12, 3), (9, 9), (20, 1), (100, 32)])]
    _run("minibatches", fn, _batch_sizes, cases,
         "shuffle once with order = rng.permutation(n), then cut order into slices of batch_size; "
         "keep the shorter last slice.", same=_partition)


def minibatch_grad(fn) -> None:
    """Check ``minibatch_grad(w, X, y, idx)``: the mean-squared-error gradient on the rows idx."""
    cases = []
    for seed, (n, d, b) in enumerate([(10, 2, 4), (12, 1, 5), (8, 3, 1)]):
        X, y = _line_data(seed, n, d)
        idx = np.random.default_rng(seed).permutation(n)[:b]
        cases.append({"w": _arrays(seed + 20, (d,))[0], "X": X, "y": y, "idx": idx})
    _run("minibatch_grad", fn, lambda w, X, y, idx: losses.mse.grad(w, X[idx], y[idx]), cases,
         "take Xb, yb = X[idx], y[idx] and use 2 / B with B = len(idx), not 2 / N.")


# Chapter 5: momentum ---------------------------------------------------------------------

def _step_cases(seed: int, extra: list[dict]) -> list[dict]:
    cases = []
    for i, more in enumerate(extra):
        w, g, memory = _arrays(seed + i, (3,), (3,), (3,))
        cases.append({"w": w, "g": g, **more(memory)})
    return cases


def momentum_step(fn) -> None:
    """Check ``momentum_step(w, g, v, lr, beta) -> (new_w, new_v)`` in moving-average form."""
    def ref(w, g, v, lr, beta):
        new_w, state = optimizers.momentum(lr, beta).step(w, g, optimizers.MomentumState(v))
        return new_w, state.v

    cases = _step_cases(0, [lambda m: {"v": np.zeros(3), "lr": 0.1, "beta": 0.9},
                            lambda m: {"v": m, "lr": 0.1, "beta": 0.9},
                            lambda m: {"v": m, "lr": 0.5, "beta": 0.0},
                            lambda m: {"v": m, "lr": 0.01, "beta": 0.99}])
    _run("momentum_step", fn, ref, cases,
         "new_v = beta * v + (1 - beta) * g first; then new_w = w - lr * new_v, with the new velocity.")


def heavy_ball_step(fn) -> None:
    """Check ``heavy_ball_step(w, g, v, lr, beta) -> (new_w, new_v)``: v = beta v + g, w = w - lr v."""
    def ref(w, g, v, lr, beta):
        v = beta * v + g
        return w - lr * v, v

    cases = _step_cases(10, [lambda m: {"v": np.zeros(3), "lr": 0.1, "beta": 0.9},
                             lambda m: {"v": m, "lr": 0.1, "beta": 0.9},
                             lambda m: {"v": m, "lr": 0.05, "beta": 0.5}])
    _run("heavy_ball_step", fn, ref, cases, "no (1 - beta) here: new_v = beta * v + g, then new_w = w - lr * new_v.")


# Chapter 6: RMSProp ------------------------------------------------------------------------

def rmsprop_step(fn) -> None:
    """Check ``rmsprop_step(w, g, s, lr, beta, eps) -> (new_w, new_s)``."""
    def ref(w, g, s, lr, beta, eps):
        new_w, state = optimizers.rmsprop(lr, beta, eps).step(w, g, optimizers.RMSPropState(s))
        return new_w, state.s

    cases = _step_cases(20, [lambda m: {"s": np.zeros(3), "lr": 0.01, "beta": 0.9, "eps": 1e-8},
                             lambda m: {"s": m**2, "lr": 0.01, "beta": 0.9, "eps": 1e-8},
                             lambda m: {"s": m**2, "lr": 0.1, "beta": 0.5, "eps": 0.1}])
    _run("rmsprop_step", fn, ref, cases,
         "new_s = beta * s + (1 - beta) * g**2; new_w = w - lr * g / (np.sqrt(new_s) + eps): eps outside the root.")


def adagrad_step(fn) -> None:
    """Check ``adagrad_step(w, g, s, lr, eps) -> (new_w, new_s)``: s is a running sum of g**2."""
    def ref(w, g, s, lr, eps):
        new_w, state = optimizers.adagrad(lr, eps).step(w, g, optimizers.RMSPropState(s))
        return new_w, state.s

    cases = _step_cases(30, [lambda m: {"s": np.zeros(3), "lr": 0.1, "eps": 1e-8},
                             lambda m: {"s": m**2, "lr": 0.1, "eps": 1e-8},
                             lambda m: {"s": m**2, "lr": 1.0, "eps": 0.5}])
    _run("adagrad_step", fn, ref, cases,
         "new_s = s + g**2 (a sum, no beta); new_w = w - lr * g / (np.sqrt(new_s) + eps).")


# Chapter 7: Adam -------------------------------------------------------------------------

def _adam_cases(seed: int) -> list[dict]:
    cases = []
    for i, (t, lr) in enumerate([(1, 0.001), (2, 0.01), (10, 0.1), (1000, 0.01)]):
        w, g, m, s = _arrays(seed + i, (3,), (3,), (3,), (3,))
        first = t == 1  # before the first step both moments are zero
        cases.append({"w": w, "g": g, "m": 0 * m if first else 0.1 * m, "s": 0 * s if first else 0.01 * s**2,
                      "t": t, "lr": lr, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
    return cases


def adam_step(fn) -> None:
    """Check ``adam_step(w, g, m, s, t, lr, beta1, beta2, eps) -> (new_w, new_m, new_s)``.

    ``t`` is the number of this step, 1 for the first.
    """
    def ref(w, g, m, s, t, lr, beta1, beta2, eps):
        new_w, state = optimizers.adam(lr, beta1, beta2, eps).step(w, g, optimizers.AdamState(m, s, t - 1))
        return new_w, state.m, state.s

    _run("adam_step", fn, ref, _adam_cases(40),
         "update m and s first; divide them by (1 - beta1**t) and (1 - beta2**t), with t the number of this "
         "step (1 for the first); eps goes outside the square root.")


def uncorrected_adam_step(fn) -> None:
    """Check ``uncorrected_adam_step(w, g, m, s, lr, beta1, beta2, eps) -> (new_w, new_m, new_s)``.

    Adam's moments without the bias correction.
    """
    def ref(w, g, m, s, lr, beta1, beta2, eps):
        m, s = beta1 * m + (1 - beta1) * g, beta2 * s + (1 - beta2) * g**2
        return w - lr * m / (np.sqrt(s) + eps), m, s

    cases = [{k: v for k, v in case.items() if k != "t"} for case in _adam_cases(50)]
    _run("uncorrected_adam_step", fn, ref, cases,
         "the same moments as Adam, but the step uses m and s themselves: w - lr * m / (np.sqrt(s) + eps).")


# Chapter 8: the arena ----------------------------------------------------------------------

def logistic_grad(fn) -> None:
    """Check ``logistic_grad(w, X, y)``: (1/N) X^T (sigma(X w) - y) for labels 0 and 1."""
    cases = []
    for seed, (n, d) in enumerate([(4, 1), (6, 2), (10, 3)]):
        X, _ = _line_data(seed + 60, n, d)
        y = (np.random.default_rng(seed).random(n) < 0.5).astype(float)
        cases.append({"w": _arrays(seed + 70, (d,))[0], "X": X, "y": y})
    _run("logistic_grad", fn, losses.logistic.grad, cases,
         "sigma(z) = 1 / (1 + np.exp(-z)) with z = X @ w; the gradient is X.T @ (sigma(z) - y) / len(y).")


def net_grad(fn) -> None:
    """Check ``net_grad(W1, b1, w2, b2, X, y) -> (dW1, db1, dw2, db2)`` for the two-layer tanh network."""
    def ref(W1, b1, w2, b2, X, y):
        net = losses.TwoLayerNet(len(b1))
        g = net.grad(np.concatenate([W1.ravel(), b1, w2, [b2]]), X, y)
        dW1, db1, dw2, db2 = net.unpack(g, X.shape[1])
        return dW1, db1, dw2, float(db2)

    cases = []
    for seed, (n, d, h) in enumerate([(5, 1, 2), (8, 2, 3), (6, 3, 4)]):
        X, y = _line_data(seed + 80, n, d)
        W1, b1, w2 = _arrays(seed + 90, (h, d), (h,), (h,))
        cases.append({"W1": W1, "b1": b1, "w2": w2, "b2": 0.1 * seed, "X": X, "y": y})
    _run("net_grad", fn, ref, cases,
         "forward: a = np.tanh(X @ W1.T + b1), y_hat = a @ w2 + b2; backward from d = 2 (y_hat - y) / N: "
         "dw2 = a.T @ d, db2 = d.sum(), then through tanh with (1 - a**2).")
