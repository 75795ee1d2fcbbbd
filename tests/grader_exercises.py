"""Two exercises for the grader's tests, independent of the book's chapters (chapters change; these don't).

``python -m gdlib.homework grade ... --exercises grader_exercises`` grades them,
with this folder on PYTHONPATH. Each case has its own fixed setting (``lr``,
``h``), so that a test submission can misbehave on exactly one case.
"""

import numpy as np

from gdlib.check.core import Exercise, rounded

LRS = [0.1, 0.5, 1.0, 0.01]
STEPS = [1e-3, 1e-4, 1e-5]


def square(x):
    return x * x


def cube(x):
    return x**3


shrink_step = Exercise(
    "shrink_step",
    lambda rng: [{"w": w, "g": g, "lr": lr} for lr in LRS for w, g in [rounded(rng, (3,), (3,))]],
    lambda w, g, lr: w - lr * g,
    "move against the gradient, by lr times it.")

numerical_slope = Exercise(
    "numerical_slope",
    lambda rng: [{"f": f, "x": float(np.round(rng.normal(), 3)), "h": h}
                 for f, h in zip([square, cube, cube], STEPS, strict=True)],
    lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h),
    "a centred difference: f a step h to the right, minus a step to the left, over 2h.",
    same=lambda expected, got: bool(np.isclose(got, expected, rtol=1e-9, atol=0)) if np.ndim(got) == 0 else False)
