"""fit and minimize: batch semantics, seeded shuffling, history, divergence, bad input."""

import warnings

import numpy as np
import pytest

import gdlib
from gdlib import data, surfaces


class SpyMSE(gdlib.Loss):
    """The MSE loss, recording the targets of every batch it is asked about."""

    def __init__(self):
        self.batches = []

    def _value(self, w, X, y):
        return gdlib.mse._value(w, X, y)

    def _value_and_grad(self, w, X, y):
        self.batches.append(y.copy())
        return gdlib.mse._value_and_grad(w, X, y)


def numbered(n):
    """Data whose targets are 0..n-1, so a batch's targets tell which rows it holds."""
    return np.column_stack([np.ones(n), np.linspace(0, 1, n)]), np.arange(n, dtype=float)


def fit_spy(n, batch_size, epochs, seed=0):
    X, y = numbered(n)
    spy = SpyMSE()
    h = gdlib.fit(spy, np.zeros(2), X, y, gdlib.gd(1e-3), batch_size=batch_size, epochs=epochs, seed=seed)
    return h, spy.batches[1:]  # the first call measures the starting loss


def test_full_batch_is_gradient_descent():
    X, y = data.line_100()
    h = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.gd(0.1), epochs=50)
    w = np.zeros(2)
    for _ in range(50):
        w = w - 0.1 * (2 / 100) * X.T @ (X @ w - y)
    np.testing.assert_allclose(h.w, w, rtol=1e-12)
    assert h.steps == 50 and len(h.losses) == 51 and h.trajectory.shape == (51, 2)


def test_gd_converges_to_least_squares():
    X, y = data.line_100()
    h = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.gd(0.2), epochs=2000)
    np.testing.assert_allclose(h.w, gdlib.least_squares(X, y), atol=1e-6)
    assert np.all(np.diff(h.losses) <= 1e-12)  # full-batch descent never goes up at this lr


def test_toy_problem_reaches_w_equals_two():
    X, y = data.toy()
    h = gdlib.fit(gdlib.mse, [1.0], X, y, gdlib.gd(0.01), epochs=100)
    assert h.w[0] == pytest.approx(2.0, abs=1e-3)


@pytest.mark.parametrize(("n", "batch_size", "steps_per_epoch", "sizes"), [
    (10, None, 1, [10]),
    (10, 10, 1, [10]),
    (10, 1, 10, [1] * 10),
    (10, 4, 3, [4, 4, 2]),  # the ragged last batch is used, not dropped
    (10, 3, 4, [3, 3, 3, 1]),
])
def test_batch_sizes_and_ragged_last_batch(n, batch_size, steps_per_epoch, sizes):
    h, batches = fit_spy(n, batch_size, epochs=3)
    assert h.steps == 3 * steps_per_epoch
    assert len(h.step_losses) == h.steps and h.trajectory.shape == (h.steps + 1, 2)
    assert len(h.losses) == 4
    assert [len(b) for b in batches[:steps_per_epoch]] == sizes
    for epoch in range(3):  # every epoch visits every example exactly once
        seen = np.concatenate(batches[epoch * steps_per_epoch:(epoch + 1) * steps_per_epoch])
        np.testing.assert_array_equal(np.sort(seen), np.arange(n))


def test_shuffling_is_seeded_and_fresh_every_epoch():
    _, batches = fit_spy(12, 12, epochs=3, seed=7)
    rng = np.random.default_rng(7)
    for batch in batches:
        np.testing.assert_array_equal(batch, rng.permutation(12))
    assert not np.array_equal(batches[0], batches[1])
    _, again = fit_spy(12, 12, epochs=3, seed=7)
    np.testing.assert_array_equal(np.concatenate(batches), np.concatenate(again))
    _, other = fit_spy(12, 12, epochs=3, seed=8)
    assert not np.array_equal(np.concatenate(batches), np.concatenate(other))


