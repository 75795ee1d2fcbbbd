"""Self-checks of chapter 6, RMSProp."""


from .. import optimizers
from .ch05 import step_cases
from .core import Exercise


def _rmsprop_step(w, g, s, lr, beta, eps):
    new_w, state = optimizers.rmsprop(lr, beta, eps).step(w, g, optimizers.RMSPropState(s))
    return new_w, state.s


rmsprop_step = Exercise(
    "rmsprop_step",
    lambda rng: [{**case, "s": case["s"] ** 2} for case in step_cases(
        rng, [{"s": "zero", "lr": 0.01, "beta": 0.9, "eps": 1e-8}, {"lr": 0.01, "beta": 0.9, "eps": 1e-8},
              {"lr": 0.1, "beta": 0.5, "eps": 0.1}], "s")],
    _rmsprop_step,
    "update the mean square first; eps goes outside the square root.")


def _adagrad_step(w, g, s, lr, eps):
    new_w, state = optimizers.adagrad(lr, eps).step(w, g, optimizers.RMSPropState(s))
    return new_w, state.s


adagrad_step = Exercise(
    "adagrad_step",
    lambda rng: [{**case, "s": case["s"] ** 2} for case in step_cases(
        rng, [{"s": "zero", "lr": 0.1, "eps": 1e-8}, {"lr": 0.1, "eps": 1e-8}, {"lr": 1.0, "eps": 0.5}], "s")],
    _adagrad_step,
    "Adagrad's s is a running sum of squared gradients, with no decay.")


