"""Learning-rate schedules, noisy gradients, progress lines and stopwatches."""

import re

import numpy as np
import pytest

import gdlib
from gdlib import data, schedules, surfaces
from gdlib.timing import Stopwatch


def test_schedules_by_hand():
    assert [schedules.constant(0.1)(t) for t in (1, 50)] == [0.1, 0.1]
    s = schedules.inverse_time(0.2, tau=10)
    assert s(1) == pytest.approx(0.2) and s(11) == pytest.approx(0.1) and s(21) == pytest.approx(0.2 / 3)
    r = schedules.inverse_sqrt(0.2, tau=10)
    assert r(1) == pytest.approx(0.2) and r(31) == pytest.approx(0.1)
    assert repr(s) == "inverse_time(lr=0.2, tau=10)"


def test_robbins_monro_sums():
    steps = range(1, 200_001)
    inverse_time = np.array([schedules.inverse_time(1.0, tau=1.0)(t) for t in steps])
    assert np.sum(inverse_time[:100_000] ** 2) == pytest.approx(np.sum(inverse_time**2), rel=1e-5)  # converges
    assert np.sum(inverse_time) - np.sum(inverse_time[:100_000]) > 0.69  # grows like log t: no bound
    root = np.array([schedules.inverse_sqrt(1.0, tau=1.0)(t) for t in steps])
    assert np.sum(root**2) - np.sum(root[:100_000] ** 2) > 0.69  # the squares still grow like log t


def test_scheduled_gd_uses_the_rate_of_each_step():
    opt = schedules.scheduled(gdlib.gd, schedules.inverse_time(0.5, tau=1.0))
    w = np.array([1.0])
    state = opt.init(w)
    for _ in range(3):
        w, state = opt.step(w, np.array([1.0]), state)
    np.testing.assert_allclose(w, 1.0 - 0.5 - 0.25 - 0.5 / 3)
    assert state.t == 3
    momentum = schedules.scheduled(gdlib.momentum, schedules.constant(0.1), beta=0.5)
    plain = gdlib.momentum(0.1, beta=0.5)
    a = gdlib.minimize(surfaces.quadratic(), [1.0, 1.0], momentum, 30)
    b = gdlib.minimize(surfaces.quadratic(), [1.0, 1.0], plain, 30)
    np.testing.assert_allclose(a.trajectory, b.trajectory)


def test_decaying_rate_beats_the_noise_ball():
    X, y = data.line_100()
    best = gdlib.least_squares(X, y)
    runs = {}
    for name, schedule in [("constant", schedules.constant(0.05)), ("decay", schedules.inverse_time(0.05, 100))]:
        h = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, schedules.scheduled(gdlib.gd, schedule), batch_size=1, epochs=50)
        runs[name] = np.linalg.norm(h.trajectory[-1000:] - best, axis=1).mean()
    assert runs["decay"] < runs["constant"] / 3


def test_scheduled_bad_input():
    with pytest.raises(TypeError, match="schedule must be made by gdlib.schedules"):
        schedules.scheduled(gdlib.gd, 0.1)
    with pytest.raises(ValueError, match="beta must be in"):
        schedules.scheduled(gdlib.momentum, schedules.constant(0.1), beta=2.0)
    with pytest.raises(ValueError, match="tau must be a finite number > 0"):
        schedules.inverse_time(0.1, tau=0)


def test_divergence_advice_names_the_schedule():
    X, y = data.line_100()
    opt = schedules.scheduled(gdlib.gd, schedules.inverse_time(5.0, tau=100))
    with pytest.warns(gdlib.DivergenceWarning, match=r"schedule inverse_time\(lr=5, tau=100\).*lr=0.5"):
        assert gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, opt, epochs=50).diverged


def test_noisy_gradients_escape_the_saddle():
    saddle = surfaces.saddle()
    stuck = gdlib.minimize(saddle, [1.0, 0.0], gdlib.gd(0.1), 300)
    np.testing.assert_allclose(stuck.w, [0.0, 0.0], atol=1e-9)
    for seed in range(5):
        h = gdlib.minimize(saddle, [1.0, 0.0], gdlib.gd(0.1), 300, noise=0.05, seed=seed)
        assert abs(abs(h.w[1]) - 1.0) < 0.2  # ended near one of the minima (0, -1) and (0, 1)
    again = gdlib.minimize(saddle, [1.0, 0.0], gdlib.gd(0.1), 300, noise=0.05, seed=3)
    np.testing.assert_array_equal(again.trajectory, gdlib.minimize(saddle, [1.0, 0.0], gdlib.gd(0.1), 300,
                                                                   noise=0.05, seed=3).trajectory)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        gdlib.minimize(saddle, [1.0, 0.0], gdlib.gd(0.1), noise=-1)


def test_first_below():
    h = gdlib.minimize(surfaces.quadratic((1.0, 1.0)), [1.0, 0.0], gdlib.gd(0.5), 10)  # f halves... by 4 per step
    np.testing.assert_allclose(h.losses, 0.5 * 0.25 ** np.arange(11))
    assert h.first_below(0.5) == 0
    assert h.first_below(0.5 * 0.25**3) == 3
    assert h.first_below(1e-30) is None


def test_progress_line_ends_with_the_wall_time(capsys):
    X, y = data.line_100()
    h = gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.gd(0.1), batch_size=10, epochs=120, progress="B = 10")
    out = capsys.readouterr().out
    last = out.split("\r")[-1]
    assert re.fullmatch(r"B = 10 \[#{30}\] epoch 120/120, 1200 steps, wall time: \d+\.\d\d s\n", last)
    assert out.count("\r") == 60 + 1  # a redraw every 2 epochs, and the final line
    assert h.steps == 1200


def test_stopwatch(capsys):
    with Stopwatch("sleep") as sw:
        sum(range(1000))
    assert re.fullmatch(r"sleep: wall time: \d+\.\d\d s\n", capsys.readouterr().out)
    assert sw.seconds > 0
    with Stopwatch() as quiet:
        pass
    assert capsys.readouterr().out == "" and quiet.seconds >= 0


def test_loss_surface_of_a_line_fit():
    X, y = data.line_100()
    s = surfaces.loss_surface(gdlib.mse, X, y)
    np.testing.assert_allclose(s.minima[0], gdlib.least_squares(X, y))
    assert s.xlim[0] < 0 < s.minima[0][0] < s.xlim[1]
    assert gdlib.grad_error(s.value, s.grad, np.array([1.0, 2.0])) < 1e-7
    assert s.value(np.zeros((3, 4, 2))).shape == (3, 4)
    h = gdlib.minimize(s, [0.0, 0.0], gdlib.gd(0.2), 2000)
    np.testing.assert_allclose(h.w, s.minima[0], atol=1e-6)
    with pytest.raises(ValueError, match="X must have 2 columns"):
        surfaces.loss_surface(gdlib.mse, np.ones((5, 3)), np.ones(5))


def test_badly_scaled_data():
    X, y = data.badly_scaled()
    assert X.shape == (200, 2) and X[:, 0].max() < 1 and 50 < X[:, 1].max() < 100
    np.testing.assert_allclose(gdlib.least_squares(X, y), [2.0, 0.03], rtol=0.05)
    curvatures = np.linalg.eigvalsh(2 * X.T @ X / len(y))
    assert curvatures[1] / curvatures[0] > 1e3  # no single learning rate suits both weights
