"""Student editions and grading: `python -m gdlib.homework release|grade`."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from gdlib import check, homework

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(ROOT.glob("book/[0-9][0-9]_*.ipynb"))

MOMENTUM = '''def nesterov_step(w, g, v, lr, beta):
    """One step of Nesterov momentum."""
    ### BEGIN SOLUTION
    v = beta * v + (1 - beta) * g
    return w - lr * (beta * v + (1 - beta) * g), v
    ### END SOLUTION'''

HEAVY_BALL = '''def momentum_rate(lr, beta, curvatures):
    ### BEGIN SOLUTION
    import numpy as np
    return max(np.abs(np.roots([1, lr * (1 - beta) * lam - 1 - beta, beta])).max() for lam in curvatures)
    ### END SOLUTION'''


def mini_chapter() -> nbformat.NotebookNode:
    """A chapter in the book's exercise format: two coding exercises and a written one."""
    def gated(title, label, text):
        return new_markdown_cell(f"```{{exercise-start}} {title}\n:label: {label}\n```\n\n{text}\n\n"
                                 f"```{{exercise-end}}\n```\n\n```{{solution-start}} {label}\n:class: dropdown\n```")

    end = "```{solution-end}\n```"
    return new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                 "language": "python"}}, cells=[
        new_markdown_cell("# A small chapter"),
        new_code_cell("import numpy as np\nimport gdlib"),
        gated("Momentum", "ex-mini-momentum", "Write `nesterov_step`."),
        new_code_cell(MOMENTUM),
        new_markdown_cell(end),
        new_code_cell("gdlib.check.nesterov_step(nesterov_step)"),
        gated("Heavy ball", "ex-mini-heavy", "Write `momentum_rate`."),
        new_code_cell(HEAVY_BALL),
        new_markdown_cell(end),
        new_code_cell("gdlib.check.momentum_rate(momentum_rate)"),
        new_markdown_cell(":::{exercise} Why\n:label: ex-mini-why\n\nWhy is beta = 0 plain descent?\n:::\n\n"
                          ":::{solution} ex-mini-why\n:class: dropdown\n\n"
                          "The velocity is then the gradient itself.\n:::"),
    ])


def split_lines(nb) -> tuple[set[str], set[str]]:
    """The lines inside solutions (code between the markers, text in {solution} blocks), and the rest."""
    inside, outside, gated = set(), set(), False  # gated: between {solution-start} and {solution-end}
    for cell in nb.cells:
        in_code, fence = False, None
        for line in cell.source.split("\n"):
            text = line.strip()
            if cell.cell_type == "code" and text in (homework.BEGIN, homework.END):
                in_code = text == homework.BEGIN
            elif cell.cell_type == "code":
                (inside if in_code or (gated and homework.BEGIN not in cell.source) else outside).add(text)
            elif re.match(r"^`{3,}\{solution-(start|end)\}", text):
                gated = "start" in text
            elif fence is None and (m := re.match(r"^(:{3,}|`{3,})\{solution\}", text)):
                fence = m.group(1)
            elif fence is not None and text == fence:
                fence = None
            elif (fence is not None or gated) and not re.match(r"^(:class:|`{3,}$)", text):
                inside.add(text)
            else:
                outside.add(text)
    return inside - {""}, outside


def secrets(nb) -> set[str]:
    """Solution lines that appear nowhere else in the chapter (the text may show a line on purpose)."""
    inside, outside = split_lines(nb)
    return inside - outside


def write(nb, path: Path) -> Path:
    nbformat.write(nb, path)
    return path


# Preparing and releasing ------------------------------------------------------------------

def test_prepare_marks_solutions_for_nbgrader_and_is_idempotent():
    nb = homework.prepare(mini_chapter())
    solution_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert [c.metadata.nbgrader.grade_id for c in solution_cells] == ["ex-mini-momentum", "ex-mini-heavy",
                                                                      "ex-mini-why"]
    assert [c.metadata.nbgrader.grade for c in solution_cells] == [False, False, True]  # written: by hand
    assert solution_cells[-1].source.startswith(":::{solution} ex-mini-why")  # split into a cell of its own
    assert nb.metadata.gdlib == {"exercises": ["nesterov_step", "momentum_rate"]}
    again = homework.prepare(nbformat.from_dict(nb))
    assert again == nb
    nbformat.validate(nb)


def test_text_inside_a_coding_solution_is_a_written_answer():
    nb = mini_chapter()
    nb.cells[4] = new_markdown_cell("Both paths agree: a secret follow-up answer.\n\n```{solution-end}\n```")
    prepared = homework.prepare(nb)
    answer = [c for c in prepared.cells if "secret follow-up" in c.source][0]
    assert answer.metadata.nbgrader.grade_id == "ex-mini-momentum-answer" and answer.metadata.nbgrader.grade
    assert "ex-mini-momentum-answer" in homework.exercises(prepared)["written"]
    student = "\n".join(c.source for c in homework.student_edition(prepared).cells)
    assert "secret follow-up" not in student and student.count(homework.TEXT_STUB) == 2


