"""Homework without a server: student editions of the chapters, a grader no submission can fool or harm.

    python -m gdlib.homework release book --out student     # student editions + manifest
    python -m gdlib.homework grade submissions --csv grades.csv [--jobs 4] [--sandbox]
    python -m gdlib.homework nbgrader book/05_momentum.ipynb --out course/source/ps5

One file per job: ``chapter`` reads chapters, ``release`` writes student
editions, ``plan`` says what the teacher grades, ``grader`` grades one
submission through ``kernel`` (the student's kernel), ``driver`` and ``wire``
(what travels between them), ``processes`` ends process trees, ``batch`` grades
folders, ``report`` writes tables and CSV, ``nbgrader`` writes nbgrader source
notebooks, ``cli`` is the command line. The teacher's page of the book explains
what the grader guarantees.
"""

from __future__ import annotations

from pathlib import Path

from .chapter import BEGIN, CHECK_CALL, END, NotANotebook, exercises, prepare, read
from .grader import Settings
from .plan import MANIFEST, Plan, UsageError, plan_for, teacher_plans
from .release import CODE_STUB, TEXT_STUB, release, student_edition


def grade(path, manifest: Path | None = None, book: Path | None = None, chapter: str | None = None,
          **settings) -> dict:
    """Grade one notebook file in this process and return its report.

    ``settings`` are the fields of ``gdlib.homework.grader.Settings``: ``timeout``,
    ``call_timeout``, ``seed``, ``sandbox``, ``memory_mb``, ``exercises``, ``hide``.
    """
    from . import grader, plan, processes

    path = Path(path)
    known = plan.registry(list(settings.get("exercises", ())))
    chosen = plan_for(path.name, teacher_plans(manifest, book, known), chapter)
    processes.become_subreaper()
    return grader.grade(path.name, path.read_bytes(), chosen, Settings(**settings))


__all__ = ["BEGIN", "CHECK_CALL", "CODE_STUB", "END", "MANIFEST", "NotANotebook", "Plan", "Settings", "TEXT_STUB",
           "UsageError", "exercises", "grade", "prepare", "read", "release", "student_edition"]
