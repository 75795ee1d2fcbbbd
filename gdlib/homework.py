"""Homework without a server: student editions of the chapters, and a grader.

    python -m gdlib.homework release book --out student      # a folder or one notebook
    python -m gdlib.homework grade submitted.ipynb [--json] [--timeout 60]

A chapter's coding exercises keep their solutions between nbgrader's markers
``### BEGIN SOLUTION`` and ``### END SOLUTION`` and are checked by a cell
calling ``gdlib.check.<name>(<name>)``; written answers sit in ``{solution}``
blocks. ``release`` replaces every solution by a stub and clears the outputs.
``grade`` runs a submission in a fresh kernel, cell by cell with a time limit,
then runs every self-check itself on the student's functions, and prints a
score table. It exits with 0 whatever the submission does; only a file that is
not a readable notebook gets an error and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
from pathlib import Path

import nbformat

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
TEXT_STUB = "**Your answer:** *write it here.*"
CHECK_CALL = re.compile(r"gdlib\.check\.(\w+)\(")
FENCE = re.compile(r"^(?P<fence>:{3,}|`{3,})\{(?P<name>exercise|solution)(?P<gate>-start|-end)?\}\s*(?P<arg>.*)$")
TIMEOUT_ERROR = {"ename": "CellTimeout", "evalue": "the cell ran past the time limit", "traceback": []}


# Reading a chapter --------------------------------------------------------------------------

def _blocks(text: str):
    """Split markdown into (kind, lines) pieces: kind is None for plain text, else the directive."""
    lines, pieces, i = text.split("\n"), [], 0
    while i < len(lines):
        m = FENCE.match(lines[i].strip())
        if not m:
            pieces.append((None, [lines[i]]))
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].strip() != m["fence"]:
            end += 1
        pieces.append((m["name"] + (m["gate"] or ""), lines[i:end + 1]))
        i = end + 1
    return pieces


def _label_of(block: list[str]) -> str:
    m = FENCE.match(block[0].strip())
    if m["name"] == "solution":
        return m["arg"].strip()
    return next((line.split(":label:", 1)[1].strip() for line in block if ":label:" in line), "")


def exercises(nb) -> dict:
    """The exercises of a notebook: self-check names of coding ones, labels of written answers."""
    coding, written = [], []
    for cell in nb.cells:
        if cell.cell_type == "code":
            coding += [name for name in CHECK_CALL.findall(cell.source) if name not in coding]
        elif cell.metadata.get("nbgrader", {}).get("solution"):
            written.append(cell.metadata["nbgrader"]["grade_id"])
        else:
            written += [_label_of(block) for kind, block in _blocks(cell.source) if kind == "solution"]
    return {"coding": coding, "written": written}


def prepare(nb):
    """Make a chapter usable as it is by nbgrader; called by ``tools/run_notebooks.py``.

    Every solution gets a cell of its own with nbgrader's metadata: code between
    the markers as an autograded answer; a ``{solution}`` block, or text inside
    a coding exercise's solution (the answer to a follow-up question), as an
    answer graded by hand. The notebook records its self-checks for
    :func:`grade`. Running it twice changes nothing.
    """
    cells, label, gated, used = [], None, False, set()

    def unique(grade_id):  # nbgrader needs a different grade_id in every graded or solution cell
        n, candidate = 1, grade_id
        while candidate in used:
            n, candidate = n + 1, f"{grade_id}-{n + 1}"
        used.add(candidate)
        return candidate

    for cell in nb.cells:
        if cell.cell_type != "markdown":
            if cell.cell_type == "code" and (BEGIN in cell.source or gated):  # all code in a solution
                cell.metadata["nbgrader"] = _nbgrader(unique(label or "solution"), graded=False)
            cells.append(cell)
            continue
        parts = []  # (text, label of the answer it is, or None)
        for kind, block in _blocks(cell.source):
            if kind in ("solution-start", "solution"):
                label = _label_of(block)
            gated = {"solution-start": True, "solution-end": False}.get(kind, gated)
            answer = label if kind == "solution" else f"{label}-answer" if kind is None and gated else None
            if parts and parts[-1][1] == answer and kind != "solution":
                parts[-1] = (parts[-1][0] + block, answer)
            else:
                parts.append((list(block), answer))
        parts = [("\n".join(lines).strip("\n"), answer) for lines, answer in parts]
        for n, (source, answer) in enumerate(p for p in parts if p[0].strip()):
            new = nbformat.from_dict({**cell, "source": source, "metadata": dict(cell.metadata)})
            new.metadata.pop("nbgrader", None)
            if n:
                new["id"] = f"{cell.get('id', 'cell')}-{n}"
            if answer:
                new.metadata["nbgrader"] = _nbgrader(unique(answer), graded=True)
            cells.append(new)
    nb.cells = cells
    nb.metadata["gdlib"] = {"exercises": exercises(nb)["coding"]}
    return nb


def _nbgrader(grade_id: str, graded: bool) -> dict:
    meta = {"grade": graded, "grade_id": grade_id, "locked": False, "schema_version": 3, "solution": True,
            "task": False}
    return {**meta, "points": 1} if graded else meta


# Student editions ---------------------------------------------------------------------------

def _stub_code(source: str) -> str:
    out, inside = [], False
    for line in source.split("\n"):
        if line.strip() == BEGIN:
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + stub for stub in CODE_STUB]
        elif line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def _student_markdown(source: str) -> str:
    out = []
    for kind, block in _blocks(source):
        if kind is None:
            out += block
        elif kind == "solution":
            out.append(TEXT_STUB)
        elif kind in ("exercise", "exercise-start"):
            title = FENCE.match(block[0].strip())["arg"].strip()
            body = [line for line in block[1:-1] if not re.match(r"^\s*:\w+:", line)] if kind == "exercise" else []
            out += [f"**Exercise: {title}**" if title else "**Exercise**", ""] + body
        # solution-start, solution-end and exercise-end only steer the book's layout: dropped
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


def student_edition(nb):
    """A copy of ``nb`` with every solution replaced by a stub and no outputs.

    As nbgrader does: a solution cell's code between the markers, or all of it
    if it has none, becomes a stub, and a written answer a place for the student's own.
    """
    nb = prepare(nbformat.from_dict(nb))
    cells = []
    for cell in nb.cells:
        solution = cell.metadata.get("nbgrader", {}).get("solution", False)
        if cell.cell_type == "code":
            stubbed = _stub_code(cell.source) if BEGIN in cell.source else "\n".join(CODE_STUB)
            cell.source = stubbed if solution else cell.source
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = TEXT_STUB if solution else _student_markdown(cell.source)
        if cell.source.strip():
            cells.append(cell)
    nb.cells = cells
    return nb


def release(src: Path, out: Path) -> list[Path]:
    """Write the student edition of ``src`` (a notebook, or every notebook in a folder) into ``out``."""
    src, out = Path(src), Path(out)
    if src.is_dir():
        pairs = [(p, out / p.relative_to(src)) for p in sorted(src.rglob("*.ipynb"))
                 if ".ipynb_checkpoints" not in p.parts]
    else:
        pairs = [(src, out / src.name)]
    for source, target in pairs:
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(student_edition(_read(source)), target)
    return [target for _, target in pairs]


# Grading ------------------------------------------------------------------------------------

def _grader_cell(names: list[str], results: Path) -> str:
    """The cell appended to a submission: it runs every self-check and saves the results."""
    return "\n".join([
        "import importlib as _importlib, json as _json",
        "import gdlib.check as _check",
        "_check = _importlib.reload(_check)  # fresh results, whatever the notebook did to the module",
        f"for _name in {names!r}:",
        "    getattr(_check, _name)(globals().get(_name))",
        f"with open({str(results)!r}, 'w') as _file:",
        "    _json.dump({_k: vars(_r) for _k, _r in _check.results.items()}, _file)",
    ])


def _run(nb, path: Path, timeout: float) -> list[str]:
    """Execute ``nb`` cell by cell; return notes on what went wrong.

    A cell that runs past ``timeout`` is interrupted. If the kernel then stays
    busy, or if a cell kills it, a new kernel re-runs the cells before the culprit
    (so that their definitions exist again) and carries on after it.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # an abandoned kernel's pending reads
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    skipped, notes, replies = set(), [], {}

    def remember(cell, cell_index, execute_reply):
        replies[cell_index] = execute_reply["content"]

    def timed_out(index):
        return replies.get(index, {}).get("ename") == TIMEOUT_ERROR["ename"]

    fresh = True
    while fresh:
        fresh = False
        client = NotebookClient(nb, timeout=int(timeout), kernel_name="python3", allow_errors=True,
                                interrupt_on_timeout=True, error_on_timeout=TIMEOUT_ERROR,
                                on_cell_executed=remember,
                                resources={"metadata": {"path": str(path.parent.resolve())}})
        with client.setup_kernel():
            for index in [i for i in code if i not in skipped]:
                try:
                    client.execute_cell(nb.cells[index], index)
                except DeadKernelError:
                    notes.append(f"cell {index} crashed the kernel: skipped it and ran the rest in a new kernel")
                    skipped.add(index)
                    fresh = True
                    break
                if timed_out(index):
                    if not _responds(client, remember):
                        notes.append(f"cell {index} ran past {timeout:g} s and ignored the interrupt: "
                                     "skipped it and ran the rest in a new kernel")
                        skipped.add(index)
                        fresh = True
                        break
                    notes.append(f"cell {index} ran past {timeout:g} s and was interrupted")
    notes += [f"cell {i} raised {replies[i]['ename']}" for i in code[:-1]
              if replies.get(i, {}).get("status") == "error" and not timed_out(i) and i not in skipped]
    return notes


