"""Grading one submission: the student's code runs in its kernel, every judgement is made here.

The grader draws each exercise's cases with a seed of its own, computes the
references itself, sends only the inputs to the kernel, reads back the raw
answers strictly (:mod:`.wire`) and judges them with the exercise's own
comparison (:func:`gdlib.check.core.verdict`). What the student's code does to
its own process (patching gdlib, numpy, json, the grader's helper) cannot change
a score: the only way to score is to return right answers.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..check import core
from . import driver, wire
from .chapter import CHECK_CALL, load
from .kernel import Kernel, KernelError
from .plan import Plan, registry

MAX_KERNELS = 5  # kernels per submission: the first and four restarts after a crash or a stuck call
DRIVER = f"{Path(wire.__file__).read_text()}\n{Path(driver.__file__).read_text()}"
INSTALL = ("__gdlib_grader__ = {{'__name__': '__gdlib_grader__'}}\n"
           "exec(compile({source!r}, '<gdlib grader>', 'exec'), __gdlib_grader__)\n"
           "__gdlib_grader__['install'](globals())")


@dataclass(frozen=True)
class Settings:
    """How to grade: time limits in seconds, the seed (None: a secret one), the sandbox, a memory limit."""

    timeout: float = 60.0
    call_timeout: float = 2 * core.TIME_LIMIT
    seed: int | None = None
    sandbox: bool = False
    memory_mb: int = 4096
    exercises: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()


def grade(name: str, data: bytes, plan: Plan, settings: Settings = Settings()) -> dict:
    """Grade the notebook ``data`` (named ``name``) on the exercises of ``plan``; return the report."""
    start = time.monotonic()
    nb = load(Path(name), data)  # NotANotebook for anything that is not a gradable notebook
    known = registry(list(settings.exercises))
    seed = settings.seed if settings.seed is not None else secrets.randbits(63)
    cells = [(i, c["source"]) for i, c in enumerate(nb["cells"], start=1)
             if c["cell_type"] == "code" and c["source"].strip()]
    notes = _extras(nb, plan, known)
    with tempfile.TemporaryDirectory(prefix="gdlib-grade-", dir=_short_temp()) as folder:
        work = Path(folder) / "work"
        work.mkdir()
        (work / Path(name).name).write_bytes(data)  # the submission's own copy, in its own folder
        session = _Session(cells, settings, Path(folder), work, notes)
        try:
            rows = [_exercise(session, known[n], points, seed, settings) for n, points in plan.coding.items()]
        finally:
            session.end()
    score = sum(r["points"] for r in rows)
    return {"notebook": name, "chapter": plan.chapter, "score": _round(score),
            "max_score": _round(sum(r["max_points"] for r in rows)), "exercises": rows,
            "written": list(plan.written), "notes": notes, "seed": seed,
            "seconds": round(time.monotonic() - start, 1)}


def _short_temp() -> str:
    """Where grading folders go: the usual place, unless its path is too long for Unix socket names."""
    usual = tempfile.gettempdir()
    return usual if len(usual) < 60 or not Path("/tmp").is_dir() else "/tmp"


def _round(x: float):
    return int(x) if float(x).is_integer() else round(x, 2)


def _extras(nb, plan: Plan, known: dict) -> list[str]:
    """Notes on exercises the submission checks or claims that the teacher's plan does not grade."""
    found = {n for c in nb["cells"] if c["cell_type"] == "code" for n in CHECK_CALL.findall(c["source"]) if n in known}
    gdlib = nb["metadata"].get("gdlib")
    claimed = gdlib.get("exercises", []) if isinstance(gdlib, dict) else []
    claimed = {str(n)[:60] for n in claimed} if isinstance(claimed, list) else set()
    extra = sorted((found | claimed) - set(plan.coding))
    return [f"ignored: {', '.join(extra)} (not graded in {plan.chapter})"] if extra else []


def _exercise(session: _Session, exercise: core.Exercise, points: float, seed: int, settings: Settings) -> dict:
    """Call the student's function on fresh cases; the row of the report for this exercise."""
    cases = exercise.cases(np.random.default_rng([seed, zlib.crc32(exercise.name.encode())]))
    row = {"name": exercise.name, "max_points": _round(points)}
    try:
        modules = ("gdlib.check",) + settings.exercises
        payloads = [wire.encode(case, modules) for case in cases]
    except wire.WireError as error:
        return {**row, "points": 0, "message": f"{exercise.name}: cannot be graded outside the kernel ({error})"}
    outcomes = []
    for case, payload in zip(cases, payloads, strict=True):
        outcome = session.call(exercise.name, {"case": payload, "modules": list(modules)}, case)
        if isinstance(outcome, str):  # no such function, or not a function: no case can pass
            return {**row, "points": 0, "message": outcome}
        outcomes.append(outcome)
        if outcome.not_implemented:
            break
    passed, total, message = core.verdict(exercise, cases, outcomes, settings.call_timeout)
    return {**row, "points": _round(min(points, points * passed / max(total, 1))), "message": message}


