"""The published book in a real browser: every page, offline, in headless Chromium, as readers get it.

The book is built (strictly) once per test session into a temporary folder and
served on localhost; the workers of pytest-xdist share that build. Every page is
opened at a desktop size (1366x900) and a phone size (390x844, touch), each in the
light and the dark colour scheme. In each of the four, the page must:

- load with no request leaving localhost and no console error, its math typeset
  by the book's own MathJax and every image loaded;
- not scroll sideways: what is wider than the column scrolls in its own box, with
  a visible cue, and no equation that fits is a tab stop;
- open its table of contents from the toggle a reader sees (a dialog on the phone,
  the sidebar on the desktop);
- show figures whose text is not shrunk below ``MIN_SCALE`` of its natural size;
- have interactive figures that step, whose paths start on the start markers drawn
  in the picture (checked on the pixels of the rendered picture);
- pass axe-core with no serious or critical violation (every rule, best practices
  and experimental rules included).

Full-page screenshots of every page in the four combinations go to
``_build/screenshots`` (a CI artifact). Chromium comes from the system (Debian's
``chromium`` package; ``.ci/run`` installs it when missing) or from ``CHROMIUM``.
The fixtures (build, server, browser) are in ``conftest.py``; the phone half runs
from ``test_browser_phone.py``, so that two xdist workers share the pages.
"""

from __future__ import annotations

import io
import re

import pytest
from conftest import DESKTOP, PHONE, QUIET, ROOT, chromium  # noqa: F401 (QUIET, chromium: benchmarks)

SCREENSHOTS = ROOT / "_build" / "screenshots"
# Shown width / natural width of a figure, at least (figures.js lays figures out to keep it):
# with the book's smallest figure text (gdlib.plots.SMALLEST_FONT, 12.5 CSS px at natural size)
# that keeps text at 11 px or more on a desktop and 8.5 px or more on a phone.
MIN_SCALE = {DESKTOP: 0.88, PHONE: 0.68}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental"]




def pages() -> list[str]:
    toc = (ROOT / "_toc.yml").read_text()
    return ["index.html"] + [f"{name}.html" for name in re.findall(r"(?:root|file): (\S+)", toc)] + ["genindex.html"]


def chapter_number(page_name: str) -> int | None:
    found = re.match(r"book/(\d\d)_", page_name)
    return int(found.group(1)) if found else None


# ---------------------------------------------------------------- the built HTML, without a browser

def test_pages_are_numbered_per_chapter_and_carry_no_solution_markers(site):
    html, _ = site
    for name in pages()[1:-1]:
        text = (html / name).read_text()
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, name
        assert "fontawesome.js" not in text, name
        chapter = chapter_number(name)
        figures = re.findall(r'<span class="caption-number">([^<]*)</span>', text)
        titles = re.findall(r'<p class="admonition-title">\s*<span class="caption-number">([^<]*)</span>', text)
        if chapter is None:  # front and back matter: no chapter number, so plain "Fig. 2."
            assert all(re.fullmatch(r"(Fig\.|Table|Exercise) \d+\.?", n.strip()) for n in figures), (name, figures)
            continue
        assert f'<span class="section-number">{chapter}. </span>' in text, f"{name} is not chapter {chapter}"
        for number in figures + titles:
            assert re.fullmatch(rf"(Fig\.|Table|Exercise) {chapter}\.\d+\.?", number.strip()), (name, number)
        assert any(t.startswith("Exercise") for t in titles), f"{name}: no numbered exercise"
    for image in re.findall(r"<img\b[^>]*>", "".join((html / n).read_text() for n in pages()[1:])):
        assert re.search(r'\bwidth="\d', image) and re.search(r'\bheight="\d', image), image[:150]


# ---------------------------------------------------------------- every page in a browser