def test_full_batch_is_not_shuffled():
    _, batches = fit_spy(6, None, epochs=2)
    for batch in batches:
        np.testing.assert_array_equal(batch, np.arange(6))


def test_history_records_every_step():
    X, y = data.line_100()
    h = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.momentum(0.05), batch_size=10, epochs=4, seed=2)
    assert h.losses[0] == pytest.approx(gdlib.mse.value([0.0, 0.0], X, y))
    assert h.losses[-1] == pytest.approx(gdlib.mse.value(h.w, X, y))
    np.testing.assert_array_equal(h.trajectory[-1], h.w)
    np.testing.assert_array_equal(h.trajectory[0], [0.0, 0.0])
    assert h.step_losses.shape == (40,)
    assert not h.diverged and h.diverged_step is None
    again = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.momentum(0.05), batch_size=10, epochs=4, seed=2)
    np.testing.assert_array_equal(h.trajectory, again.trajectory)


def test_sgd_lands_in_a_noise_ball_near_least_squares():
    X, y = data.line_100()
    h = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.gd(0.01), batch_size=1, epochs=30)
    assert np.linalg.norm(h.w - gdlib.least_squares(X, y)) < 0.3
    assert h.steps == 3000


def test_fit_does_not_change_w0():
    X, y = data.line_100()
    w0 = np.array([1.0, 1.0])
    gdlib.fit(gdlib.mse, w0, X, y, gdlib.gd(0.1), epochs=3)
    np.testing.assert_array_equal(w0, [1.0, 1.0])


def test_keep_trajectory_off():
    X, y = data.line_100()
    h = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.gd(0.1), epochs=3, keep_trajectory=False)
    assert h.trajectory is None and h.steps == 3


def test_fit_accepts_any_loss_with_value_and_grad():
    class Plain:
        def value(self, w, X, y):
            return gdlib.mse.value(w, X, y)

        def grad(self, w, X, y):
            return gdlib.mse.grad(w, X, y)

    X, y = data.line_100()
    a = gdlib.fit(Plain(), [0.0, 0.0], X, y, gdlib.gd(0.1), batch_size=7, epochs=2)
    b = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.gd(0.1), batch_size=7, epochs=2)
    np.testing.assert_allclose(a.trajectory, b.trajectory)


def test_divergence_is_flagged_and_warned():
    X, y = data.line_100()
    with pytest.warns(gdlib.DivergenceWarning, match=r"lr=1.5 is too large.*such as lr=0.15"):
        h = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.gd(1.5), epochs=1000)
    assert h.diverged and h.diverged_step is not None
    assert h.steps < 1000
    assert np.all(np.isfinite(h.losses)) and np.all(np.isfinite(h.w)) and np.all(np.isfinite(h.trajectory))
    assert h.losses[-1] > gdlib.train.EXPLODE * h.losses[0]  # the blow-up is on record, finite
    assert h.diverged_step == h.steps  # no step was undone: the loss was huge but finite
    assert "diverged" in repr(h)


def test_divergence_to_overflow_never_returns_nan():
    X, y = data.line_100()
    with pytest.warns(gdlib.DivergenceWarning):
        h = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.gd(1e200), batch_size=1, epochs=5)
    # the first step reaches w ~ 1e201, whose loss overflows to inf: that step is undone
    assert h.diverged and h.diverged_step == 1 and h.steps == 0
    np.testing.assert_array_equal(h.w, [0.0, 0.0])
    for values in (h.w, h.losses, h.step_losses, h.trajectory):
        assert np.all(np.isfinite(values))
    assert np.isfinite(gdlib.mse.value(h.w, X, y))


def test_divergence_warning_prints_without_a_file_path():
    message = warnings.formatwarning("boom", gdlib.DivergenceWarning, "/some/file.py", 3)
    assert message == "DivergenceWarning: boom\n"
    assert "/some/file.py" in warnings.formatwarning("other", UserWarning, "/some/file.py", 3)


