"""Fixtures of the browser tests (test_browser.py, test_browser_phone.py): one build, one server, one browser.

The book is built strictly once per test session; with pytest-xdist the first worker
that needs it builds it and the others wait for it and serve the same folder.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DESKTOP, PHONE = (1366, 900), (390, 844)
BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
QUIET = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium() -> str | None:
    """The system's Chromium (Debian's ``chromium`` package), or the one ``CHROMIUM`` names."""
    found = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, BROWSERS)), None)
    return found if found and Path(found).exists() else None


def build_once(tmp_path_factory) -> Path:
    """The strict build, made by the first worker that needs it; the others wait for it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # common to all workers of this session
    out, lock, done = shared / "book", shared / "book.lock", shared / "book.done"
    try:
        os.close(os.open(lock, os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        for _ in range(600):
            if done.exists():
                break
            time.sleep(1)
        status = done.read_text() if done.exists() else "the build did not finish in 10 minutes"
        assert status == "ok", status
        return out / "_build" / "html"
    jupyter_book = Path(sys.executable).parent / "jupyter-book"  # installed next to this interpreter
    build = subprocess.run([str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "-n",
                            "--keep-going"], capture_output=True, text=True, cwd=ROOT)
    status = "ok" if build.returncode == 0 else build.stdout[-3000:] + build.stderr[-3000:]
    done.write_text(status)
    assert status == "ok", status
    return out / "_build" / "html"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The built book, served on a free localhost port: (folder, base URL)."""
    html = build_once(tmp_path_factory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield html, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# Module-scoped: Playwright's sync API allows one running instance per process, and xdist may run
# another browser module (live figures, JupyterLab) in the same worker after this one.
@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium found: install Debian's chromium package or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, args=QUIET)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def contexts(browser):
    """One browser context per screen size and colour scheme, shared by all pages (a warm cache)."""
    made = {}

    def get(size, scheme):
        if (size, scheme) not in made:
            made[size, scheme] = browser.new_context(
                viewport={"width": size[0], "height": size[1]}, color_scheme=scheme,
                is_mobile=size == PHONE, has_touch=size == PHONE, device_scale_factor=1)
        return made[size, scheme]

    yield get
    for context in made.values():
        context.close()
