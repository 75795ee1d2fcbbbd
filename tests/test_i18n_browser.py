"""The Chinese edition in headless Chromium (issue 17), beside the English one it links to.

The English book of ``conftest.py`` is built once; the Chinese one is built into its
``zh/`` folder (``python tools/i18n.py build --out .../zh``), as the README's build
command lays them out. Every Chinese page gets the checks of ``test_browser.py``
(math typeset, no console error, nothing leaving localhost, no sideways scrolling at
390 px, axe-core, light and dark; screenshots in ``_build/screenshots``), and:

- the language switch of a page lands on the same page in the other language, both ways;
- the Chinese search finds the pages for 梯度下降.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DESKTOP, PHONE, ROOT
from test_browser import check_page

ZH_TOC = re.findall(r"(?:root|file): (\S+)", (ROOT / "_toc.yml").read_text())
ZH_PAGES = [f"zh/{name}.html" for name in ZH_TOC[:2] + ["book/glossary_zh"] + ZH_TOC[2:]]


@pytest.fixture(scope="session")
def both(site):
    """The English site with the Chinese one in its zh/ folder: (folder, base URL)."""
    html, base = site
    lock, done = html.parent / "zh.lock", html.parent / "zh.done"
    try:
        os.close(os.open(lock, os.O_CREAT | os.O_EXCL))
    except FileExistsError:  # another xdist worker builds it
        for _ in range(600):
            if done.exists():
                break
            time.sleep(1)
    else:
        run = subprocess.run([sys.executable, str(ROOT / "tools" / "i18n.py"), "build", "--out", str(html / "zh")],
                             capture_output=True, text=True, cwd=ROOT)
        done.write_text("ok" if run.returncode == 0 else run.stdout[-3000:] + run.stderr[-3000:])
    status = done.read_text() if done.exists() else "the Chinese build did not finish in 10 minutes"
    assert status == "ok", status
    return html, base


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("page_name", ZH_PAGES)
def test_chinese_page(both, contexts, page_name, size):
    check_page(both, contexts, page_name, size)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", ["book/intro", "book/notation", "book/02_batch_gd"])
def test_language_switch_lands_on_the_same_page(both, contexts, name, size):
    _, base = both
    page = contexts(size, "light").new_page()
    page.goto(f"{base}/{name}.html")
    switch = page.locator("a.language-switch")
    assert switch.count() == 1 and switch.is_visible() and switch.inner_text().strip() == "中文"
    switch.click()
    page.wait_for_url(f"{base}/zh/{name}.html")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    if size == PHONE:  # the switch does not widen the phone's header
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    back = page.locator("a.language-switch")
    assert back.inner_text().strip() == "EN" and back.is_visible()
    back.click()
    page.wait_for_url(f"{base}/{name}.html")
    page.close()


def test_chinese_text_has_a_font(both, contexts):
    """No tofu: two different characters in the page's font draw different pictures.

    Readers' systems have CJK fonts; a test machine may not (Debian: fonts-noto-cjk or
    fonts-wqy-microhei), and then every character is the same empty box.
    """
    _, base = both
    page = contexts(PHONE, "light").new_page()
    page.goto(f"{base}/zh/book/intro.html")
    same = page.evaluate("""() => {
        const font = getComputedStyle(document.querySelector('article p')).font;
        const draw = (ch) => {
            const c = document.createElement('canvas'); c.width = c.height = 64;
            const g = c.getContext('2d'); g.font = font.replace(/\\d+(\\.\\d+)?px/, '48px'); g.fillText(ch, 4, 52);
            return c.toDataURL();
        };
        return draw('梯') === draw('度');
    }""")
    page.close()
    assert not same, "Chinese characters render as boxes: install a CJK font (fonts-noto-cjk)"


def test_chinese_search_finds_gradient_descent(both, contexts):
    _, base = both
    page = contexts(DESKTOP, "light").new_page()
    page.goto(f"{base}/zh/search.html?q=梯度下降")
    page.wait_for_selector("#search-results ul.search li", timeout=20000)
    page.wait_for_function("() => !document.querySelector('#search-progress') || "
                           "!/Preparing|正在/.test(document.querySelector('#search-progress').textContent)")
    found = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    assert any(href.split("?")[0].endswith("/zh/book/intro.html") for href in found), found
    assert all("/zh/" in href for href in found), found
    page.close()


def test_chinese_downloads_are_the_chinese_notebooks(both):
    html, _ = both
    for source in sorted((ROOT / "book").glob("*.ipynb")):
        served = html / "zh" / "_sources" / "book" / source.name
        assert served.read_text() == (html / "zh-notebooks" / "book" / source.name).read_text(), source.name
    assert Path(html / "zh" / "book" / "glossary_zh.html").is_file()