def _responds(client, remember) -> bool:
    """After an interrupt: does the kernel run a trivial cell within 5 seconds?"""
    nb, limit = client.nb, client.timeout
    nb.cells.append(nbformat.v4.new_code_cell("pass"))  # its own slot: execute_cell stores the cell back
    client.timeout = 5
    try:
        client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
        return client.nb.cells[-1].execution_count is not None and not any(
            o.get("output_type") == "error" for o in nb.cells[-1].outputs)
    finally:
        client.timeout = limit
        nb.cells.pop()


def _max_points(name: str) -> int:
    """How many cases a check has: run it once, quietly, on no function at all."""
    import contextlib
    import io

    from . import check

    with contextlib.redirect_stdout(io.StringIO()):
        getattr(check, name)(None)
    return check.results[name].total


def grade(path, timeout: float = 60.0) -> dict:
    """Run a submission and return ``{"score", "max_score", "exercises": [...], "notes": [...]}``."""
    from . import check

    path = Path(path)
    nb = _read(path)
    meta = nb.metadata.get("gdlib", {}).get("exercises", [])
    names = [n for n in dict.fromkeys(meta + exercises(nb)["coding"]) if callable(getattr(check, n, None))]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with tempfile.TemporaryDirectory() as folder:
        saved = Path(folder) / "results.json"
        nb.cells.append(nbformat.v4.new_code_cell(_grader_cell(names, saved)))
        notes = _run(nb, path, timeout) if names else []
        results = json.loads(saved.read_text()) if saved.exists() else {}
    rows = []
    for name in names:
        result = results.get(name)
        total = _max_points(name)
        if result is None:
            rows.append({"name": name, "points": 0, "max_points": total,
                         "message": "not graded: the notebook did not get as far as the grader"})
        else:
            rows.append({"name": name, "points": result["passed"], "max_points": total,
                         "message": result["message"]})
    return {"notebook": path.name, "score": sum(r["points"] for r in rows),
            "max_score": sum(r["max_points"] for r in rows), "exercises": rows,
            "written": exercises(nb)["written"], "notes": notes}


