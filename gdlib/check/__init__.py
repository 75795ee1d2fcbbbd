"""Self-checks for the coding exercises: ``gdlib.check.momentum_step(momentum_step)``.

Each check calls the learner's function on several cases, compares with gdlib's
own reference, and prints one short verdict: passed, "not yet implemented", or
the first failing case with expected and actual values and a hint. A check never
raises, whatever the function does (a case is stopped after ``TIME_LIMIT``
seconds), and records its outcome in ``results``.

Every check is an ``Exercise`` (``gdlib.check.core``: its cases, reference,
comparison and hint), defined in the module of its chapter; ``EXERCISES``
lists them all by name.
"""

from .ch01 import forward_grad, mae_grad
from .ch02 import standardize, steps_to_tolerance
from .ch03 import noise_ball, noise_free_distance
from .ch04 import noise_covariance, stationary_floor
from .ch05 import momentum_rate, nesterov_step, sutskever_step
from .ch06 import centered_rmsprop_step, full_adagrad_step
from .ch07 import adamw_step, amsgrad_step
from .ch08 import adamax_step, gd_steps
from .core import TIME_LIMIT, Exercise, Result, results

EXERCISES: dict[str, Exercise] = {e.name: e for e in globals().copy().values() if isinstance(e, Exercise)}


def passed(name: str) -> bool:
    """Whether the latest run of the check ``name`` in this kernel passed every case."""
    result = results.get(name)
    return result is not None and result.passed == result.total


__all__ = [  # one line per chapter, so that chapters change their own line only
    "EXERCISES", "TIME_LIMIT", "Exercise", "Result", "passed", "results",
    "forward_grad", "mae_grad",  # chapter 1
    "standardize", "steps_to_tolerance",  # chapter 2
    "noise_ball", "noise_free_distance",  # chapter 3
    "noise_covariance", "stationary_floor",  # chapter 4
    "momentum_rate", "nesterov_step", "sutskever_step",  # chapter 5
    "centered_rmsprop_step", "full_adagrad_step",  # chapter 6
    "adamw_step", "amsgrad_step",  # chapter 7
    "adamax_step", "gd_steps",  # chapter 8
]
