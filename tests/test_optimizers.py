"""Optimizers: first steps by hand, purity, convergence, and bad hyperparameters."""

import math

import numpy as np
import pytest

import gdlib
from gdlib import surfaces

W = np.array([1.0, -2.0])
G1 = np.array([0.5, -4.0])
G2 = np.array([-1.0, 2.0])


def two_steps(opt, w=W, grads=(G1, G2)):
    state = opt.init(w)
    path = []
    for g in grads:
        w, state = opt.step(w, g, state)
        path.append(w)
    return path, state


def test_gd_steps_by_hand():
    (w1, w2), _ = two_steps(gdlib.gd(0.1))
    np.testing.assert_allclose(w1, [1.0 - 0.05, -2.0 + 0.4])
    np.testing.assert_allclose(w2, [0.95 + 0.1, -1.6 - 0.2])


def test_momentum_steps_by_hand():
    (w1, w2), state = two_steps(gdlib.momentum(0.1, beta=0.9))
    v1 = 0.1 * G1  # (1 - beta) g_1, since v_0 = 0
    np.testing.assert_allclose(w1, W - 0.1 * v1)
    v2 = 0.9 * v1 + 0.1 * G2
    np.testing.assert_allclose(w2, w1 - 0.1 * v2)
    np.testing.assert_allclose(state.v, v2)


def test_momentum_with_beta_zero_is_gd():
    path_m, _ = two_steps(gdlib.momentum(0.1, beta=0.0))
    path_g, _ = two_steps(gdlib.gd(0.1))
    np.testing.assert_allclose(path_m, path_g)


def test_rmsprop_steps_by_hand():
    (w1, w2), state = two_steps(gdlib.rmsprop(0.01, beta=0.9, eps=1e-8))
    s1 = 0.1 * G1**2
    np.testing.assert_allclose(w1, W - 0.01 * G1 / (np.sqrt(s1) + 1e-8))
    # the first step moves every weight by about lr / sqrt(1 - beta), whatever the gradient's size
    np.testing.assert_allclose(np.abs(w1 - W), 0.01 / math.sqrt(0.1), rtol=1e-6)
    s2 = 0.9 * s1 + 0.1 * G2**2
    np.testing.assert_allclose(w2, w1 - 0.01 * G2 / (np.sqrt(s2) + 1e-8))
    np.testing.assert_allclose(state.s, s2)


def test_rmsprop_eps_sits_outside_the_root():
    opt = gdlib.rmsprop(1.0, beta=0.0, eps=1.0)
    w, _ = opt.step(np.array([0.0]), np.array([4.0]), opt.init(np.array([0.0])))
    assert w[0] == pytest.approx(-4.0 / (4.0 + 1.0))  # not -4 / sqrt(16 + 1) = -0.970


def test_adam_steps_by_hand():
    (w1, w2), state = two_steps(gdlib.adam(0.001, beta1=0.9, beta2=0.999, eps=1e-8))
    m1, s1 = 0.1 * G1, 0.001 * G1**2
    m_hat, s_hat = m1 / 0.1, s1 / 0.001  # bias correction with t = 1 undoes the zero start
    np.testing.assert_allclose(w1, W - 0.001 * m_hat / (np.sqrt(s_hat) + 1e-8))
    np.testing.assert_allclose(w1, W - 0.001 * np.sign(G1), rtol=1e-6)
    m2, s2 = 0.9 * m1 + 0.1 * G2, 0.999 * s1 + 0.001 * G2**2
    m_hat, s_hat = m2 / (1 - 0.9**2), s2 / (1 - 0.999**2)
    np.testing.assert_allclose(w2, w1 - 0.001 * m_hat / (np.sqrt(s_hat) + 1e-8))
    assert state.t == 2


def test_adam_defaults():
    assert gdlib.adam().hyperparams == {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    assert gdlib.momentum(0.1).hyperparams["beta"] == 0.9
    assert gdlib.rmsprop(0.1).hyperparams == {"lr": 0.1, "beta": 0.9, "eps": 1e-8}


OPTIMIZERS = [gdlib.gd(0.1), gdlib.momentum(0.1), gdlib.rmsprop(0.01), gdlib.adam(0.01)]


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=repr)
def test_step_is_pure(opt):
    w, g = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -0.5], [1.0, 2.0]])  # any shape
    _, state = opt.step(w, g, opt.init(w))  # a state with non-zero memory
    copies = [w.copy(), g.copy(), [np.copy(x) for x in state]]
    new_w, new_state = opt.step(w, g, state)
    np.testing.assert_array_equal(w, copies[0])
    np.testing.assert_array_equal(g, copies[1])
    for before, after in zip(copies[2], state, strict=True):
        np.testing.assert_array_equal(before, after)
    assert new_w.shape == w.shape
    assert not np.shares_memory(new_w, w)
    for before, after in zip(state, new_state, strict=True):
        assert before is not after


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=repr)
def test_step_rejects_a_gradient_of_another_shape(opt):
    w = np.zeros(3)
    with pytest.raises(ValueError, match=r"grad has shape \(2,\) but w has shape \(3,\)"):
        opt.step(w, np.zeros(2), opt.init(w))


