"""Submissions that misbehave lose only the points of what misbehaved, and harm nothing.

Each function below is right except on the cases named in its comments (the
cases of ``grader_exercises`` have fixed settings: lr = 0.1, 0.5, 1.0, 0.01 and
h = 1e-3, 1e-4, 1e-5). One folder is graded once, in parallel.
"""

import json

import grader_kit as kit
import pytest

SHRINK_EXITS = '''import os, sys
def shrink_step(w, g, lr):
    if lr == 0.5:
        sys.exit(0)
    if lr == 1.0:
        raise KeyboardInterrupt
    if lr == 0.01:
        raise GeneratorExit
    return w - lr * g'''
SLOPE_CRASHES = '''def numerical_slope(f, x, h):
    if h == 1e-4:
        os._exit(1)  # the kernel dies: a new one runs the cells again for the next case
    return (f(x + h) - f(x - h)) / (2 * h)'''
SHRINK_LOOPS = '''def shrink_step(w, g, lr):
    while lr == 0.01:
        pass  # interrupted
    return w - lr * g'''
SLOPE_IGNORES = '''import time
def numerical_slope(f, x, h):
    while h == 1e-5:
        try:
            time.sleep(0.05)
        except BaseException:
            pass  # ignores the interrupt: the kernel is killed
    return (f(x + h) - f(x - h)) / (2 * h)'''
SHRINK_MEMORY = '''def shrink_step(w, g, lr):
    if lr == 0.5:
        hoard = [bytearray(2**28) for _ in range(64)]  # 16 GiB, past the memory limit
    return w - lr * g'''
SLOPE_RECURSES = '''def numerical_slope(f, x, h):
    if h == 1e-4:
        return numerical_slope(f, x, h)
    return (f(x + h) - f(x - h)) / (2 * h)'''
SHRINK_ODD = '''class Odd:
    def __array__(self, *args, **kwargs):
        raise SystemExit
def shrink_step(w, g, lr):
    if lr == 0.1:
        return Odd()
    if lr == 0.5:
        return np.zeros(10**7)  # 80 MB: too large an answer to read
    if lr == 1.0:
        w -= lr * g  # right, but in place
        return w
    return w - lr * g'''
SLOPE_TEXT = '''def numerical_slope(f, x, h):
    return "0.5" if h == 1e-3 else (f(x + h) - f(x - h)) / (2 * h)'''
MESSY = ['import glob, os, shutil\n'
         'for p in glob.glob("*") + glob.glob("../*") + glob.glob(os.path.expanduser("~/*")):\n'
         '    shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else os.remove(p)',
         'os.chdir("/")',
         'import sys\nfor _ in range(50):\n    print("x" * 100_000)\n    sys.stderr.write("y" * 100_000)',
         'os.write(1, b\'{"score": 7, "max_score": 7}\\n\' * 1000)\nos.write(2, b"junk")',
         'sys.stdout.close()\nsys.stderr.close()\nos.close(1)\nos.close(2)',
         '1 / 0',
         'os._exit(3)']
STUBBORN = 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass'
FORKS = '''import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import os, time; os.fork(); time.sleep(600)", "{mark}"],
                 start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)'''
GREEDY = 'hoard = []\nwhile True:\n    hoard.append(bytearray(2**26))'

EXPECTED = {  # submission: (points per exercise, substrings of the messages)
    "exits": ({"shrink_step": 1, "numerical_slope": 2}, ["case 2 of 4 failed: it raised SystemExit",
                                                        "case 2 of 3 failed: it crashed the kernel"]),
    "loops": ({"shrink_step": 3, "numerical_slope": 2}, ["case 4 of 4 failed: it did not finish within 1 s",
                                                        "case 3 of 3 failed: it did not finish within 1 s"]),
    "memory": ({"shrink_step": 3, "numerical_slope": 2}, ["case 2 of 4 failed: it raised MemoryError",
                                                         "case 2 of 3 failed: it raised RecursionError"]),
    "odd": ({"shrink_step": 1, "numerical_slope": 2}, ["got:      an object of type Odd that the grader cannot",
                                                      "case 1 of 3 failed: it returned the wrong value"]),
    "messy": (kit.POINTS, []),
    "stubborn": (kit.POINTS, []),
    "forks": (kit.POINTS, []),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robust")
    mark = f"gdlib-robust-{tmp.name}"
    submissions = {
        "exits": kit.solved(SHRINK_EXITS, SLOPE_CRASHES, checks=False),
        "loops": kit.solved(SHRINK_LOOPS, SLOPE_IGNORES, checks=False),
        "memory": kit.appended(kit.solved(SHRINK_MEMORY, SLOPE_RECURSES, checks=False), GREEDY),
        "odd": kit.solved(SHRINK_ODD, SLOPE_TEXT, checks=False),
        "messy": kit.appended(kit.solved(), *MESSY),
        "stubborn": kit.appended(kit.solved(), STUBBORN),
        "forks": kit.appended(kit.solved(), FORKS.format(mark=mark)),
    }
    folder = tmp / "submissions"
    kit.write_all(folder, submissions)
    before = kit.digest(folder)
    result = kit.run(tmp, folder, *kit.options(tmp, "--jobs", "2", "--json", "--timeout", "2", "--memory", "1024"))
    return {"result": result, "tmp": tmp, "folder": folder, "before": before, "mark": mark,
            "reports": kit.by_name(json.loads(result.stdout)["reports"]) if result.stdout else {}}


def test_the_run_exits_0_with_complete_json(graded):
    assert graded["result"].returncode == 0, graded["result"].stderr
    assert json.loads(graded["result"].stdout)["errors"] == []
    assert "score" not in graded["result"].stderr


@pytest.mark.parametrize("name", EXPECTED)
def test_each_misbehaviour_costs_exactly_its_cases(graded, name):
    report = graded["reports"][name]
    scores, messages = EXPECTED[name]
    assert kit.points(report) == scores, report
    text = "\n".join(e["message"] for e in report["exercises"])
    assert all(m in text for m in messages), text


def test_notes_name_the_cells_of_the_submission(graded):
    messy = graded["reports"]["messy"]["notes"]
    first = len(kit.solved().cells) + 1  # the first appended cell
    after_memory = len(kit.solved(checks=False).cells) + 1
    assert f"cell {first + 5} ('1 / 0') raised ZeroDivisionError" in messy
    assert f"cell {first + 6} ('os._exit(3)') crashed the kernel: skipped it, and ran the rest in a new kernel" in messy
    stubborn = graded["reports"]["stubborn"]["notes"]
    assert stubborn == [f"cell {first} ('import signal') ran past 2 s and ignored the interrupt: skipped it, "
                        "and ran the rest in a new kernel"]
    assert graded["reports"]["memory"]["notes"] == [f"cell {after_memory} ('hoard = []') raised MemoryError"]


def test_nothing_survives_and_nothing_changed(graded):
    tmp = graded["tmp"]
    assert kit.digest(graded["folder"]) == graded["before"]
    assert kit.survivors(graded["mark"], str(tmp / "t")) == []
    assert not list((tmp / "t").iterdir())
