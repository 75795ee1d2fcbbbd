"""Cheating submissions score no more than the unchanged student edition; honest ones score full marks.

One folder of submissions is graded once, in parallel, as a teacher would; every
test reads the reports. Each cheat stubs nothing it could not stub in the
student edition: its functions return zeros or raise NotImplementedError.
"""

import csv
import json

import grader_kit as kit
import pytest

from gdlib import check

ZEROS = ("def shrink_step(w, g, lr):\n    return w * 0", "def numerical_slope(f, x, h):\n    return 0.0")
EXTRA = sorted(check.EXERCISES)[0]  # some exercise of another chapter

CHEATS = {
    "json": ["import json\njson.dump = lambda obj, fp, *a, **k: fp.write('{\"score\": 2000, \"max_score\": 7}')\n"
             "json.load = lambda fp, *a, **k: {'shrink_step': {'passed': 4, 'total': 4}}"],
    "numpy": ["import numpy\nfor name in ('allclose', 'isclose', 'array_equal', 'array_equiv'):\n"
              "    setattr(numpy, name, lambda *a, **k: True)\nnumpy.testing.assert_allclose = lambda *a, **k: None"],
    "gdlib": ["import importlib, gdlib.check, gdlib.check.core as core, grader_exercises\n"
              "gdlib.check.passed = lambda name: True\n"
              "core.same = lambda *a, **k: True\n"
              "core.verdict = lambda exercise, cases, outcomes, limit: (len(cases), len(cases), 'passed')\n"
              "importlib.reload = lambda module: module\n"
              "for e in [*gdlib.check.EXERCISES.values(), grader_exercises.shrink_step, "
              "grader_exercises.numerical_slope]:\n"
              "    object.__setattr__(e, 'same', lambda expected, got: True)\n"
              "gdlib.check.results.update({n: core.Result(n, 9, 9, 'passed') for n in ('shrink_step', "
              "'numerical_slope')})"],
    "driver": ["import builtins, json, os, sys\n"  # forge the grader's side and its output
               "_exec = builtins.exec\n"
               "def _fake(code, ns=None, *a):\n"
               "    _exec(code, ns, *a)\n"
               "    if isinstance(ns, dict) and 'call' in ns:\n"
               "        ns['call'] = lambda name, payload: ns.__setitem__('answer', ns['Answer']("
               "{'result': {'float': 'nan'}, 'after': {}}))\n"
               "builtins.exec = _fake\n"
               "report = json.dumps({'score': 7, 'max_score': 7, 'exercises': []})\n"
               "print(report); sys.stderr.write(report); os.write(1, report.encode()); os.write(2, b'}{')\n"
               "get_ipython().display_pub.publish({'application/json': {'score': 7}})"],
    "files": ["import glob, os\n"  # relative writes land in the submission's own folder
              "for path in glob.glob('*.ipynb') + glob.glob('../*.ipynb') + ['grades.csv', '../grades.csv']:\n"
              "    open(path, 'w').write('hacked')\n"
              "os.makedirs('../report', exist_ok=True)"],
}


