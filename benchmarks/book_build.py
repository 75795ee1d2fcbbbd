"""Benchmark: how long the book takes to build, and how much each page weighs.

    python benchmarks/book_build.py

Builds the book (strict) into a temporary folder twice: from scratch, then
again after touching one chapter, as an author's edit would. Then prints every
page's weight: its HTML plus the images it shows, and separately the shared
theme, script and MathJax files, which a browser loads once for the whole book.

Targets (issue "The published book"): clean build under 90 s, cached rebuild
under 20 s on a 2-core machine, every chapter page with its images at most 2 MB.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
TOUCHED = ROOT / "book" / "03_sgd.ipynb"


def build(out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
                   check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def weight(page: Path, html_root: Path) -> tuple[int, int, int]:
    """Bytes of the page, of the images it shows, and of the shared files it loads."""
    text = page.read_text()
    def local(refs):
        files = {(page.parent / ref.split("?")[0]).resolve() for ref in refs if not ref.startswith(("http", "data:"))}
        return sum(f.stat().st_size for f in files if f.is_file() and html_root in f.parents)
    images = local(re.findall(r'<img[^>]+src="([^"]+)"', text))
    shared = local(re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+\.(?:js|css)[^"]*)"', text))
    return len(text.encode()), images, shared


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        clean = build(out)
        TOUCHED.touch()
        cached = build(out)
        html = out / "_build" / "html"
        print(f"clean build:                        {clean:6.1f} s   (target < 90 s)")
        print(f"rebuild after touching {TOUCHED.name}: {cached:6.1f} s   (target < 20 s)\n")
        print(f"{'page':32s} {'HTML':>8s} {'images':>8s} {'page + images':>14s}")
        heaviest, shared_max = 0, 0
        for page in sorted(html.glob("book/*.html")):
            own, images, shared = weight(page, html)
            heaviest, shared_max = max(heaviest, own + images), max(shared_max, shared)
            print(f"{page.stem:32s} {own / 1024:7.0f}K {images / 1024:7.0f}K {(own + images) / 1024:13.0f}K")
        mathjax = sum(f.stat().st_size for f in [html / "_static/mathjax/tex-chtml.js"] if f.exists())
        print(f"\nheaviest page with its images: {heaviest / 1e6:.2f} MB (target <= 2 MB)")
        print(f"shared theme files a page loads: {shared_max / 1e6:.2f} MB, of which MathJax {mathjax / 1e6:.2f} MB "
              "(cached by the browser after the first page)")


if __name__ == "__main__":
    main()
