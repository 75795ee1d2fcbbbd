"""nbgrader source notebooks from a chapter: plain markdown, answer cells, and locked hidden tests.

``python -m gdlib.homework nbgrader book/05_momentum.ipynb --out course/source/ps5``
writes a notebook for nbgrader's ``source/`` folder:

- MyST is turned into plain markdown (exercise blocks into bold titles, roles
  into text), so that nbgrader's student version shows no raw markup;
- every worked answer is a "manually graded answer" cell holding the answer,
  which nbgrader replaces by its "YOUR ANSWER HERE" stub (an unchanged stub
  scores 0 automatically);
- after every self-check, a locked "autograder tests" cell worth one point per
  case, whose inputs and expected outputs are literals computed now, from
  gdlib's reference, and hidden from students (``### BEGIN HIDDEN TESTS``). It
  never consults gdlib.check, and compares numbers with plain arithmetic, so no
  flag or patched module in the student's kernel satisfies it. It prints how
  many cases passed, which nbgrader takes as partial credit.
"""

from __future__ import annotations

import copy
import inspect
import re
import textwrap
from pathlib import Path

import numpy as np

from ..check import core
from .chapter import _blocks, prepare, read
from .plan import registry
from .release import _student_markdown

SELF_CHECK = re.compile(r"^\s*[\w.]*\.(\w+)\((\w+)\)\s*$", re.M)
ROLES = [(re.compile(r"\{numref\}`([^`<]*?)\s*<[^`]*>`"), r"\1"),
         (re.compile(r"\{numref\}`([^`]*)`"), r"the figure “\1”"),
         (re.compile(r"\{ref\}`([^`<]*?)\s*<[^`]*>`"), r"\1"), (re.compile(r"\{ref\}`([^`]*)`"), r"section “\1”"),
         (re.compile(r"\{cite:p\}`([^`]*)`"), lambda m: "(" + "; ".join(m[1].split(",")) + ")"),
         (re.compile(r"\{cite:t\}`([^`]*)`"), lambda m: "; ".join(m[1].split(","))),
         (re.compile(r"\{(?:math|eq)\}`([^`]*)`"), r"$\1$"), (re.compile(r"^\([\w-]+\)=\s*$", re.M), "")]


def plain_markdown(source: str) -> str:
    """A chapter's MyST markdown as plain Jupyter markdown."""
    text = _student_markdown(source)
    for pattern, replacement in ROLES:
        text = pattern.sub(replacement, text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _answer(source: str) -> str:
    """The text of a worked answer, without its ``{solution}`` fence and options."""
    lines = []
    for kind, block in _blocks(source):
        body = block[1:-1] if kind == "solution" else block if kind is None else []
        lines += [line for line in body if not re.match(r"^\s*:\w+:", line)]
    return plain_markdown("\n".join(lines))


def source_notebook(nb, seed: int = 2024, modules: tuple[str, ...] = ()):
    """nbgrader's source version of the chapter ``nb`` (see the module's docstring)."""
    import nbformat

    known, cells = registry(list(modules)), []
    for cell in prepare(nbformat.from_dict(nb)).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown":
            cell.source = _answer(cell.source) if meta.get("solution") else plain_markdown(cell.source)
            if not cell.source.strip():
                continue
        elif cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
        names = [a for a, b in SELF_CHECK.findall(cell.source) if a == b and a in known]
        if cell.cell_type == "code" and names:
            cells.append(test_cell(known[names[0]], seed))
    nb = nbformat.from_dict({**nb, "cells": cells})
    nb.metadata.pop("gdlib", None)
    return nb


def write_source(src: Path, out: Path, seed: int = 2024, modules: tuple[str, ...] = ()) -> list[Path]:
    import nbformat

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / Path(src).name
    nbformat.write(source_notebook(read(src), seed, modules), target)
    return [target]


def test_cell(exercise: core.Exercise, seed: int):
    """A locked autograder cell: hidden literal cases of ``exercise``, one point each."""
    import nbformat

    name = exercise.name
    cases = exercise.cases(np.random.default_rng([seed, len(name)]))
    imports = sorted({f"from {v.__module__} import {v.__qualname__}" for c in cases for v in c.values()
                      if callable(v) and not isinstance(v, np.random.Generator)})
    custom = exercise.same is not core.same and _inline(exercise.same) is not None
    rows = [f"        ({_literal(list(c.values()))}, {_expected(exercise.reference(**copy.deepcopy(c)), custom)}),"
            for c in cases]
    body = [f"# Tests of {name}: {len(cases)} cases, one point each, hidden until grading.",
            "### BEGIN HIDDEN TESTS",
            f"def _test_{name}():",
            "    import warnings",
            "    import numpy as np",
            *[f"    {line}" for line in imports],
            *[f"    {line}" for line in (_inline(exercise.same) if custom else _CLOSE).split("\n")],
            "    cases = [",
            *rows,
            "    ]",
            "    passed = 0",
            "    for args, want in cases:",
            "        try:",
            "            with warnings.catch_warnings():",
            "                warnings.simplefilter('ignore')",
            f"                got = {name}(*args)",
            "                passed += bool(same(want, got))",
            "        except Exception:",
            "            pass",
            "    return passed",
            f"_test_{name}()",
            "### END HIDDEN TESTS"]
    cell = nbformat.v4.new_code_cell("\n".join(b for b in body if b.strip()))
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": f"test-{name}", "locked": True,
                                 "points": len(cases), "schema_version": 3, "solution": False, "task": False}
    return cell


