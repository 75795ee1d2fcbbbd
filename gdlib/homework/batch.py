"""Grading many submissions: snapshot them all first, then one process per submission, N at a time.

Every file is read into memory before any student code runs, so a submission
that writes to another one's file (possible without the sandbox) cannot change
what is graded. Each submission is graded in a worker process of its own,
``python -m gdlib.homework _worker``, a child subreaper that ends its
submission's whole process tree before it prints the report on its stdout
(the kernel's output goes to /dev/null, never there).
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from . import grader, processes
from .chapter import NotANotebook, load
from .plan import Plan, UsageError, plan_for


def notebooks(path: Path) -> list[Path]:
    """The notebooks to grade: ``path`` itself, or every .ipynb below the folder ``path``."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*.ipynb")
                      if not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not path.exists():
        raise NotANotebook(f"{path}: no such file or folder")
    return [path]


def grade_all(path: Path, plans, settings: grader.Settings, chapter: str | None = None,
              jobs: int = 1) -> tuple[list[dict], list[dict]]:
    """(reports, errors) for every notebook at ``path``; an error is {"notebook", "error"} of one line."""
    path = Path(path)
    root = path if path.is_dir() else path.parent
    work, errors = [], []
    for file in notebooks(path):
        name = file.relative_to(root).as_posix()
        try:
            data = file.read_bytes()
            load(Path(name), data)
            work.append((name, data, plan_for(name, plans, chapter)))
        except OSError as error:
            errors.append({"notebook": name, "error": f"{name}: cannot read it ({error.strerror or error})"})
        except (NotANotebook, UsageError) as error:
            errors.append({"notebook": name, "error": str(error)})
    if jobs <= 1:
        reports = [_in_process(item, settings) for item in work]
    else:
        before = frozenset(processes.descendants())
        with ThreadPoolExecutor(jobs) as pool:
            reports = list(pool.map(lambda item: _in_worker(item, settings), work))
        processes.end_descendants(before)  # the workers are gone: anything new was orphaned to us
    for item, report in zip(work, reports, strict=True):
        if "error" in report:
            errors.append({"notebook": item[0], "error": report["error"]})
    return [r for r in reports if "error" not in r], errors


def _in_process(item, settings: grader.Settings) -> dict:
    name, data, plan = item
    try:
        return grader.grade(name, data, plan, settings)
    except NotANotebook as error:
        return {"error": str(error)}


def _in_worker(item, settings: grader.Settings) -> dict:
    name, data, plan = item
    job = {"name": name, "data": base64.b64encode(data).decode(), "plan": plan.to_json(),
           "settings": asdict(settings)}
    done = subprocess.run([sys.executable, "-m", "gdlib.homework", "_worker"], input=json.dumps(job),
                          capture_output=True, text=True)
    try:
        report = json.loads(done.stdout)
        assert isinstance(report, dict)
        return report
    except (ValueError, AssertionError):
        last = (done.stderr.strip().split("\n") or [""])[-1][:200]
        return {"error": f"{name}: the grader's worker failed (exit {done.returncode}: {last})"}


def worker() -> int:
    """Grade the job on stdin (see :func:`_in_worker`) and print its report as JSON."""
    processes.become_subreaper()
    job = json.loads(sys.stdin.read())
    entry = job["plan"]
    plan = Plan(entry["chapter"], {e["name"]: e["points"] for e in entry["coding"]}, entry["written"])
    settings = grader.Settings(**{k: tuple(v) if isinstance(v, list) else v for k, v in job["settings"].items()})
    report = _in_process((job["name"], base64.b64decode(job["data"]), plan), settings)
    processes.end_descendants()
    sys.stdout.write(json.dumps(report))
    return 0
