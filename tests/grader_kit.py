"""What the grader's tests share: a small chapter of their own, its manifest, submissions, and the grader run."""

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from gdlib import homework

TESTS = Path(__file__).resolve().parent
CHAPTER = "07_toy.ipynb"
POINTS = {"shrink_step": 4, "numerical_slope": 3}

SHRINK = '''def shrink_step(w, g, lr):
    """One step against the gradient."""
    ### BEGIN SOLUTION
    return w - lr * g
    ### END SOLUTION'''

SLOPE = '''def numerical_slope(f, x, h):
    ### BEGIN SOLUTION
    return (f(x + h) - f(x - h)) / (2 * h)
    ### END SOLUTION'''

# Right answers written independently of the chapter's solutions.
HONEST_SHRINK = '''def shrink_step(w, g, lr):
    return np.array([wi - lr * gi for wi, gi in zip(w, g)])'''
HONEST_SLOPE = '''def numerical_slope(f, x, h):
    right, left = f(x + h), f(x - h)
    return (right - left) / (h + h)'''


def toy_chapter() -> nbformat.NotebookNode:
    """The teacher's copy: two coding exercises with self-checks, one written exercise."""
    def gated(title, label):
        return new_markdown_cell(f"```{{exercise-start}} {title}\n:label: {label}\n```\n\nWrite it.\n\n"
                                 f"```{{exercise-end}}\n```\n\n```{{solution-start}} {label}\n:class: dropdown\n```")

    end = "```{solution-end}\n```"
    return homework.prepare(new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        cells=[new_markdown_cell("# A toy chapter"),
               new_code_cell("import numpy as np\nimport grader_exercises as checks"),
               gated("Shrink", "ex-toy-shrink"), new_code_cell(SHRINK), new_markdown_cell(end),
               new_code_cell("checks.shrink_step(shrink_step)"),
               gated("Slope", "ex-toy-slope"), new_code_cell(SLOPE), new_markdown_cell(end),
               new_code_cell("checks.numerical_slope(numerical_slope)"),
               new_markdown_cell(":::{exercise} Why\n:label: ex-toy-why\n\nWhy 2h?\n:::\n\n"
                                 ":::{solution} ex-toy-why\n:class: dropdown\n\nThe points are 2h apart.\n:::")]))


def manifest(folder: Path) -> Path:
    """The manifest a teacher writes for exercises of their own module."""
    path = folder / homework.MANIFEST
    coding = [{"name": n, "points": p} for n, p in POINTS.items()]
    path.write_text(json.dumps({"format": "gdlib-homework/1", "notebooks": {
        CHAPTER: {"chapter": CHAPTER, "coding": coding, "written": ["ex-toy-why"]}}}))
    return path


def student() -> nbformat.NotebookNode:
    return homework.student_edition(toy_chapter())


def solved(shrink: str = HONEST_SHRINK, slope: str | None = HONEST_SLOPE, checks: bool = True):
    """The student edition with its two solution cells replaced (``slope=None`` deletes that cell).

    ``checks=False`` deletes the self-check cells too (they would run the functions once more).
    """
    nb = student()
    cells = []
    for cell in nb.cells:
        if not checks and cell.source.startswith("checks."):
            continue
        if cell.cell_type == "code" and cell.source.startswith("def shrink_step"):
            cell.source = shrink
        elif cell.cell_type == "code" and cell.source.startswith("def numerical_slope"):
            if slope is None:
                continue
            cell.source = slope
        cells.append(cell)
    nb.cells = cells
    return nb


def appended(nb, *sources: str) -> nbformat.NotebookNode:
    nb.cells += [new_code_cell(s) for s in sources]
    return nb


def write_all(folder: Path, submissions: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in submissions.items():
        path = folder / f"{name}-{CHAPTER}"
        path.write_bytes(nb) if isinstance(nb, bytes) else nbformat.write(nb, path)


def run(tmp: Path, target: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The grader's command line, with grading folders under ``tmp``/t (so that its kernels are findable)."""
    (tmp / "t").mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
           "TMPDIR": str(tmp / "t")}
    return subprocess.run([sys.executable, "-m", "gdlib.homework", "grade", str(target), *args],
                          capture_output=True, text=True, env=env, timeout=timeout, cwd=tmp)


def options(tmp: Path, *extra: str) -> list[str]:
    return ["--manifest", str(manifest(tmp)), "--exercises", "grader_exercises", "--seed", "11",
            "--timeout", "5", "--call-timeout", "1", *extra]


def digest(folder: Path) -> str:
    """A hash of every file's path and bytes below ``folder``."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def survivors(*marks: str, wait: float = 0.5) -> list[str]:
    """Command lines of live processes that mention any of ``marks`` (zombies excluded)."""
    time.sleep(wait)
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and any(mark in cmdline for mark in marks):
            found.append(cmdline)
    return found


def by_name(reports: list[dict]) -> dict:
    """Reports by submission kind (the file name before the chapter's)."""
    return {r["notebook"].removesuffix(f"-{CHAPTER}"): r for r in reports}


def points(report: dict) -> dict:
    return {e["name"]: e["points"] for e in report["exercises"]}
