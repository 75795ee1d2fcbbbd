"""Benchmark: what each page of the built book transfers on a cold load, everything included.

    python benchmarks/page_weight.py             # builds the book into a temporary folder
    python benchmarks/page_weight.py _build/html # or measures a book already built

Every page is opened in headless Chromium with an empty cache, all its images are
loaded (lazily loaded figures and those in closed solutions too), and every file
it fetched is counted, as the browser's resource timing reports it: the HTML,
stylesheets, scripts, MathJax and its fonts, icons, images.
The first column is the bytes as served by a plain file server; the second what a
server that compresses text (as GitHub Pages does, gzip) would send. Chromium is
found as in tests/test_browser.py.

Target (issue "The published book on every screen"): every chapter page at most
2.5 MB on a cold load, uncompressed.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_browser import QUIET, chromium, pages  # noqa: E402

TARGET = 2.5e6
TEXT = (".html", ".css", ".js", ".svg", ".json", ".txt")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def fetch(html: Path, base: str, url: str) -> bytes:
    """The bytes of a file the page loaded, read from the built book."""
    path = html / url[len(base):].split("?")[0].split("#")[0].lstrip("/")
    return path.read_bytes() if path.is_file() else b""


def measure(html: Path) -> None:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"{'page':28s} {'served':>9s} {'gzipped':>9s} {'requests':>9s}   largest")
    worst = 0.0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=QUIET)
        for name in pages()[1:]:  # not index.html, a redirect to the first page
            context = browser.new_context(viewport={"width": 1366, "height": 900})  # a cold cache each time
            page = context.new_page()
            page.goto(f"{base}/{name}", wait_until="load")
            page.evaluate("""async () => {
                for (const i of document.images) { i.loading = 'eager'; }  // hidden ones too: the worst case
                await Promise.all([...document.images].map(i => i.complete ? null :
                    new Promise(done => { i.onload = i.onerror = done; setTimeout(done, 10000); })));
            }""")
            page.wait_for_timeout(500)
            # The browser's own account of every file the page fetched (the page itself included).
            got = dict(page.evaluate("""() => performance.getEntriesByType('navigation')
                .concat(performance.getEntriesByType('resource'))
                .map(e => [e.name, e.decodedBodySize])"""))
            served = sum(got.values())
            texts = {url: size for url, size in got.items() if url.split("?")[0].endswith(TEXT)}
            zipped = served - sum(texts.values()) + sum(len(gzip.compress(fetch(html, base, url), 6)) for url in texts)
            largest = max(got.items(), key=lambda item: item[1])
            if name.startswith("book/") and name[5:7].isdigit():
                worst = max(worst, served)
            print(f"{name:28s} {served / 1e6:7.2f}MB {zipped / 1e6:7.2f}MB {len(got):9d}   "
                  f"{largest[0].split('/')[-1].split('?')[0][:40]} {largest[1] / 1e3:.0f} kB")
            context.close()
        browser.close()
    server.shutdown()
    print(f"\nheaviest chapter page: {worst / 1e6:.2f} MB (target <= {TARGET / 1e6} MB)")


def main() -> None:
    if len(sys.argv) > 1:
        measure(Path(sys.argv[1]).resolve())
        return
    with tempfile.TemporaryDirectory() as tmp:
        jupyter_book = Path(sys.executable).parent / "jupyter-book"
        subprocess.run([str(jupyter_book), "build", str(ROOT), "--path-output", tmp, "-W", "-n", "--keep-going"],
                       check=True, capture_output=True, cwd=ROOT)
        measure(Path(tmp) / "_build" / "html")


if __name__ == "__main__":
    main()
