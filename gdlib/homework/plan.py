"""What the teacher grades: the exercises of a chapter and their points, never the submission's word.

A plan comes from the teacher's copy of a chapter (a notebook in ``book/``,
matched to a submission by file name) or from the manifest that ``release``
writes next to the student editions::

    {"format": "gdlib-homework/1",
     "notebooks": {"05_momentum.ipynb": {"chapter": "05_momentum.ipynb",
                                         "coding": [{"name": "momentum_step", "points": 4}, ...],
                                         "written": ["ex-momentum-window", ...]}}}

A teacher may edit a manifest's points to weight an exercise: the score is then
``points * cases passed / cases``.
"""

from __future__ import annotations

import importlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import check
from ..check.core import Exercise
from .chapter import NotANotebook, exercises, prepare, read

MANIFEST = "gdlib-homework.json"
FORMAT = "gdlib-homework/1"
BOOK = Path(__file__).resolve().parents[2] / "book"  # the teacher's copies, in a clone of the repository


class UsageError(Exception):
    """The grader was asked something it cannot do (a missing chapter, a broken manifest)."""


@dataclass
class Plan:
    """The graded exercises of one chapter: ``coding`` maps name -> points; ``written`` lists labels."""

    chapter: str
    coding: dict[str, float] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"chapter": self.chapter, "coding": [{"name": n, "points": p} for n, p in self.coding.items()],
                "written": self.written}


def registry(modules: list[str] = ()) -> dict[str, Exercise]:
    """Every exercise the grader knows: gdlib's self-checks and those of the teacher's own ``modules``."""
    found = dict(check.EXERCISES)
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError as error:
            raise UsageError(f"--exercises {name}: cannot import it ({error})") from None
        found.update({e.name: e for e in vars(module).values() if isinstance(e, Exercise)})
    return found


def plan_of(nb, chapter: str) -> Plan:
    """The plan of a teacher's notebook: its self-checks, one point per case, and its written answers."""
    found = exercises(nb)
    return Plan(chapter, {name: check.EXERCISES[name].points for name in found["coding"]}, found["written"])


def write_manifest(path: Path, plans: dict[str, Plan]) -> None:
    """Add ``plans`` (student edition's relative path -> plan) to the manifest at ``path``, atomically."""
    entries = {}
    if path.exists():
        entries = json.loads(path.read_text()).get("notebooks", {})
    entries.update({name: plan.to_json() for name, plan in plans.items()})
    write_atomically(path, json.dumps({"format": FORMAT, "notebooks": entries}, indent=2) + "\n")


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` in one step: a reader sees the old file or the whole new one."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_manifest(path: Path, known: dict[str, Exercise]) -> dict[str, Plan]:
    """The plans of a manifest, checked: every exercise known, every point count a positive number."""
    try:
        raw = json.loads(Path(path).read_text())
        assert raw["format"] == FORMAT
        plans = {}
        for name, entry in raw["notebooks"].items():
            coding = {e["name"]: e["points"] for e in entry["coding"]}
            assert all(type(p) in (int, float) and p > 0 for p in coding.values())
            assert all(isinstance(label, str) for label in entry["written"])
            plans[name] = Plan(entry.get("chapter", Path(name).name), coding, list(entry["written"]))
    except (OSError, ValueError, KeyError, TypeError, AssertionError, AttributeError):
        raise UsageError(f"{path} is not a manifest written by `release` (format {FORMAT})") from None
    unknown = sorted({n for plan in plans.values() for n in plan.coding if n not in known})
    if unknown:
        raise UsageError(f"{path} grades exercises this gdlib does not have: {', '.join(unknown)} "
                         "(pass --exercises for a module of your own)")
    return plans


def teacher_plans(manifest: Path | None, book: Path | None, known: dict[str, Exercise]) -> dict[str, Plan] | Path:
    """The manifest's plans, or the folder of teacher's copies to read plans from on demand."""
    if manifest is not None:
        return load_manifest(manifest, known)
    book = Path(book) if book is not None else BOOK
    if not book.is_dir():
        raise UsageError(f"no teacher's copies in {book}: pass --manifest student/{MANIFEST} or --book DIR")
    return book


def plan_for(name: str, plans: dict[str, Plan] | Path, chapter: str | None = None) -> Plan:
    """The plan for a submission file called ``name``: by ``chapter`` if given, else by file name.

    A chapter matches when its file name is the submission's, or when its stem
    appears in the submission's name (``alice-05_momentum.ipynb``); the longest wins.
    """
    if isinstance(plans, Path):
        names = sorted(p.name for p in plans.glob("*.ipynb"))
    else:
        names = sorted(plans)
    wanted = Path(chapter or name).name
    wanted = wanted if wanted.endswith(".ipynb") else wanted + ".ipynb"
    by_base = {Path(n).name: n for n in names}
    match = by_base.get(wanted)
    if match is None and chapter is None:
        inside = sorted((n for n in by_base if Path(n).stem in Path(name).stem), key=len)
        match = by_base[inside[-1]] if inside else None
    if match is None:
        source = plans if isinstance(plans, Path) else "the manifest"
        raise UsageError(f"{name}: no chapter of {source} matches this name; name the file after a chapter "
                         "(such as 05_momentum.ipynb) or pass --chapter")
    if isinstance(plans, Path):
        try:
            return plan_of(prepare(read(plans / match)), match)
        except NotANotebook as error:
            raise UsageError(f"the teacher's copy {error}") from None
    return plans[match]