def cheat_fork(mark: str, proof: str) -> str:
    """A daemon (double fork, setsid) that keeps rewriting the grader's CSV, wherever the command line says."""
    return f'''import os, subprocess, sys
code = """
import os, sys, time
def ancestors_csv():
    pid = os.getppid()
    while pid > 1:
        args = open(f"/proc/{{pid}}/cmdline", "rb").read().split(b"\\\\0")
        if b"--csv" in args:
            return args[args.index(b"--csv") + 1].decode(), f"/proc/{{pid}}/cwd"
        pid = int(open(f"/proc/{{pid}}/stat").read().rsplit(")", 1)[1].split()[1])
found = ancestors_csv()
for _ in range(100):
    if found:
        target = found[0] if found[0].startswith("/") else os.path.join(found[1], found[0])
        open(target, "w").write("notebook,exercise,points\\\\nfork,shrink_step,4\\\\n")
        open("{proof}", "a").write("rewrote " + target + "\\\\n")
    time.sleep(0.2)
"""
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", code, "{mark}"])
    os._exit(0)
import time
for _ in range(300):  # the cell waits until the daemon has struck once: on a slow machine it starts late
    if os.path.exists("{proof}"):
        break
    time.sleep(0.1)'''


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cheats")
    mark = f"gdlib-cheat-{tmp.name}"
    submissions = {name: kit.appended(kit.solved(*ZEROS), *cells) for name, cells in CHEATS.items()}
    submissions["student"] = kit.student()
    submissions["honest"] = kit.solved()
    submissions["fork"] = kit.appended(kit.solved(*ZEROS), cheat_fork(mark, str(tmp / "fork-proof")))
    submissions["metadata"] = kit.solved(*ZEROS)
    submissions["metadata"].metadata["gdlib"] = {"exercises": ["shrink_step"]}
    for cell in submissions["metadata"].cells:
        if "nbgrader" in cell.metadata:
            cell.metadata.nbgrader.update(points=100, grade=True)
    submissions["dropped"] = kit.solved(ZEROS[0], None)
    submissions["dropped"].metadata["gdlib"] = {"exercises": ["shrink_step"]}
    submissions["added"] = kit.appended(kit.solved(*ZEROS), f"import gdlib\ndef {EXTRA}(*args):\n    return 0",
                                    f"gdlib.check.{EXTRA}({EXTRA})")
    submissions["added"].metadata["gdlib"] = {"exercises": ["shrink_step", "numerical_slope", EXTRA]}
    folder = tmp / "submissions"
    kit.write_all(folder, submissions)
    before = kit.digest(folder)
    result = kit.run(tmp, folder, *kit.options(tmp, "--jobs", "2", "--json", "--csv", str(tmp / "grades.csv")))
    return {"result": result, "tmp": tmp, "folder": folder, "before": before, "mark": mark,
            "reports": kit.by_name(json.loads(result.stdout)["reports"]) if result.stdout else {}}


def test_the_run_exits_0_with_complete_json(graded):
    result = graded["result"]
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["errors"] == [] and len(out["reports"]) == len(CHEATS) + 6
    assert "score" not in result.stdout.split("{", 1)[0]  # nothing printed before the JSON


def test_honest_solutions_score_full_marks(graded):
    honest = graded["reports"]["honest"]
    assert kit.points(honest) == kit.POINTS and honest["score"] == honest["max_score"] == 7


def test_the_unchanged_student_edition_scores_0(graded):
    report = graded["reports"]["student"]
    assert report["score"] == 0 and report["max_score"] == 7
    assert all("not yet implemented" in e["message"] for e in report["exercises"])
    assert report["written"] == ["ex-toy-why"]


@pytest.mark.parametrize("name", [*CHEATS, "fork", "metadata", "dropped", "added"])
def test_no_cheat_scores_a_point(graded, name):
    report = graded["reports"][name]
    assert (report["score"], report["max_score"]) == (0, 7), report
    assert [e["name"] for e in report["exercises"]] == list(kit.POINTS)  # the teacher's exercises, in order


def test_a_dropped_exercise_is_named_and_an_added_one_ignored(graded):
    dropped = {e["name"]: e["message"] for e in graded["reports"]["dropped"]["exercises"]}
    assert dropped["numerical_slope"].startswith("numerical_slope: no function named numerical_slope")
    assert graded["reports"]["added"]["notes"] == [f"ignored: {EXTRA} (not graded in {kit.CHAPTER})"]


def test_the_folder_and_the_reports_are_untouched(graded):
    tmp = graded["tmp"]
    assert kit.digest(graded["folder"]) == graded["before"]
    assert not (tmp / "report").exists() and not (tmp / "t" / "grades.csv").exists()
    assert "grades.csv" in (tmp / "fork-proof").read_text()  # the daemon did rewrite the CSV while it lived
    assert kit.survivors(graded["mark"], str(tmp / "t"), wait=1.5) == []  # but it died with its kernel
    with (tmp / "grades.csv").open() as file:
        rows = list(csv.DictReader(file))
    coding = [r for r in rows if r["kind"] == "coding"]
    assert len(coding) == 2 * (len(CHEATS) + 6)
    assert {r["points"] for r in coding if not r["notebook"].startswith("honest")} == {"0"}
    assert not list(tmp.glob("t/*")), "grading folders are removed"