QUADRATIC = [
    ("gd", gdlib.gd(0.15), 300),
    ("momentum", gdlib.momentum(0.15, beta=0.9), 300),
    ("rmsprop", gdlib.rmsprop(0.01, beta=0.9), 600),
    ("adam", gdlib.adam(0.05), 600),
]


@pytest.mark.parametrize(("name", "opt", "steps"), QUADRATIC, ids=[c[0] for c in QUADRATIC])
def test_converges_on_a_quadratic(name, opt, steps):
    h = gdlib.minimize(surfaces.quadratic((1.0, 10.0), angle=30), [1.5, -1.0], opt, steps)
    assert not h.diverged
    assert np.linalg.norm(h.w) < 1e-2, name


ROSENBROCK = [
    ("gd", gdlib.gd(0.001), 20000, 0.05),
    ("momentum", gdlib.momentum(0.002, beta=0.9), 20000, 0.05),
    ("rmsprop", gdlib.rmsprop(0.001, beta=0.9), 20000, 0.05),
    ("adam", gdlib.adam(0.02), 5000, 0.05),
]


@pytest.mark.parametrize(("name", "opt", "steps", "tol"), ROSENBROCK, ids=[c[0] for c in ROSENBROCK])
def test_converges_on_rosenbrock(name, opt, steps, tol):
    h = gdlib.minimize(surfaces.rosenbrock(), [-1.2, 1.0], opt, steps)
    assert not h.diverged
    assert np.linalg.norm(h.w - [1.0, 1.0]) < tol, (name, h.w)


@pytest.mark.parametrize("factory", [gdlib.gd, gdlib.momentum, gdlib.rmsprop, gdlib.adam])
@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rate(factory, lr):
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0"):
        factory(lr)


@pytest.mark.parametrize("lr", ["0.1", None, True, [0.1]])
def test_learning_rate_of_the_wrong_type(lr):
    with pytest.raises(TypeError, match=r"lr must be a number"):
        gdlib.gd(lr)


@pytest.mark.parametrize("beta", [-0.1, 1.0, 1.5, float("nan")])
def test_bad_beta(beta):
    with pytest.raises(ValueError, match=r"beta must be in \[0, 1\)"):
        gdlib.momentum(0.1, beta=beta)
    with pytest.raises(ValueError, match=r"beta must be in \[0, 1\)"):
        gdlib.rmsprop(0.1, beta=beta)
    with pytest.raises(ValueError, match=r"beta1 must be in \[0, 1\)"):
        gdlib.adam(0.1, beta1=beta)
    with pytest.raises(ValueError, match=r"beta2 must be in \[0, 1\)"):
        gdlib.adam(0.1, beta2=beta)


@pytest.mark.parametrize("eps", [0, -1e-8, float("inf")])
def test_bad_eps(eps):
    with pytest.raises(ValueError, match=r"eps must be a finite number > 0"):
        gdlib.rmsprop(0.1, eps=eps)
    with pytest.raises(ValueError, match=r"eps must be a finite number > 0"):
        gdlib.adam(0.1, eps=eps)


def test_repr_names_the_hyperparameters():
    assert repr(gdlib.momentum(0.05, beta=0.5)) == "momentum(lr=0.05, beta=0.5)"
    assert gdlib.rmsprop(0.2).lr == 0.2


def test_nesterov_step_by_hand():
    opt = gdlib.momentum(0.1, beta=0.9, nesterov=True)
    w1, state = opt.step(W, G1, opt.init(W))
    v1 = 0.1 * G1
    np.testing.assert_allclose(w1, W - 0.1 * (0.9 * v1 + 0.1 * G1))
    np.testing.assert_allclose(state.v, v1)
    assert repr(opt) == "momentum(lr=0.1, beta=0.9, nesterov=True)"


def test_adagrad_steps_by_hand():
    (w1, w2), state = two_steps(gdlib.adagrad(0.1, eps=1e-8))
    s1 = G1**2
    np.testing.assert_allclose(w1, W - 0.1 * G1 / (np.sqrt(s1) + 1e-8))
    np.testing.assert_allclose(w2, w1 - 0.1 * G2 / (np.sqrt(s1 + G2**2) + 1e-8))
    np.testing.assert_allclose(state.s, G1**2 + G2**2)


def test_nesterov_and_adagrad_converge():
    q = surfaces.quadratic((1.0, 10.0), angle=30)
    assert np.linalg.norm(gdlib.minimize(q, [1.5, -1.0], gdlib.momentum(0.15, nesterov=True), 300).w) < 1e-2
    assert np.linalg.norm(gdlib.minimize(q, [1.5, -1.0], gdlib.adagrad(0.5), 2000).w) < 1e-2
    h = gdlib.minimize(surfaces.rosenbrock(), [-1.2, 1.0], gdlib.momentum(0.002, nesterov=True), 20000)
    assert np.linalg.norm(h.w - [1.0, 1.0]) < 0.05
    h = gdlib.minimize(surfaces.rosenbrock(), [-1.2, 1.0], gdlib.adagrad(0.5), 20000)
    assert np.linalg.norm(h.w - [1.0, 1.0]) < 0.05