def test_minimize_returns_the_path():
    h = gdlib.minimize(surfaces.quadratic((1.0, 10.0)), [1.0, 1.0], gdlib.gd(0.1), steps=20)
    assert h.trajectory.shape == (21, 2) and len(h.losses) == 21
    np.testing.assert_allclose(h.trajectory[1], [1.0 - 0.1, 1.0 - 0.1 * 10])
    np.testing.assert_allclose(h.losses, surfaces.quadratic((1.0, 10.0)).value(h.trajectory))


def test_minimize_flags_a_step_beyond_two_over_curvature():
    q = surfaces.quadratic((1.0, 10.0))
    assert not gdlib.minimize(q, [1.0, 1.0], gdlib.gd(0.199), steps=500).diverged
    with pytest.warns(gdlib.DivergenceWarning):
        assert gdlib.minimize(q, [1.0, 1.0], gdlib.gd(0.201), steps=5000).diverged


def test_a_saddle_stalls_gradient_descent_on_the_ridge():
    h = gdlib.minimize(surfaces.saddle(), [1.0, 0.0], gdlib.gd(0.1), steps=200)
    np.testing.assert_allclose(h.w, [0.0, 0.0], atol=1e-9)


X100, Y100 = data.line_100()


@pytest.mark.parametrize(("kwargs", "error", "pattern"), [
    ({"X": X100[:, 1]}, ValueError, r"X must be a 2-D array"),
    ({"y": Y100[:50]}, ValueError, r"y has 50 entries but X has 100 rows"),
    ({"y": Y100[:, None]}, ValueError, r"y must be a 1-D array"),
    ({"w0": [0.0, 0.0, 0.0]}, ValueError, r"w0 has shape \(3,\) but X has 2 columns"),
    ({"X": np.where(X100 > 1.9, np.inf, X100)}, ValueError, r"X contains NaN or infinite"),
    ({"y": np.where(Y100 > 9, np.nan, Y100)}, ValueError, r"y contains NaN or infinite"),
    ({"w0": [np.nan, 0.0]}, ValueError, r"w0 contains NaN"),
    ({"batch_size": 0}, ValueError, r"batch_size must be an integer in 1..100"),
    ({"batch_size": 101}, ValueError, r"batch_size must be an integer in 1..100"),
    ({"batch_size": 2.5}, TypeError, r"batch_size must be an integer"),
    ({"epochs": 0}, ValueError, r"epochs must be an integer in 1"),
    ({"epochs": 1.0}, TypeError, r"epochs must be an integer"),
    ({"seed": -1}, ValueError, r"seed must be an integer"),
    ({"optimizer": 0.1}, TypeError, r"optimizer must have init\(w\) and step"),
    ({"loss": "mse"}, TypeError, r"loss must have value\(w, X, y\) and grad"),
    ({"X": "data"}, TypeError, r"X must be an array of numbers"),
])
def test_fit_bad_input(kwargs, error, pattern):
    args = {"loss": gdlib.mse, "w0": [0.0, 0.0], "X": X100, "y": Y100, "optimizer": gdlib.gd(0.1)}
    args.update(kwargs)
    options = {k: args.pop(k) for k in ("batch_size", "epochs", "seed") if k in args}
    with pytest.raises(error, match=pattern):
        gdlib.fit(args["loss"], args["w0"], args["X"], args["y"], args["optimizer"], **options)


def test_minimize_bad_input():
    with pytest.raises(TypeError, match="surface must have value"):
        gdlib.minimize(lambda w: w @ w, [1.0, 1.0], gdlib.gd(0.1))
    with pytest.raises(ValueError, match="steps must be an integer in 1"):
        gdlib.minimize(surfaces.saddle(), [1.0, 1.0], gdlib.gd(0.1), steps=0)
    with pytest.raises(ValueError, match="the loss at w0 is inf"):
        gdlib.minimize(surfaces.rosenbrock(), [1e200, 0.0], gdlib.gd(0.1))