def _inline(same) -> str | None:
    """A custom comparison's own source, named ``same``: copied, so that patching its module changes nothing.

    None for a comparison without a ``def`` of its own (a lambda): the tests then use the default one.
    """
    try:
        source = textwrap.dedent(inspect.getsource(same))
    except (OSError, TypeError):
        return None
    if not source.startswith(f"def {same.__name__}("):
        return None
    return f"{source.rstrip()}\nsame = {same.__name__}"
# The default comparison (gdlib.check.core.same), in plain Python: no numpy, no gdlib.
_CLOSE = '''def flat(x):
    x = x.tolist() if hasattr(x, "tolist") else x
    if isinstance(x, (list, tuple)):
        parts = [flat(v) for v in x]
        shapes = {p[0] for p in parts}
        if len(shapes) > 1:
            raise ValueError("ragged")
        return ((len(parts),) + (shapes.pop() if parts else ()), [v for p in parts for v in p[1]])
    return ((), [float(x)])
def same(want, got):
    if want[0] == "s":
        return (isinstance(got, (list, tuple)) and len(got) == len(want[1])
                and all(same(w, g) for w, g in zip(want[1], got)))
    try:
        shape, values = flat(got)
    except (TypeError, ValueError):
        return False
    return shape == want[1] and len(values) == len(want[2]) and all(
        g == w or abs(g - w) <= 1e-9 + 1e-6 * abs(w) for g, w in zip(values, want[2]))'''


def _expected(value, custom: bool) -> str:
    """The expected answer: as a value for a custom comparison, else tagged for the plain-Python one."""
    if custom:
        return _literal(value)
    if isinstance(value, (tuple, list)):
        return f"('s', ({''.join(_expected(v, False) + ', ' for v in value)}))"
    array = np.asarray(value, dtype=float)
    return f"('a', {tuple(array.shape)!r}, {tuple(float(x) for x in array.ravel())!r})"


def _literal(value) -> str:
    """Python source that rebuilds ``value`` in the student's kernel."""
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r}, dtype={value.dtype.name!r})"
    if isinstance(value, np.generic):
        return f"np.{value.dtype.name}({value.item()!r})"
    if isinstance(value, np.random.Generator):
        state = value.bit_generator.state
        return (f"(lambda g: (setattr(g.bit_generator, 'state', {state!r}), g)[1])"
                f"(np.random.Generator(np.random.{state['bit_generator']}()))")
    if isinstance(value, (list, tuple)):
        inner = "".join(_literal(v) + ", " for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    if callable(value):
        return value.__qualname__
    if isinstance(value, float) and not np.isfinite(value):
        return f"float({str(value)!r})"
    return repr(value)

