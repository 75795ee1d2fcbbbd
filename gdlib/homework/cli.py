"""The command line: ``python -m gdlib.homework release|grade|nbgrader``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import batch, grader, nbgrader, processes, report
from .chapter import NotANotebook
from .kernel import bwrap
from .plan import MANIFEST, UsageError, registry, teacher_plans
from .release import release

USAGE = """\
    python -m gdlib.homework release book --out student          # student editions and their manifest
    python -m gdlib.homework grade alice.ipynb --manifest student/gdlib-homework.json
    python -m gdlib.homework grade submissions --csv grades.csv --jobs 4 --sandbox
    python -m gdlib.homework nbgrader book/05_momentum.ipynb --out course/source/ps5

Exit codes: 0 graded (whatever the students' code did), 2 a file that is not a
gradable notebook or a usage error (one line on stderr each).
"""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m gdlib.homework", description=USAGE,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = top.add_subparsers(dest="command", required=True, metavar="{release,grade,nbgrader}")
    rel = commands.add_parser("release", help="write student editions (solutions stubbed, outputs cleared) "
                                              "and the manifest gdlib-homework.json")
    rel.add_argument("src", type=Path, help="a chapter notebook, or a folder such as book")
    rel.add_argument("--out", type=Path, required=True, help="folder for the student editions")
    gra = commands.add_parser("grade", help="grade a submission, or every notebook in a folder")
    gra.add_argument("path", type=Path, help="a submitted notebook, or a folder of them (never modified)")
    gra.add_argument("--json", action="store_true", help="print JSON instead of tables")
    gra.add_argument("--csv", type=Path, help="also write one row per notebook and exercise to this file")
    gra.add_argument("--jobs", type=int, default=1, help="submissions graded at once (default 1)")
    gra.add_argument("--timeout", type=float, default=60.0, help="seconds per cell of a submission (default 60)")
    gra.add_argument("--call-timeout", type=float, default=grader.Settings.call_timeout,
                     help=f"seconds per call of a student's function (default {grader.Settings.call_timeout:g})")
    gra.add_argument("--seed", type=int, help="draw the cases with this seed (default: a new secret one)")
    gra.add_argument("--sandbox", action="store_true", help="run each kernel under bubblewrap: read-only system, "
                                                            "no network, only its own folder writable")
    gra.add_argument("--memory", type=int, default=4096, help="MiB of memory per kernel, 0 for no limit "
                                                              "(default 4096)")
    gra.add_argument("--manifest", type=Path, help="the gdlib-homework.json that release wrote (default: "
                                                   "the teacher's copies in --book)")
    gra.add_argument("--book", type=Path, help="folder of the teacher's chapters (default: this repository's book)")
    gra.add_argument("--chapter", help="the chapter every submission answers, such as 05_momentum "
                                       "(default: matched by file name)")
    gra.add_argument("--exercises", action="append", default=[], metavar="MODULE",
                     help="a module of your own Exercise objects to grade (repeatable)")
    nbg = commands.add_parser("nbgrader", help="write nbgrader source notebooks: plain markdown, "
                                               "solution and answer cells, locked hidden tests")
    nbg.add_argument("src", type=Path, help="a chapter notebook")
    nbg.add_argument("--out", type=Path, required=True, help="folder, such as course/source/ps5")
    nbg.add_argument("--seed", type=int, default=2024, help="seed of the hidden tests' inputs (default 2024)")
    nbg.add_argument("--exercises", action="append", default=[], metavar="MODULE",
                     help="a module of your own Exercise objects that the chapter checks (repeatable)")
    commands.add_parser("_worker", help=argparse.SUPPRESS)
    return top


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args = top.parse_args(argv)
    try:
        if args.command == "_worker":
            return batch.worker()
        if args.command == "release":
            if not args.src.exists():
                raise NotANotebook(f"{args.src}: no such file or folder")
            for target in release(args.src, args.out):
                print(f"wrote {target}")
            print(f"wrote {args.out / MANIFEST} (what grade --manifest grades)")
            return 0
        if args.command == "nbgrader":
            for target in nbgrader.write_source(args.src, args.out, args.seed, tuple(args.exercises)):
                print(f"wrote {target}")
            return 0
        return _grade(args)
    except (NotANotebook, UsageError) as error:
        print(f"{top.prog} {args.command}: {error}", file=sys.stderr)
        return 2


def _grade(args) -> int:
    if args.sandbox and (not sys.platform.startswith("linux") or bwrap() is None):
        raise UsageError("--sandbox needs bubblewrap on Linux: install it (Debian and Ubuntu: apt-get install "
                         "bubblewrap), or grade without --sandbox in an account that holds nothing else")
    if args.jobs < 1 or args.timeout <= 0 or args.call_timeout <= 0 or args.memory < 0:
        raise UsageError("--jobs, --timeout and --call-timeout must be positive, --memory 0 or more")
    known = registry(args.exercises)
    plans = teacher_plans(args.manifest, args.book, known)
    folder = args.path if args.path.is_dir() else args.path.parent
    settings = grader.Settings(timeout=args.timeout, call_timeout=args.call_timeout, seed=args.seed,
                               sandbox=args.sandbox, memory_mb=args.memory, exercises=tuple(args.exercises),
                               hide=(str(folder.resolve()),))
    processes.become_subreaper()
    reports, errors = batch.grade_all(args.path, plans, settings, args.chapter, args.jobs)
    # Every kernel has ended: only now are the reports written, by this process alone.
    if args.csv:
        report.write_csv(args.csv, reports, errors)
    if args.json:
        out = reports[0] if args.path.is_file() and reports else {"reports": reports, "errors": errors}
        if args.path.is_file() and errors:
            out = None
        text = "" if out is None else json.dumps(out, indent=2) + "\n"
    else:
        text = "".join(report.table(r) + "\n\n" for r in reports).rstrip("\n") + ("\n" if reports else "")
    sys.stdout.write(text)
    sys.stdout.flush()
    for error in errors:
        print(f"python -m gdlib.homework grade: {error['error']}", file=sys.stderr)
    return 2 if errors else 0