def _read(path: Path):
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        reason = getattr(error, "strerror", None) or str(error).split("\n")[0] or type(error).__name__
        raise NotANotebook(f"{path} is not a readable notebook ({reason})") from None
    if not isinstance(nb.get("cells"), list):
        raise NotANotebook(f"{path} is not a readable notebook (it has no cells)")
    return nb


class NotANotebook(Exception):
    """The file cannot be read as a Jupyter notebook."""


def _table(report: dict) -> str:
    width = max([len(r["name"]) for r in report["exercises"]] + [8])
    lines = [f"Grading {report['notebook']}", "", f"{'exercise':<{width}}  points  max  message"]
    for r in report["exercises"]:
        first, *rest = r["message"].split("\n")
        lines.append(f"{r['name']:<{width}}  {r['points']:>6}  {r['max_points']:>3}  {first}")
        lines += [" " * (width + 15) + line.strip() for line in rest]
    lines.append(f"{'total':<{width}}  {report['score']:>6}  {report['max_score']:>3}")
    if report["written"]:
        lines.append(f"\nWritten answers to grade by hand: {', '.join(report['written'])}")
    lines += [f"note: {note}" for note in report["notes"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gdlib.homework", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    rel = commands.add_parser("release", help="write student editions: solutions stubbed, outputs cleared")
    rel.add_argument("src", type=Path, help="a chapter notebook, or a folder such as book")
    rel.add_argument("--out", type=Path, required=True, help="folder for the student editions")
    gra = commands.add_parser("grade", help="run a submission and print its score")
    gra.add_argument("notebook", type=Path)
    gra.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    gra.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per cell (default 60)")
    args = parser.parse_args(argv)
    try:
        if args.command == "release":
            if not args.src.exists():
                raise NotANotebook(f"{args.src} does not exist")
            for target in release(args.src, args.out):
                print(f"wrote {target}")
        else:
            report = grade(args.notebook, args.timeout)
            print(json.dumps(report, indent=2) if args.json else _table(report))
    except NotANotebook as error:
        print(f"{parser.prog} {args.command}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
