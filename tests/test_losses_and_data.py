"""The MSE loss, the data sets, the surfaces, and gradient checks of every analytic gradient."""

import numpy as np
import pytest

import gdlib
from gdlib import data, surfaces

RNG = np.random.default_rng(1)


def test_mse_by_hand():
    X = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    y = np.array([1.0, 2.0, 2.0])
    w = np.array([0.5, 0.5])  # predictions 1, 1.5, 2 -> residuals 0, -0.5, 0
    assert gdlib.mse.value(w, X, y) == pytest.approx(0.25 / 3)
    np.testing.assert_allclose(gdlib.mse.grad(w, X, y), (2 / 3) * np.array([-0.5, -1.0]))
    value, grad = gdlib.mse.value_and_grad(w, X, y)
    assert value == gdlib.mse.value(w, X, y)
    np.testing.assert_array_equal(grad, gdlib.mse.grad(w, X, y))


def test_mse_value_takes_a_stack_of_weights():
    X, y = data.line_100()
    W = RNG.normal(size=(4, 3, 2))
    values = gdlib.mse.value(W, X, y)
    assert values.shape == (4, 3)
    assert values[2, 1] == pytest.approx(gdlib.mse.value(W[2, 1], X, y))


def test_mse_gradient_is_zero_at_least_squares():
    X, y = data.line_100()
    np.testing.assert_allclose(gdlib.mse.grad(gdlib.least_squares(X, y), X, y), 0, atol=1e-10)


@pytest.mark.parametrize("make", [data.line_100, data.line_1000, data.toy])
def test_mse_gradient_check(make):
    X, y = make()
    w = RNG.normal(size=X.shape[1])
    error = gdlib.grad_error(lambda v: gdlib.mse.value(v, X, y), lambda v: gdlib.mse.grad(v, X, y), w)
    assert error < 1e-7


SURFACES = [surfaces.quadratic(), surfaces.quadratic((2.0, 50.0), angle=25), surfaces.rosenbrock(),
            surfaces.saddle(), surfaces.camel()]


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_surface_gradient_check(surface):
    for w in RNG.uniform(-1.5, 1.5, size=(5, 2)):
        assert gdlib.grad_error(surface.value, surface.grad, w) < 1e-7


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_surface_minima_and_saddles_are_stationary(surface):
    for point in surface.minima + surface.saddles:
        np.testing.assert_allclose(surface.grad(np.array(point)), 0, atol=1e-9)
    for point in surface.minima:  # and the minima are minima: every nearby point is higher
        ring = np.array(point) + 1e-3 * np.array([[1, 0], [0, 1], [-1, 0], [0, -1], [1, 1]])
        assert (surface.value(ring) > surface.value(np.array(point))).all()


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_surface_value_and_grad_work_on_grids(surface):
    grid = RNG.normal(size=(3, 4, 2))
    assert surface.value(grid).shape == (3, 4)
    assert surface.grad(grid).shape == (3, 4, 2)
    np.testing.assert_allclose(surface.grad(grid)[1, 2], surface.grad(grid[1, 2]))


def test_quadratic_hessian_and_condition_number():
    q = surfaces.quadratic((1.0, 10.0), angle=30)
    np.testing.assert_allclose(np.linalg.eigvalsh(q.hessian), [1.0, 10.0])
    w = np.array([0.3, -0.7])
    assert q(w) == pytest.approx(0.5 * w @ q.hessian @ w)
    np.testing.assert_allclose(surfaces.quadratic((1.0, 2.0, 3.0)).grad(np.ones(3)), [1.0, 2.0, 3.0])


def test_quadratic_rejects_bad_curvatures():
    with pytest.raises(ValueError, match="curvatures must all be > 0"):
        surfaces.quadratic((1.0, 0.0))
    with pytest.raises(ValueError, match="angle"):
        surfaces.quadratic((1.0, 2.0, 3.0), angle=10)


def test_surface_rejects_a_point_of_the_wrong_size():
    with pytest.raises(ValueError, match=r"w must have shape \(2,\)"):
        surfaces.rosenbrock().value(np.zeros(3))


def test_numerical_grad_of_a_matrix_weight():
    A = RNG.normal(size=(2, 3))
    np.testing.assert_allclose(gdlib.numerical_grad(lambda W: np.sum(A * W**2), np.ones((2, 3))), 2 * A, atol=1e-8)


def test_grad_error_catches_a_wrong_gradient():
    X, y = data.line_100()
    def wrong(w):  # forgets the factor 2
        return (1 / len(y)) * X.T @ (X @ w - y)
    assert gdlib.grad_error(lambda w: gdlib.mse.value(w, X, y), wrong, np.array([1.0, 1.0])) > 0.1


def test_datasets_are_the_source_experiments():
    X, y = data.line_100()
    assert X.shape == (100, 2) and y.shape == (100,)
    assert (X[:, 0] == 1).all() and 0 <= X[:, 1].min() and X[:, 1].max() < 2
    np.testing.assert_allclose(data.least_squares(X, y), [4, 3], atol=0.5)
    X, y = data.line_1000()
    assert X.shape == (1000, 2) and 0 <= X[:, 1].min() and X[:, 1].max() < 1
    np.testing.assert_allclose(data.least_squares(X, y), [2, 3], atol=0.05)
    assert np.std(y - X @ [2, 3]) == pytest.approx(0.1, rel=0.1)
    X, y = data.toy()
    np.testing.assert_array_equal(X[:, 0], [1, 2, 3])
    np.testing.assert_array_equal(y, [2, 4, 6])


