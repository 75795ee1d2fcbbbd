"""Reading a chapter: its exercises, nbgrader's metadata, and the strict reading of any notebook file.

A chapter's coding exercises keep their solutions between nbgrader's markers
``### BEGIN SOLUTION`` and ``### END SOLUTION`` and are checked by a cell
calling ``gdlib.check.<name>(<name>)``; written answers sit in ``{solution}``
blocks of MyST markdown.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

from .. import check

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
TEXT_STUB = "**Your answer:** *write it here.*"
CHECK_CALL = re.compile(r"gdlib\.check\.(\w+)\(")
FENCE = re.compile(r"^(?P<fence>:{3,}|`{3,})\{(?P<name>exercise|solution)(?P<gate>-start|-end)?\}\s*(?P<arg>.*)$")
MAX_BYTES = 64 * 2**20  # a notebook larger than this is not a homework submission


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
    """The exercises of a teacher's notebook: self-check names of coding ones, labels of written answers."""
    coding, written = [], []
    for cell in nb["cells"]:  # plain dicts (from load) or nbformat's nodes
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "code":
            # only self-checks count: gdlib.check.passed(...) or a typo is not an exercise
            coding += [name for name in CHECK_CALL.findall(cell["source"])
                       if name in check.EXERCISES and name not in coding]
        elif nbgrader.get("solution"):
            written.append(nbgrader["grade_id"])
        else:
            written += [_label_of(block) for kind, block in _blocks(cell["source"]) if kind == "solution"]
    return {"coding": coding, "written": written}


def prepare(nb):
    """Make a chapter usable as it is by nbgrader; called by ``tools/run_notebooks.py``.

    Every solution gets a cell of its own with nbgrader's metadata: code between
    the markers as an autograded answer; a ``{solution}`` block, or text inside
    a coding exercise's solution (the answer to a follow-up question), as an
    answer graded by hand. The notebook records its self-checks for
    :func:`grade`. Running it twice changes nothing.
    """
    import nbformat

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


class NotANotebook(Exception):
    """The file cannot be read as a Jupyter notebook that the grader can run."""


def read(path: Path, data: bytes | None = None):
    """:func:`load` as nbformat's notebook (version 4, current minor version)."""
    import nbformat

    raw = load(path, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as error:  # nbformat raises many kinds; each means "not a notebook"
        raise NotANotebook(f"{path}: not a gradable notebook ({str(error).splitlines()[0]})") from None


def load(path: Path, data: bytes | None = None) -> dict:
    """Read a notebook strictly (from ``data``, the file's bytes, if given) or raise :class:`NotANotebook`.

    Whatever the file holds (``{}``, a cell without ``source``, binary data,
    gigabytes), the error is one line that names the file and the problem.
    """
    path = Path(path)
    try:
        data = path.read_bytes() if data is None else data
    except OSError as error:
        raise NotANotebook(f"{path}: cannot read it ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:
        raise NotANotebook(f"{path}: not a gradable notebook (larger than {MAX_BYTES // 2**20} MiB)")
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise NotANotebook(f"{path}: not a gradable notebook (not UTF-8 text)") from None
    except (ValueError, RecursionError) as error:
        raise NotANotebook(f"{path}: not a gradable notebook (not JSON: {str(error).splitlines()[0]})") from None
    problem = _shape_problem(raw)
    if problem:
        raise NotANotebook(f"{path}: not a gradable notebook ({problem})")
    for cell in raw["cells"]:
        cell["source"] = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell.setdefault("metadata", {})
    raw.setdefault("metadata", {})
    if not isinstance(raw["metadata"], dict):
        raise NotANotebook(f"{path}: not a gradable notebook (its metadata is not a mapping)")
    return raw


def _shape_problem(raw) -> str:
    """What makes ``raw`` (parsed JSON) unusable as a version 4 notebook, or ``""``."""
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        return "it has no list of cells"
    if raw.get("nbformat") != 4:
        return f"nbformat {raw.get('nbformat')!r}, expected 4"
    for i, cell in enumerate(raw["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            return f"cell {i} is not a code, markdown or raw cell"
        source = cell.get("source")
        if not (isinstance(source, str) or isinstance(source, list) and all(isinstance(s, str) for s in source)):
            return f"cell {i} has no source text"
        if not isinstance(cell.get("metadata", {}), dict):
            return f"cell {i} has no metadata"
    return ""
