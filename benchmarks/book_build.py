"""Benchmark: how long the book takes to build.

    python benchmarks/book_build.py

Builds the book (strict) into a temporary folder twice: from scratch, then
again after touching one chapter, as an author's edit would. Then prints what
each page transfers on a cold load, measured in Chromium by page_weight.py
(every request: HTML, styles, scripts, MathJax and fonts, images).

Targets: clean build under 90 s, cached rebuild under 20 s on a 2-core machine;
every chapter page at most 2.5 MB on a cold load (issue "The published book on
every screen").
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
TOUCHED = ROOT / "book" / "03_sgd.ipynb"
sys.path.insert(0, str(ROOT / "benchmarks"))
from page_weight import measure  # noqa: E402


def build(out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
                   check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        clean = build(out)
        TOUCHED.touch()
        cached = build(out)
        print(f"clean build:                        {clean:6.1f} s   (target < 90 s)")
        print(f"rebuild after touching {TOUCHED.name}: {cached:6.1f} s   (target < 20 s)\n")
        measure(out / "_build" / "html")


if __name__ == "__main__":
    main()