def test_datasets_are_seeded():
    np.testing.assert_array_equal(data.line_100(seed=3)[1], data.line_100(seed=3)[1])
    assert not np.array_equal(data.line_100(seed=3)[1], data.line_100(seed=4)[1])
    X, y = data.line(5, 1.0, 2.0, noise=0.0, bias=False)
    assert X.shape == (5, 1)
    np.testing.assert_allclose(y, 1 + 2 * X[:, 0])


def test_mse_shape_errors():
    X, y = data.line_100()
    with pytest.raises(ValueError, match=r"w has shape \(3,\) but X has 2 columns"):
        gdlib.mse.value(np.zeros(3), X, y)
    with pytest.raises(ValueError, match=r"y has 99 entries but X has 100 rows"):
        gdlib.mse.grad(np.zeros(2), X, y[:-1])
    with pytest.raises(ValueError, match=r"X must be a 2-D array"):
        gdlib.mse.value(np.zeros(1), X[:, 1], y)
    with pytest.raises(ValueError, match=r"w has shape \(2, 2\)"):
        gdlib.mse.grad(np.zeros((2, 2)), X, y)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"X contains NaN or infinite values"):
        gdlib.mse.value(np.zeros(2), bad, y)


def test_logistic_by_hand():
    X = np.array([[1.0, 0.0], [1.0, 2.0]])
    y = np.array([0.0, 1.0])
    w = np.array([0.0, 1.0])  # z = (0, 2)
    expected = (np.log(2) + (np.log(1 + np.exp(2)) - 2)) / 2
    assert gdlib.losses.logistic.value(w, X, y) == pytest.approx(expected)
    sigma = 1 / (1 + np.exp(-np.array([0.0, 2.0])))
    np.testing.assert_allclose(gdlib.losses.logistic.grad(w, X, y), X.T @ (sigma - y) / 2)
    assert gdlib.losses.logistic.value(np.array([0.0, 1000.0]), X, y) == pytest.approx(0.5 * np.log(2))  # no overflow


def test_logistic_gradient_check_and_training():
    X, y = data.breast_cancer()
    loss = gdlib.losses.logistic
    w = RNG.normal(size=X.shape[1]) * 0.1
    assert gdlib.grad_error(lambda v: loss.value(v, X, y), lambda v: loss.grad(v, X, y), w) < 1e-7
    h = gdlib.fit(loss, np.zeros(X.shape[1]), X, y, gdlib.gd(0.5), epochs=300)
    assert h.losses[0] == pytest.approx(np.log(2)) and h.losses[-1] < 0.1
    assert ((X @ h.w > 0) == y).mean() > 0.95
    with pytest.raises(ValueError, match="y must hold only 0s and 1s"):
        loss.value(w, X, 2 * y)


def test_two_layer_net_gradient_and_training():
    X, y = data.wave()
    net = gdlib.losses.TwoLayerNet(hidden=6)
    assert net.size(1) == 6 * 3 + 1
    w0 = net.init(1, seed=3)
    W1, b1, w2, b2 = net.unpack(w0, 1)
    assert W1.shape == (6, 1) and b1.shape == w2.shape == (6,) and b2 == 0
    for w in (w0, w0 + RNG.normal(size=w0.shape)):
        assert gdlib.grad_error(lambda v: net.value(v, X, y), lambda v: net.grad(v, X, y), w) < 1e-7
    X2 = RNG.normal(size=(7, 3))
    w = RNG.normal(size=net.size(3))
    assert gdlib.grad_error(lambda v: net.value(v, X2, X2[:, 0]), lambda v: net.grad(v, X2, X2[:, 0]), w) < 1e-7
    h = gdlib.fit(net, w0, X, y, gdlib.adam(0.02), epochs=2000)
    assert h.losses[-1] < 0.05 < h.losses[0]
    with pytest.raises(ValueError, match=r"w0 has shape \(5,\) but a network with 6 hidden units"):
        gdlib.fit(net, np.zeros(5), X, y, gdlib.gd(0.1))


def test_breast_cancer_and_wave_data():
    X, y = data.breast_cancer()
    assert X.shape == (569, 31) and y.sum() == 212 and set(np.unique(y)) == {0.0, 1.0}
    np.testing.assert_allclose(X[:, 0], 1)
    np.testing.assert_allclose(X[:, 1:].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X[:, 1:].std(axis=0), 1)
    raw, _ = data.breast_cancer(standardize=False, bias=False)
    assert raw.shape == (569, 30) and raw.max() == 4254.0
    Xw, yw = data.wave(n=50, seed=1)
    assert Xw.shape == (50, 1) and np.all(np.abs(Xw) <= 2)
    np.testing.assert_allclose(yw, np.sin(2 * Xw[:, 0]), atol=0.4)
