"""How a self-check works: an :class:`Exercise` describes the test, :meth:`Exercise.__call__` runs it.

An exercise is data, not a procedure: its cases (drawn from a random generator,
so a grader can draw fresh ones), the reference that computes the right answer
for a case, the comparison that decides whether an answer is right, and a hint.
A learner's self-check calls the function on cases drawn with the fixed seed
``SEED`` and prints a verdict. The grader (:mod:`gdlib.homework`) uses the same
description in a process of its own: it draws cases with a secret seed, sends
them to the student's kernel, gets back only what the function returned (an
:class:`Outcome` per case), and judges with :func:`verdict`, the function the
self-check uses too, so both give the same message for the same answers.
"""

from __future__ import annotations

import copy
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

TIME_LIMIT = 5.0  # seconds per case
SEED = 0  # the cases a learner's self-check uses


@dataclass
class Result:
    """How one exercise went: ``passed`` of ``total`` cases, and the verdict printed."""

    name: str
    passed: int
    total: int
    message: str


results: dict[str, Result] = {}  #: the latest result of every check run in this kernel


def same(expected, got, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Do two answers agree? Arrays and numbers to a relative ``rtol``; tuples and lists entry by entry."""
    if isinstance(expected, (tuple, list)):
        return isinstance(got, (tuple, list)) and len(got) == len(expected) and all(
            same(e, g, rtol, atol) for e, g in zip(expected, got, strict=True))
    got = _real(got)
    if got is None:
        return False
    expected = np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def _real(value):
    """``value`` as a float array, or None: text, objects and complex numbers with an imaginary part are not."""
    try:
        array = np.asarray(value)
        if np.iscomplexobj(array):  # casting would drop the imaginary part silently
            return array.real.astype(float) if not np.any(array.imag) else None
        return array.astype(float)
    except (TypeError, ValueError):
        return None


def _complex(value) -> bool:
    try:
        return bool(np.iscomplexobj(np.asarray(value)))
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Exercise:
    """A coding exercise's test: ``gdlib.check.<name>(function)`` runs it.

    Attributes
    ----------
    name : str
        The name of the function the learner writes.
    cases : callable
        ``cases(rng) -> list of dict``: the inputs, argument name -> value. Every
        draw has the same number of cases, of the same kinds; only values differ.
    reference : callable
        ``reference(**case)``: the right answer.
    hint : str
        Printed with the first failing case: where to look, not the answer.
    same : callable
        ``same(expected, got) -> bool``: whether an answer is right.
    """

    name: str
    cases: Callable[[np.random.Generator], list[dict]]
    reference: Callable
    hint: str
    same: Callable = field(default=same)

    @property
    def points(self) -> int:
        """One point per case."""
        return len(self.cases(np.random.default_rng(SEED)))

    def __call__(self, fn) -> None:
        """Run ``fn`` on this exercise's cases and print one verdict (never raises)."""
        _report(self.name, *_verdict(self, fn, self.cases(np.random.default_rng(SEED))))


def _report(name, passed, total, message) -> None:
    results[name] = Result(name, passed, total, message)
    print(message)


class _TimeUp(Exception):
    pass


def _raise_time_up(signum, frame):
    raise _TimeUp


def _call(fn, args: dict):
    """Call ``fn(**args)``, stopped after TIME_LIMIT seconds where a timer is available."""
    timer = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not timer:
        return fn(*args.values())
    previous = signal.signal(signal.SIGALRM, _raise_time_up)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return fn(*args.values())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    """What one call of the learner's function did, wherever it ran (this kernel or a grader's).

    Exactly one of: it returned ``value`` (and changed the array argument named
    ``changed`` in place, if any), raised an exception described by ``error``
    (``"ValueError: ..."``), raised ``NotImplementedError``, ran past the time
    limit, or something else went wrong, said by ``problem`` ("crashed the kernel").
    """

    value: object = None
    error: str = ""
    not_implemented: bool = False
    timed_out: bool = False
    changed: str = ""
    problem: str = ""


def missing(name: str) -> str:
    """The verdict on an exercise whose function does not exist."""
    return (f"{name}: no function named {name} was found; define it with def {name}(...), "
            "keeping exactly this name, and run its cell.")


def not_a_function(name: str, what: str) -> str:
    """The verdict on an exercise whose name holds something else, described by ``what``."""
    return f"{name}: expected a function, got {what}. Define it with def."


def verdict(exercise: Exercise, cases: list[dict], outcomes: list[Outcome], limit: float) -> tuple[int, int, str]:
    """(cases passed, cases, message) from what the function did on each case.

    The reference answers are computed here, in the calling process; ``outcomes``
    may stop early (after "not implemented"), and the missing ones count as failed.
    """
    name, total = exercise.name, len(cases)
    passed, failure = 0, None
    for i, (case, outcome) in enumerate(zip(cases, outcomes, strict=False), start=1):
        if outcome.not_implemented:
            return 0, total, f"{name}: not yet implemented (replace `raise NotImplementedError()` with your code)."
        if outcome.problem:
            problem = outcome.problem
        elif outcome.timed_out:
            problem = f"did not finish within {limit:g} s (an endless loop?)"
        elif outcome.error:
            problem = f"raised {outcome.error}"
        elif outcome.changed:
            problem = (f"changed its argument {outcome.changed} in place; compute a new array instead (even "
                       "adding h to an entry and subtracting it again may not give back the same number)")
        else:
            expected = exercise.reference(**copy.deepcopy(case))
            try:
                right = bool(exercise.same(expected, outcome.value))
            except Exception:  # an answer so odd that the comparison fails is a wrong answer
                right = False
            if right:
                passed += 1
                continue
            problem = (f"returned the wrong value\n  expected: {show(expected)}\n  got:      {show(outcome.value)}"
                       + _unseen_difference(expected, outcome.value))
        if failure is None:
            inputs = ", ".join(f"{k}={show(v)}" for k, v in case.items())
            failure = f"{name}: case {i} of {total} failed: it {problem}\n  inputs:   {inputs}\n  hint: {exercise.hint}"
    return passed, total, failure or f"{name}: passed all {total} cases."


def _unseen_difference(expected, got) -> str:
    """A note for what a wrong answer's printout may hide: a wrong shape, or digits not shown."""
    same_kind = isinstance(expected, (tuple, list)) and isinstance(got, (tuple, list)) and len(expected) == len(got)
    pairs = list(zip(expected, got, strict=True)) if same_kind else [(expected, got)]
    largest = 0.0
    for want, have in pairs:
        if _real(have) is None and _complex(have):
            return "\n  note:     it is a complex number; the answer is real"
        want, have = _real(want), _real(have)
        if want is None or have is None:
            return ""
        if want.shape != have.shape:
            return f"\n  note:     it has shape {have.shape} where shape {want.shape} is expected"
        scale = np.maximum(np.abs(want), 1e-300)
        largest = max(largest, float(np.max(np.abs(have - want) / scale, initial=0.0)))
    if show(expected) != show(got):
        return ""
    return f"\n  note:     they differ in digits not shown: largest relative difference {largest:.1e}"


def _outcome(fn, case: dict) -> Outcome:
    """Call ``fn`` on a copy of ``case`` in this process and say what happened."""
    args = copy.deepcopy(case)
    try:
        got = _call(fn, args)
    except NotImplementedError:
        return Outcome(not_implemented=True)
    except _TimeUp:
        return Outcome(timed_out=True)
    except (Exception, SystemExit) as error:  # a check reports every error; it never raises
        return Outcome(error=f"{type(error).__name__}: {error}")
    changed = [k for k, v in case.items() if isinstance(v, np.ndarray) and not np.array_equal(args[k], v)]
    return Outcome(value=got, changed=changed[0] if changed else "")


def _verdict(exercise: Exercise, fn, cases: list[dict]) -> tuple[int, int, str]:
    """(cases passed, cases, message) for ``fn`` on ``cases``."""
    if fn is None:
        return 0, len(cases), missing(exercise.name)
    if not callable(fn):
        return 0, len(cases), not_a_function(exercise.name, show(fn))
    outcomes = []
    for case in cases:
        outcomes.append(_outcome(fn, case))
        if outcomes[-1].not_implemented:
            break
    return verdict(exercise, cases, outcomes, TIME_LIMIT)


def show(value) -> str:
    """A value as a self-check prints it: short, rounded, functions by name."""
    if isinstance(value, np.random.Generator):
        return "a seeded numpy Generator"
    if isinstance(value, (tuple, list)) and type(value) not in (tuple, list):
        return repr(value)  # a described value, such as the batches a right answer has
    if callable(value):
        return getattr(value, "__name__", "a function")
    if isinstance(value, (tuple, list)):
        inner = ", ".join(map(show, value))
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    with np.printoptions(precision=6, suppress=True, threshold=12):
        return str(value) if isinstance(value, np.ndarray) else repr(value)


def rounded(rng: np.random.Generator, *shapes) -> list[np.ndarray]:
    """Normal arrays of the given shapes, rounded to 3 decimals so that messages stay short."""
    return [np.round(rng.normal(size=s), 3) for s in shapes]