def open_page(contexts, base, page_name, size, scheme):
    page = contexts(size, scheme).new_page()
    problems, outside = [], []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def only_localhost(route):
        if route.request.url.startswith((base, "data:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_localhost)
    page.goto(f"{base}/{page_name}", wait_until="load")
    if page_name == "index.html":  # a redirect to the first page
        page.wait_for_url(re.compile(r".*/book/intro\.html$"))
        page.wait_for_load_state("load")
    return page, problems, outside


def check_math(page):
    if page.locator(".math, span.math, div.math").count():
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


def check_images(page):
    page.evaluate("""async () => {
        for (const img of document.images) { img.loading = 'eager'; }
        await Promise.all([...document.images].map(img => img.complete ? null :
            new Promise(done => { img.onload = img.onerror = done; })));
    }""")
    broken = page.evaluate("() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
                           ".map(i => i.src.slice(0, 80))")
    assert not broken, f"images that did not load: {broken}"


def check_overflow(page, size):
    page.wait_for_timeout(150)  # the scroll cues are set after a resize settles
    found = page.evaluate("""() => {
        const wide = document.documentElement.scrollWidth - window.innerWidth;
        const uncued = [], stops = [];
        for (const box of document.querySelectorAll(
                "mjx-container[display='true'], .pst-scrollable-table-container, .gd-figure-scroll")) {
            if (!box.offsetParent) continue;
            const scrolls = box.scrollWidth - box.clientWidth > 1;
            const frame = box.parentElement;
            if (scrolls && !(frame.classList.contains('scroll-cue') && /right|left/.test(frame.dataset.more || '')
                             && box.tabIndex === 0)) uncued.push(box.outerHTML.slice(0, 80));
        }
        for (const m of document.querySelectorAll("mjx-container")) {
            if (m.tabIndex >= 0 && m.hasAttribute('tabindex') && !(m.scrollWidth - m.clientWidth > 1))
                stops.push(m.textContent.slice(0, 40));
        }
        return {wide, uncued, stops};
    }""")
    assert found["wide"] <= 0, f"the page scrolls sideways by {found['wide']} px at {size}"
    assert not found["uncued"], f"boxes that scroll with no cue: {found['uncued'][:3]}"
    assert not found["stops"], f"equations in the tab order: {found['stops'][:3]}"


def check_table_of_contents(page, size):
    toggle = page.locator(".bd-header-article .primary-toggle")
    if not toggle.count():
        return
    if size == PHONE:
        toggle.click()
        dialog = page.locator("#pst-primary-sidebar-modal")
        dialog.wait_for(state="visible", timeout=3000)
        link = dialog.get_by_role("link", name=re.compile("Momentum|动量"))
        assert link.is_visible() and link.bounding_box()["y"] < PHONE[1], "a chapter is not one tap away"
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden", timeout=3000)
        secondary = page.locator(".bd-header-article .secondary-toggle")
        if secondary.count() and secondary.is_visible():
            secondary.click()
            contents = page.locator("#pst-secondary-sidebar-modal")
            contents.wait_for(state="visible", timeout=3000)
            page.keyboard.press("Escape")
            contents.wait_for(state="hidden", timeout=3000)
    else:
        sidebar = page.locator("#pst-primary-sidebar")
        assert sidebar.is_visible()
        toggle.click()
        sidebar.wait_for(state="hidden", timeout=3000)
        toggle.click()
        sidebar.wait_for(state="visible", timeout=3000)


def check_figure_scale(page, size):
    small = page.evaluate("""() => {
        const out = [];
        for (const img of document.querySelectorAll('.bd-article img[width]')) {
            const figure = img.closest('.gd-figure');
            if (figure && figure.dataset.mode === 'stacked') continue;  // its panels are measured below
            const shown = img.getBoundingClientRect().width;
            const text = Number(img.dataset.textScale || 1);  // a picture drawn with larger text says by how much
            if (shown > 2) out.push([text * shown / Number(img.getAttribute('width')), img.alt.slice(0, 60)]);
        }
        for (const cell of document.querySelectorAll('.gd-panel')) {
            const img = cell.closest('.gd-figure').querySelector(':scope > img');
            const box = img.dataset.panels.split(';')[[...cell.parentElement.children].indexOf(cell)].split(' ');
            const natural = Number(img.getAttribute('width')) * (box[2] - box[0]);
            out.push([cell.getBoundingClientRect().width / natural, 'a panel of ' + img.alt.slice(0, 50)]);
        }
        return out;
    }""")
    shrunk = [(round(scale, 2), alt) for scale, alt in small if scale < MIN_SCALE[size]]
    assert not shrunk, f"figures shown below {MIN_SCALE[size]} of their size at {size}: {shrunk[:4]}"


def marker_offset(page, player, path_index: int) -> float | None:
    """Pixels between a path's first point (SVG) and the start marker drawn in the picture under it."""
    from PIL import Image

    picture = player.locator(".gp-picture")
    spot = picture.evaluate(f"""(box) => {{
        const line = box.querySelectorAll('polyline')[{path_index}];
        if (!line.points.length) return null;
        const p = line.points[0], m = box.querySelector('svg').getScreenCTM(), r = box.getBoundingClientRect();
        const area = box.querySelector('clipPath rect').getBBox();  // a start outside the axes has no marker
        if (p.x < area.x || p.x > area.x + area.width || p.y < area.y || p.y > area.y + area.height) return null;
        return [m.a * p.x + m.c * p.y + m.e - r.left, m.b * p.x + m.d * p.y + m.f - r.top,
                getComputedStyle(line).stroke];
    }}""")
    if spot is None:
        return None
    x, y, stroke = spot
    picture.evaluate("box => box.querySelector('svg').style.visibility = 'hidden'")
    shot = Image.open(io.BytesIO(picture.screenshot())).convert("RGB")
    picture.evaluate("box => box.querySelector('svg').style.visibility = ''")
    colours = [tuple(int(v) for v in re.findall(r"\d+", c)[:3]) for c in
               player.evaluate("p => [...p.querySelectorAll('polyline')].map(l => getComputedStyle(l).stroke)")]
    hits = []
    for px in range(max(0, int(x) - 10), min(shot.width, int(x) + 11)):
        for py in range(max(0, int(y) - 10), min(shot.height, int(y) + 11)):
            r, g, b = shot.getpixel((px, py))
            for c in colours:
                for dim in (1.0, 0.9):  # the dark theme dims pictures a little
                    if abs(r - dim * c[0]) + abs(g - dim * c[1]) + abs(b - dim * c[2]) < 60:
                        hits.append((px + 0.5, py + 0.5))
    if len(hits) < 5:
        return float("inf")
    xs, ys = [h[0] for h in hits], [h[1] for h in hits]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2  # the centre of the marker's ring
    return ((cx - x) ** 2 + (cy - y) ** 2) ** 0.5


def check_players(page, full: bool):
    from playwright.sync_api import expect

    for i in range(page.locator(".gdlib-player").count()):
        player = page.locator(".gdlib-player").nth(i)
        player.scroll_into_view_if_needed()
        lines = player.locator("polyline")
        for k in range(lines.count()):
            offset = marker_offset(page, player, k)
            alt = player.locator("img").get_attribute("alt")[:50]
            assert offset is None or offset <= 3, f"player {i} ({alt}): path {k} starts {offset:.1f} px off its marker"
        caption, slider = player.locator(".gdlib-caption"), player.locator("input[type=range]")
        opening = caption.inner_text()
        step = "back" if slider.input_value() == slider.get_attribute("max") else "next"
        player.locator(f"button[data-go={step}]").click()
        assert caption.inner_text() != opening, f"player {i}: the {step} button did not step"
        if not full:
            continue
        play, status = player.locator("button[data-go=play]"), player.locator("[role=status]")
        player.locator("button[data-go=first]").click()
        first = caption.inner_text()
        assert status.inner_text() == first  # a step is announced once
        player.locator("button[data-go=next]").click()
        assert slider.get_attribute("aria-valuetext").endswith(f"frame 2 of {int(slider.get_attribute('max')) + 1}")
        player.locator("button[data-go=back]").click()
        assert caption.inner_text() == first, "the back button did not step back"
        play.click()
        expect(play).to_have_text("Pause")
        assert status.inner_text() == ""  # nothing is announced while it plays
        expect(caption).not_to_have_text(first, timeout=5000)
        play.click()
        expect(play).to_have_text("Play")
        assert status.inner_text() == caption.inner_text()  # the frame it stopped on, once
        player.locator("button[data-go=last]").click()
        assert slider.input_value() == slider.get_attribute("max")


def check_solutions(page):
    title = page.locator("div.solution > .admonition-title").first
    if not title.count():
        return
    url, solution = page.url, page.locator("div.solution").first
    hidden = "toggle-hidden" in (solution.get_attribute("class") or "")
    title.scroll_into_view_if_needed()
    title.click(position={"x": 12, "y": title.bounding_box()["height"] / 2})  # on the words "Solution to"
    now = "toggle-hidden" in (solution.get_attribute("class") or "")
    assert now != hidden, "the solution title did not open or close it"
    assert page.url == url, "the solution title jumped away"


def check_accessibility(page, size, scheme):
    from axe_playwright_python.sync_playwright import Axe

    # No preload: axe would fetch the stylesheets itself and resolve the theme's @import wrongly (a 404).
    # MathJax's output is left out (thousands of nodes, a third of the run time); it is read to
    # assistive technology from its hidden MathML, and its colours are the text's.
    results = Axe().run(page, context={"exclude": [["mjx-container"]]},
                        options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                 "resultTypes": ["violations"], "preload": False})
    bad = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe-core at {size} {scheme}: {bad}"


def check_page(site, contexts, page_name, size):
    """All checks at one screen size, in the light scheme and then, on the same page, the dark one."""
    html, base = site
    page, problems, outside = open_page(contexts, base, page_name, size, "light")
    check_math(page)
    check_images(page)
    for scheme in ("light", "dark"):
        if scheme == "dark":  # the theme follows the system's scheme as it changes (default_mode: auto)
            page.emulate_media(color_scheme="dark")
            page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")
        check_overflow(page, size)
        check_figure_scale(page, size)
        check_players(page, full=(size, scheme) == (DESKTOP, "light"))
        if (size, scheme) == (DESKTOP, "light"):
            check_solutions(page)
        check_accessibility(page, size, scheme)
        check_table_of_contents(page, size)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = f"{page_name.replace('/', '_').replace('.html', '')}-{size[0]}-{scheme}.jpg"
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True, type="jpeg", quality=70)
    page.close()
    assert not outside, f"requests that left localhost: {outside[:5]}"
    assert not problems, problems


@pytest.mark.parametrize("page_name", pages())
def test_page_on_a_desktop(site, contexts, page_name):
    check_page(site, contexts, page_name, DESKTOP)


