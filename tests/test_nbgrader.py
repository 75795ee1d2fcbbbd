"""The teacher page's nbgrader recipe, with the real nbgrader in a temporary course.

``python -m gdlib.homework nbgrader`` writes the source notebook; nbgrader
generates the student version and autogrades three submissions: the solution
(full marks on coding), the unchanged student version (0 on coding, its written
answer recognised as unanswered) and a cheat that sets a flag and patches gdlib
and numpy on one exercise (0 on that exercise).
"""

import contextlib
import importlib.util
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import grader_kit as kit
import nbformat
import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("nbgrader") is None,
                                reason="nbgrader is missing: pip install -r requirements.txt installs it")

FLAG = '''import gdlib.check, numpy, grader_exercises
gdlib.check.passed = lambda name: True
numpy.allclose = numpy.isclose = numpy.array_equal = lambda *a, **k: True
object.__setattr__(grader_exercises.shrink_step, "same", lambda expected, got: True)
def shrink_step(w, g, lr):
    return w'''
SCORES = """select sa.student_id, bc.name, g.auto_score, gc.max_score, g.needs_manual_grade from grade g
    join base_cell bc on g.cell_id = bc.id join grade_cells gc on gc.id = bc.id
    join submitted_notebook sn on g.notebook_id = sn.id join submitted_assignment sa on sn.assignment_id = sa.id"""


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(kit.TESTS), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\nc.CourseDirectory.course_id = 'gd'\n")
    nbformat.write(kit.toy_chapter(), course / "toy.ipynb")
    subprocess.run([sys.executable, "-m", "gdlib.homework", "nbgrader", str(course / "toy.ipynb"), "--out",
                    str(course / "source" / "ps1"), "--exercises", "grader_exercises"], check=True,
                   env={**os.environ, "PYTHONPATH": str(kit.TESTS)}, capture_output=True)
    nbgrader(course, "generate_assignment", "ps1", "--force")
    released = nbformat.read(course / "release" / "ps1" / "toy.ipynb", as_version=4)
    source = nbformat.read(course / "source" / "ps1" / "toy.ipynb", as_version=4)
    flag = nbformat.from_dict(released)
    flag.cells += [nbformat.v4.new_code_cell(FLAG)]
    for cell in flag.cells:
        if cell.source.startswith("def numerical_slope"):
            cell.source = kit.HONEST_SLOPE
    for student, nb in {"solution": source, "unchanged": released, "flag": flag}.items():
        folder = course / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "toy.ipynb")
    nbgrader(course, "autograde", "ps1", "--force")
    scores = {}
    with contextlib.closing(sqlite3.connect(course / "gradebook.db")) as db:  # nbgrader's gradebook, read plainly
        for student, cell, score, points, manual in db.execute(SCORES):
            scores.setdefault(student, {})[cell] = [score, points, bool(manual)]
    return {"released": released, "scores": scores}


def test_the_student_version_shows_no_myst_and_no_answer(course):
    text = "\n".join(c.source for c in course["released"].cells)
    assert not re.search(r"\{(exercise|solution|numref|cite|ref)|^:::|^```\{|:label:", text, re.M)
    assert "**Exercise: Shrink**" in text and "YOUR ANSWER HERE" in text and "raise NotImplementedError()" in text
    assert "BEGIN HIDDEN TESTS" not in text and "return w - lr * g" not in text and "The points are 2h" not in text
    tests = [c for c in course["released"].cells if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith(
        "test-")]
    assert [(c.metadata.nbgrader.points, c.metadata.nbgrader.locked) for c in tests] == [(4, True), (3, True)]


def test_the_solution_gets_full_marks_on_coding(course):
    scores = course["scores"]["solution"]
    assert scores["test-shrink_step"][:2] == [4, 4] and scores["test-numerical_slope"][:2] == [3, 3]
    assert scores["ex-toy-why"] == [None, 1, True]  # a written answer: for the teacher to read


def test_the_unchanged_student_version_gets_nothing(course):
    scores = course["scores"]["unchanged"]
    assert scores["test-shrink_step"][0] == 0 and scores["test-numerical_slope"][0] == 0
    assert scores["ex-toy-why"] == [0, 1, False]  # nbgrader sees the answer stub unchanged


def test_a_flag_and_patches_do_not_pass_a_test(course):
    scores = course["scores"]["flag"]
    assert scores["test-shrink_step"][0] == 0 and scores["test-numerical_slope"][0] == 3
