"""Self-checks for the coding exercises: ``gdlib.check.momentum_step(momentum_step)``.

Each check calls the learner's function on several cases, compares with gdlib's
own reference, and prints one short verdict: passed, "not yet implemented", or
the first failing case with expected and actual values and a hint. A check never
raises, whatever the function does (a case is stopped after ``TIME_LIMIT``
seconds), and records its outcome in :data:`results`.

Every check is an :class:`~gdlib.check.core.Exercise` (its cases, reference,
comparison and hint), defined in the module of its chapter; :data:`EXERCISES`
lists them all by name.
"""

from .ch01 import mse_grad, numerical_grad
from .ch02 import descend, max_stable_lr
from .ch03 import decayed_lr, sgd_epoch
from .ch04 import minibatch_grad, minibatches
from .ch05 import heavy_ball_step, momentum_step
from .ch06 import adagrad_step, rmsprop_step
from .ch07 import adam_step, uncorrected_adam_step
from .ch08 import adamax_step, gd_steps
from .core import TIME_LIMIT, Exercise, Result, results

EXERCISES: dict[str, Exercise] = {e.name: e for e in globals().copy().values() if isinstance(e, Exercise)}


def passed(name: str) -> bool:
    """Whether the latest run of the check ``name`` in this kernel passed every case."""
    result = results.get(name)
    return result is not None and result.passed == result.total


__all__ = [
    "EXERCISES", "TIME_LIMIT", "Exercise", "Result", "passed", "results",
    "mse_grad", "numerical_grad", "descend", "max_stable_lr", "decayed_lr", "sgd_epoch", "minibatch_grad",
    "minibatches", "heavy_ball_step", "momentum_step", "adagrad_step", "rmsprop_step", "adam_step",
    "uncorrected_adam_step", "gd_steps", "adamax_step",
]
