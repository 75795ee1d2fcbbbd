"""Self-checks of chapter 5, momentum."""

import numpy as np

from .. import optimizers
from .core import Exercise, rounded


def step_cases(rng, settings: list[dict], memory: str) -> list[dict]:
    """Cases for an update rule: random w, g and memory (named ``memory``) plus the given settings.

    A setting whose ``memory`` is ``"zero"`` starts from a zero memory (the first step).
    """
    cases = []
    for setting in settings:
        w, g, m = rounded(rng, (3,), (3,), (3,))
        fresh = setting.get(memory) == "zero"
        cases.append({"w": w, "g": g, memory: np.zeros_like(m) if fresh else m, **{k: v for k, v in setting.items()
                                                                          if k != memory}})
    return cases


def _momentum_step(w, g, v, lr, beta):
    new_w, state = optimizers.momentum(lr, beta).step(w, g, optimizers.MomentumState(v))
    return new_w, state.v


momentum_step = Exercise(
    "momentum_step",
    lambda rng: step_cases(rng, [{"v": "zero", "lr": 0.1, "beta": 0.9}, {"lr": 0.1, "beta": 0.9},
                                 {"lr": 0.5, "beta": 0.0}, {"lr": 0.01, "beta": 0.99}], "v"),
    _momentum_step,
    "update the velocity first, then move the weights with the new velocity.")


def _heavy_ball_step(w, g, v, lr, beta):
    v = beta * v + g
    return w - lr * v, v


heavy_ball_step = Exercise(
    "heavy_ball_step",
    lambda rng: step_cases(rng, [{"v": "zero", "lr": 0.1, "beta": 0.9}, {"lr": 0.1, "beta": 0.9},
                                 {"lr": 0.05, "beta": 0.5}], "v"),
    _heavy_ball_step,
    "the heavy ball adds the whole gradient to the decayed velocity: no (1 - beta) factor.")


