"""What the grader reads: files that are not notebooks, manifests, chapter matching, and the wire format."""

import copy
import json

import grader_kit as kit
import numpy as np
import pytest

from gdlib import check, homework
from gdlib.homework import plan, wire

NOT_NOTEBOOKS = {
    "empty-object": b"{}",
    "no-source": json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": []}], "metadata": {},
                             "nbformat": 4, "nbformat_minor": 5}).encode(),
    "binary": bytes(range(256)) * 4,
    "broken": b'{"cells": [ broken',
    "text": b"plain text",
    "nothing": b"",
    "list": b"[1, 2]",
    "old": json.dumps({"worksheets": [], "metadata": {}, "nbformat": 3}).encode(),
    "deep": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("files")
    folder = tmp / "submissions"
    kit.write_all(folder, {**NOT_NOTEBOOKS, "student": kit.appended(
        kit.student(), 'import gdlib\ngdlib.check.passed("shrink_step")\ngdlib.check.no_such_check(1)')})
    before = kit.digest(folder)
    result = kit.run(tmp, folder, *kit.options(tmp, "--json", "--csv", str(tmp / "grades.csv")))
    return result, folder, before


def test_a_folder_with_files_that_are_not_notebooks(folder_run):
    result, folder, before = folder_run
    assert result.returncode == 2
    out = json.loads(result.stdout)
    assert [r["notebook"] for r in out["reports"]] == [f"student-{kit.CHAPTER}"]
    assert out["reports"][0]["score"] == 0  # gdlib.check calls that are not self-checks crash nothing
    assert sorted(e["notebook"] for e in out["errors"]) == sorted(f"{n}-{kit.CHAPTER}" for n in NOT_NOTEBOOKS)
    lines = result.stderr.strip().split("\n")
    assert len(lines) == len(NOT_NOTEBOOKS) and "Traceback" not in result.stderr
    assert all("not a gradable notebook" in line for line in lines), lines
    assert kit.digest(folder) == before


@pytest.mark.parametrize("name", ["no-source"])
def test_one_file_that_is_not_a_notebook(tmp_path, name):
    path = tmp_path / "x.ipynb"
    path.write_bytes(NOT_NOTEBOOKS[name])
    result = kit.run(tmp_path, path, *kit.options(tmp_path, "--json"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1 and "x.ipynb: not a gradable notebook" in result.stderr


def test_a_missing_file_and_an_unknown_chapter(tmp_path):
    missing = kit.run(tmp_path, tmp_path / "missing.ipynb", *kit.options(tmp_path))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    kit.write_all(tmp_path / "s", {"x": kit.student()})
    unknown = kit.run(tmp_path, tmp_path / "s" / f"x-{kit.CHAPTER}", *kit.options(tmp_path, "--chapter", "05_other"))
    assert unknown.returncode == 2 and "no chapter of the manifest matches" in unknown.stderr


def test_plans_come_from_the_teacher(tmp_path):
    plans = plan.load_manifest(kit.manifest(tmp_path), plan.registry(["grader_exercises"]))
    assert plan.plan_for("alice-07_toy.ipynb", plans).coding == kit.POINTS
    assert plan.plan_for("anything.ipynb", plans, chapter="07_toy").chapter == kit.CHAPTER
    with pytest.raises(plan.UsageError, match="this gdlib does not have: numerical_slope, shrink_step"):
        plan.load_manifest(kit.manifest(tmp_path), plan.registry())
    (tmp_path / "bad.json").write_text('{"format": "gdlib-homework/1", "notebooks": {"a": {"coding": 3}}}')
    with pytest.raises(plan.UsageError, match="is not a manifest"):
        plan.load_manifest(tmp_path / "bad.json", plan.registry())


def test_release_writes_the_manifest(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    nb = kit.toy_chapter()
    name = sorted(check.EXERCISES)[-1]  # any self-check of gdlib; passed() is not one
    nb.cells[5].source = f"gdlib.check.{name}({name})\ngdlib.check.passed('{name}')"
    kit.write_all(book, {"x": nb})
    homework.release(book, tmp_path / "student")
    manifest = json.loads((tmp_path / "student" / homework.MANIFEST).read_text())
    entry = manifest["notebooks"][f"x-{kit.CHAPTER}"]
    assert entry["coding"] == [{"name": name, "points": check.EXERCISES[name].points}]
    assert entry["written"] == ["ex-toy-why"]


@pytest.mark.parametrize("name", sorted(check.EXERCISES))
def test_every_exercise_travels_to_a_kernel_and_back(name):
    exercise = check.EXERCISES[name]
    for case in exercise.cases(np.random.default_rng(3)):
        sent = json.loads(json.dumps(wire.encode(case), allow_nan=False))
        back = wire.decode(sent, modules=("gdlib.check",))
        assert sorted(back) == sorted(case)
        if exercise.same is check.core.same:  # a right answer survives the way back
            answer = exercise.reference(**copy.deepcopy(back))
            returned = wire.decode(json.loads(json.dumps(wire.encode(answer, ()), allow_nan=False)))
            assert exercise.same(exercise.reference(**copy.deepcopy(case)), returned)


def test_answers_are_read_strictly():
    good = wire.encode((np.array([[1.5, np.nan], [np.inf, -0.0]]), [np.int64(3), "x", None, {"k": 1j}]), ())
    back = wire.decode(json.loads(json.dumps(good, allow_nan=False)))
    assert np.array_equal(back[0], [[1.5, np.nan], [np.inf, 0]], equal_nan=True) and back[1][:3] == [3, "x", None]
    bad = [[1, 2], {"list": [1], "tuple": []}, {"eval": "1"}, {"ndarray": {"dtype": "object", "shape": [1],
           "data": [1]}}, {"ndarray": {"dtype": "float64", "shape": [3], "data": [1]}},
           {"ndarray": {"dtype": "float64", "shape": [1], "data": ["os.system"]}}, {"function": "os:system"},
           {"generator": {"bit_generator": "PCG64"}}]
    nested = {"list": []}
    for _ in range(100):
        nested = {"list": [nested]}
    for junk in bad + [nested]:
        with pytest.raises(wire.WireError):
            wire.decode(junk)
    assert repr(wire.decode({"unsupported": "Odd"})) == "an object of type Odd that the grader cannot read"
    with pytest.raises(wire.WireError):
        wire.encode({"f": lambda x: x})  # only module-level functions of exercise modules travel
    assert wire.encode(print, ()) == {"unsupported": "builtin_function_or_method"}
