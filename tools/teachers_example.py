"""The grader's example output on the teachers page, made by the real grader (so the page cannot drift).

    python tools/teachers_example.py            # print the two example blocks
    python tools/teachers_example.py --check    # exit 1 unless book/teachers.md shows exactly them

A student of chapter 5 writes ``momentum_rate`` right and ``sutskever_step`` with a typical
slip: the gradient at the look-ahead point replaced by the gradient at ``w_tilde``. The
submission is graded with ``--seed 2024``, so the cases, and the output, are the same each time.
tests/test_teachers_page.py runs the check.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "book" / "05_momentum.ipynb"
PAGE = ROOT / "book" / "teachers.md"
SEED = 2024

RIGHT = '''def momentum_rate(lr, beta, curvatures):
    rates = []
    for lam in curvatures:
        b = 1 + beta - lr * (1 - beta) * lam
        rates.append(max(abs(r) for r in np.roots([1.0, -b, beta])))
    return max(rates)'''

SLIP = '''def sutskever_step(w_tilde, v, grad_fn, lr, beta):
    new_v = beta * v + (1 - beta) * grad_fn(w_tilde)
    return w_tilde - lr * new_v, new_v'''


def _grade(folder: Path, *extra: str) -> str:
    done = subprocess.run([sys.executable, "-m", "gdlib.homework", "grade", "submissions",
                           "--manifest", str(folder / "student" / "gdlib-homework.json"), "--seed", str(SEED),
                           *extra], cwd=folder, capture_output=True, text=True, timeout=600)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"the grader failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def blocks() -> tuple[str, str]:
    """The grader's table for Alice, and the first lines of the CSV it writes."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([sys.executable, "-m", "gdlib.homework", "release", str(CHAPTER), "--out",
                        str(folder / "student")], check=True, capture_output=True)
        nb = nbformat.read(folder / "student" / CHAPTER.name, as_version=4)
        for cell in nb.cells:
            for answer in (RIGHT, SLIP):
                if cell.cell_type == "code" and cell.source.startswith(answer.split("(")[0] + "("):
                    cell.source = answer
        (folder / "submissions" / "alice").mkdir(parents=True)
        nbformat.write(nb, folder / "submissions" / "alice" / CHAPTER.name)
        table = _grade(folder, "--csv", "grades.csv").rstrip("\n")
        csv = (folder / "grades.csv").read_text().splitlines()
    return table, "\n".join(csv[:3])


def main(argv: list[str]) -> int:
    table, csv = blocks()
    if "--check" not in argv:
        print(f"{table}\n\n{csv}")
        return 0
    page = PAGE.read_text()
    missing = {name: block for name, block in (("table", table), ("CSV", csv)) if f"```text\n{block}\n" not in page}
    for name, block in missing.items():
        print(f"book/teachers.md does not show the grader's {name} as it is today; it is:\n\n{block}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
