"""The published book in a real browser: every page, offline, in headless Chromium.

The book is built (strictly) into a temporary folder and served on localhost.
Every page must load with no request leaving localhost, typeset its math with
the book's own MathJax, load every image, log no console error, and every
interactive figure must step when its controls are used. A screenshot of each
page is saved to ``_build/screenshots`` (a CI artifact).

Chromium comes from the system (Debian's ``chromium`` package; ``.ci/run``
installs it when missing) or from the ``CHROMIUM`` environment variable.
"""

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots"
BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
QUIET = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium() -> str | None:
    found = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, BROWSERS)), None)
    return found if found and Path(found).exists() else None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Build the book strictly into a temporary folder and serve it on a free localhost port."""
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"  # installed next to this interpreter
    build = subprocess.run([str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "-n",
                            "--keep-going"], capture_output=True, text=True, cwd=ROOT)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    html = out / "_build" / "html"
    handler = functools.partial(QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield html, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium found: install Debian's chromium package or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw.chromium.launch(executable_path=executable, args=QUIET)


def pages() -> list[str]:
    toc = (ROOT / "_toc.yml").read_text()
    return ["index.html"] + [f"{name}.html" for name in re.findall(r"(?:root|file): (\S+)", toc)] + ["genindex.html"]


@pytest.mark.parametrize("page_name", pages())
def test_page_in_a_browser(site, browser, page_name):
    html, base = site
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems, outside = [], []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def only_localhost(route):
        if route.request.url.startswith(base) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_localhost)
    page.goto(f"{base}/{page_name}", wait_until="load")
    page.wait_for_load_state("networkidle")

    # Math: typeset by the book's own MathJax, no raw TeX left outside code.
    has_math = page.locator(".math, span.math, div.math").count() > 0
    if has_math:
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")
        assert page.locator("mjx-container").count() > 0, "math was not typeset"
    text = page.evaluate("""() => {
        const article = document.querySelector('article') || document.body;
        const copy = article.cloneNode(true);
        copy.querySelectorAll('pre, code, .highlight, mjx-container, script, style').forEach(e => e.remove());
        return copy.innerText;
    }""")
    raw = re.findall(r"\$\$|\\\(|\\\[|\\(?:frac|alpha|beta|nabla|lVert|sum|hat|top)\b", text)
    assert not raw, f"raw TeX on the page: {raw[:5]}"

    # Images: scroll every one into view, then all must have loaded.
    page.evaluate("""async () => {
        for (const img of document.images) { img.loading = 'eager'; img.scrollIntoView(); }
        await Promise.all([...document.images].map(img => img.complete ? null :
            new Promise(done => { img.onload = img.onerror = done; })));
    }""")
    broken = page.evaluate("() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
                           ".map(i => i.src.slice(0, 80))")
    assert not broken, f"images that did not load: {broken}"

    # Interactive figures: every control must change what is shown.
    for i in range(page.locator(".gdlib-player").count()):
        player = page.locator(".gdlib-player").nth(i)
        player.scroll_into_view_if_needed()
        caption, line = player.locator(".gdlib-caption"), player.locator("polyline").first
        last = caption.inner_text()
        player.locator("button[data-go=first]").click()
        first = caption.inner_text()
        assert first != last, "the first-frame button did not change the figure"
        player.locator("button[data-go=next]").click()
        assert caption.inner_text() != first, "the next-frame button did not step"
        player.locator("button[data-go=back]").click()
        assert caption.inner_text() == first, "the back button did not step back"
        player.locator("button[data-go=play]").click()
        expect(caption).not_to_have_text(first, timeout=5000)  # play advances the figure
        player.locator("button[data-go=play]").click()  # pause
        points = line.get_attribute("points")
        player.locator("input[type=range]").fill("0")
        assert line.get_attribute("points") != points or caption.inner_text() == first
        player.locator("button[data-go=last]").click()
        assert caption.inner_text() == last

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / (page_name.replace("/", "_").replace(".html", ".png"))), full_page=True)
    page.close()
    assert not outside, f"requests that left localhost: {outside[:5]}"
    assert not problems, problems