def test_every_nbgrader_grade_id_is_unique():
    nb = mini_chapter()
    nb.cells.insert(4, new_code_cell(HEAVY_BALL.replace("momentum_rate", "helper")))  # a second solution cell
    ids = [c.metadata.nbgrader.grade_id for c in homework.prepare(nb).cells if "nbgrader" in c.metadata]
    assert ids == ["ex-mini-momentum", "ex-mini-momentum-2", "ex-mini-heavy", "ex-mini-why"]
    assert ids == [c.metadata.nbgrader.grade_id for c in homework.prepare(nb).cells if "nbgrader" in c.metadata]


def test_student_edition_has_stubs_and_no_solution_line():
    source = homework.prepare(mini_chapter())
    student = homework.student_edition(source)
    text = "\n".join(c.source for c in student.cells)
    assert secrets(source)
    for line in secrets(source):
        assert line not in text, line
    assert text.count("# YOUR CODE HERE\n    raise NotImplementedError()") == 2
    assert '"""One step of Nesterov momentum."""' in text  # the signature and docstring stay
    assert "gdlib.check.nesterov_step(nesterov_step)" in text  # so do the self-checks
    assert "**Exercise: Momentum**" in text and "{exercise" not in text and "{solution" not in text
    assert homework.TEXT_STUB in text
    assert all(c.outputs == [] and c.execution_count is None for c in student.cells if c.cell_type == "code")
    nbformat.validate(student)


def test_release_a_folder_keeps_file_names(tmp_path):
    src = tmp_path / "book"
    src.mkdir()
    write(mini_chapter(), src / "07_mini.ipynb")
    result = subprocess.run([sys.executable, "-m", "gdlib.homework", "release", str(src), "--out",
                             str(tmp_path / "student")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "student" / "07_mini.ipynb").exists()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_student_edition_contains_no_solution_line(chapter):
    source = nbformat.read(chapter, as_version=4)
    student = {line.strip() for cell in homework.student_edition(source).cells for line in cell.source.split("\n")}
    assert secrets(source) and not secrets(source) & student


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_follows_the_exercise_format(chapter):
    nb = nbformat.read(chapter, as_version=4)
    found = homework.exercises(nb)
    assert len(found["coding"]) >= 2, "at least two coding exercises with a self-check"
    assert len(found["coding"]) + len(found["written"]) >= 3, "at least three exercises"
    assert all(callable(getattr(check, name, None)) for name in found["coding"])
    assert nb.metadata.get("gdlib", {}).get("exercises") == found["coding"], "run tools/run_notebooks.py"
    for cell in nb.cells:
        if homework.BEGIN in cell.source:
            assert cell.metadata.get("nbgrader", {}).get("solution") is True, "nbgrader metadata missing"
    labels = set(re.findall(r":label: (ex-[\w-]+)", "\n".join(c.source for c in nb.cells)))
    solved = set(re.findall(r"\{solution(?:-start)?\} (ex-[\w-]+)", "\n".join(c.source for c in nb.cells)))
    assert labels and labels == solved, "every exercise has a solution"


# Grading a real chapter (the adversarial suites use a chapter of their own: tests/grader_kit.py) -----

def test_a_real_chapter_and_its_student_edition(tmp_path):
    """The first chapter's solution scores full marks, its student edition 0, graded as a folder."""
    chapter = CHAPTERS[0]
    folder = tmp_path / "class"
    (folder / "teacher").mkdir(parents=True)
    (folder / "teacher" / chapter.name).write_bytes(chapter.read_bytes())
    student = homework.student_edition(nbformat.read(chapter, as_version=4))
    write(student, folder / f"student-{chapter.name}")
    result = subprocess.run([sys.executable, "-m", "gdlib.homework", "grade", str(folder), "--jobs", "2", "--json",
                             "--csv", str(tmp_path / "grades.csv")], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    reports = {r["notebook"]: r for r in json.loads(result.stdout)["reports"]}
    solution, edition = reports[f"teacher/{chapter.name}"], reports[f"student-{chapter.name}"]
    coding = homework.exercises(nbformat.read(chapter, as_version=4))["coding"]
    assert [e["name"] for e in solution["exercises"]] == coding
    assert solution["score"] == solution["max_score"] == sum(check.EXERCISES[n].points for n in coding), solution
    assert edition["score"] == 0 and edition["max_score"] == solution["max_score"]
    assert all("not yet implemented" in e["message"] for e in edition["exercises"])
    assert edition["written"] == solution["written"] == homework.exercises(homework.prepare(nbformat.read(
        chapter, as_version=4)))["written"]