class _Session:
    """The submission's kernel, brought back after a crash: a new kernel re-runs the cells, then grading goes on."""

    def __init__(self, cells, settings: Settings, folder: Path, work: Path, notes: list[str]):
        self.cells, self.settings, self.notes = cells, settings, notes
        self.kernel = Kernel(folder, work, settings.sandbox, settings.memory_mb, tuple(map(Path, settings.hide)))
        self.started, self.skipped, self.ready = 0, set(), False

    def _start(self) -> bool:
        """A kernel that has run the submission's cells and holds the driver; False if none can be had."""
        while not self.ready:
            if self.started >= MAX_KERNELS:
                return False
            self.kernel.stop()
            self.started += 1
            try:
                self.kernel.start(self.started)
            except KernelError as error:
                self.notes.append(f"{error}; nothing could be graded")
                self.started = MAX_KERNELS
                return False
            self.ready = self._run_cells()
        return True

    def _run_cells(self) -> bool:
        first = self.started == 1
        for number, source in self.cells:
            if number in self.skipped:
                continue
            status, reply = self.kernel.execute(source, self.settings.timeout)
            if status in ("stuck", "dead"):
                self.skipped.add(number)
                what = "crashed the kernel" if status == "dead" else \
                    f"ran past {self.settings.timeout:g} s and ignored the interrupt"
                self.notes.append(f"{_cell(number, source)} {what}: skipped it, and ran the rest in a new kernel")
                return False
            if status == "timeout":
                self.skipped.add(number)
                self.notes.append(f"{_cell(number, source)} ran past {self.settings.timeout:g} s and was "
                                  "interrupted: skipped")
            elif status == "error" and first:
                self.notes.append(f"{_cell(number, source)} raised {_ename(reply)}")
        status, _ = self.kernel.execute(INSTALL.format(source=DRIVER), 30)
        return status == "ok"

    def call(self, name: str, request: dict, case: dict) -> core.Outcome | str:
        """One call of the student's function on ``case``: its outcome, or the verdict when there is no function."""
        import json

        if not self._start():
            return core.Outcome(problem=f"was not run: the grader gave up after {MAX_KERNELS} kernels")
        code = f"__gdlib_grader__['call']({name!r}, {json.dumps(request)!r})"
        status, reply = self.kernel.execute(code, self.settings.call_timeout,
                                            {"answer": "__gdlib_grader__['answer']"})
        if status in ("stuck", "dead"):
            self.ready = False  # the next call gets a new kernel
            if status == "dead":
                return core.Outcome(problem="crashed the kernel (os._exit, a crash, or too much memory)")
            return core.Outcome(timed_out=True)
        if status == "timeout":
            return core.Outcome(timed_out=True)
        return _outcome(name, reply, case)

    def end(self) -> None:
        self.kernel.stop()


def _outcome(name: str, reply: dict, case: dict) -> core.Outcome | str:
    """Read the driver's answer, strictly; anything unexpected is a failed case."""
    unreadable = core.Outcome(problem="returned nothing the grader could read")
    try:
        answer = reply["user_expressions"]["answer"]["data"]["application/json"]
        assert isinstance(answer, dict) and len(answer) <= 2
    except (KeyError, TypeError, AssertionError):
        return unreadable
    if answer.get("missing") is True:
        return core.missing(name)
    if isinstance(answer.get("not_function"), str):
        return core.not_a_function(name, f"an object of type {_clean(answer['not_function'])}")
    if answer.get("not_implemented") is True:
        return core.Outcome(not_implemented=True)
    if isinstance(answer.get("raised"), str):
        message = answer.get("message") if isinstance(answer.get("message"), str) else ""
        return core.Outcome(error=f"{_clean(answer['raised'])}: {_clean(message, 300)}".rstrip(": "))
    try:
        value = wire.decode(answer["result"])
        after = {k: wire.decode(v) for k, v in answer["after"].items() if k in case}
    except (KeyError, TypeError, AttributeError, wire.WireError):
        return unreadable
    changed = [k for k, v in case.items() if isinstance(v, np.ndarray) and k in after and not _same_array(v, after[k])]
    return core.Outcome(value=value, changed=changed[0] if changed else "")


def _same_array(sent: np.ndarray, back) -> bool:
    return isinstance(back, np.ndarray) and back.shape == sent.shape and bool(np.array_equal(back, sent))


def _clean(text: str, limit: int = 80) -> str:
    """A string from the kernel, made safe to print on one line (no control characters)."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text)[:limit]


def _ename(reply: dict) -> str:
    return _clean(str(reply.get("ename", "an error")))


def _cell(number: int, source: str) -> str:
    first = source.strip().split("\n")[0]
    return f"cell {number} ({_clean(first, 40)!r})"
