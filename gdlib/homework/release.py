"""Student editions: every solution replaced by a stub, outputs cleared, self-checks kept.

``release`` also writes a manifest, ``gdlib-homework.json``, next to the student
editions: the teacher's record of what each notebook grades (see :mod:`.plan`).
"""

from __future__ import annotations

import re
from pathlib import Path

from . import readable
from .chapter import BEGIN, END, FENCE, _blocks, prepare, read
from .plan import MANIFEST, plan_of, write_manifest

CODE_STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
TEXT_STUB = "**Your answer:** *write it here.*"


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


def _student_markdown(source: str, numbers=None) -> str:
    """A markdown cell for students; ``numbers`` yields "4.3"-like exercise numbers in order (or nothing)."""
    out = []
    for kind, block in _blocks(source):
        if kind is None:
            out += block
        elif kind == "solution":
            out.append(TEXT_STUB)
        elif kind in ("exercise", "exercise-start"):
            title = FENCE.match(block[0].strip())["arg"].strip()
            body = [line for line in block[1:-1] if not re.match(r"^\s*:\w+:", line)] if kind == "exercise" else []
            number = f" {next(numbers)}" if numbers is not None else ""
            out += [f"**Exercise{number}: {title}**" if title else f"**Exercise{number}**", ""] + body
        # solution-start, solution-end and exercise-end only steer the book's layout: dropped
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


def student_edition(nb, name: str | None = None, book: Path | None = None):
    """A copy of ``nb`` with every solution replaced by a stub and no outputs.

    As nbgrader does: a solution cell's code between the markers, or all of it
    if it has none, becomes a stub, and a written answer a place for the student's own.
    Given the notebook's file ``name`` and the ``book`` folder it belongs to, what only
    the book's build resolves is written out (:mod:`.readable`): figure captions and
    numbers, exercise numbers, references and citations (as plain text).
    """
    import itertools

    import nbformat

    nb = prepare(nbformat.from_dict(nb))
    numbers = None
    if name is not None and book is not None:
        bib = Path(book) / "references.bib"
        cited = readable.authors(bib.read_text()) if bib.exists() else {}
        nb = readable.readable(nb, name, cited, readable.labels(book), references=None)
        prefix = f"{int(name[:2])}." if name[:2].isdigit() else ""
        numbers = (f"{prefix}{n}" for n in itertools.count(1))
    cells = []
    for cell in nb.cells:
        solution = cell.metadata.get("nbgrader", {}).get("solution", False)
        if cell.cell_type == "code":
            stubbed = _stub_code(cell.source) if BEGIN in cell.source else "\n".join(CODE_STUB)
            cell.source = stubbed if solution else cell.source
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = TEXT_STUB if solution else _student_markdown(cell.source, numbers)
        if cell.source.strip():
            cells.append(cell)
    nb.cells = cells
    return nb


def release(src: Path, out: Path) -> list[Path]:
    """Write the student edition of ``src`` (a notebook, or every notebook in a folder) into ``out``.

    The manifest ``out/gdlib-homework.json`` gets an entry per notebook (entries
    of notebooks released earlier into ``out`` stay).
    """
    import nbformat

    src, out = Path(src), Path(out)
    if src.is_dir():
        pairs = [(p, out / p.relative_to(src)) for p in sorted(src.rglob("*.ipynb"))
                 if ".ipynb_checkpoints" not in p.parts]
    else:
        pairs = [(src, out / src.name)]
    plans = {}
    for source, target in pairs:
        nb = read(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(student_edition(nb, source.name, source.parent), target)
        plans[target.relative_to(out).as_posix()] = plan_of(prepare(nb), source.name)
    write_manifest(out / MANIFEST, plans)
    return [target for _, target in pairs]
