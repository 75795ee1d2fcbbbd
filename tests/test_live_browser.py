"""Live figures in headless Chromium: the page computes gdlib's paths, and every control moves them.

1. The port against gdlib: every optimizer on every surface, SGD and mini-batches on data and
   runs that blow up (tests/live_cases.py), through the same code the figures use (the data and
   the shuffles decoded from what gdlib.live exports); each whole path must equal gdlib's to a
   relative 1e-12, the losses too, and a blow-up must stop at the same step.
2. Every kind of live figure (examples/live_figures.py, one per chapter): dragging the start (mouse,
   touch, arrow keys) and moving each control must change the computed path, at 1366x900 and at
   390x844 with a touch screen; the rate map sets momentum's sliders when clicked or tapped, and a
   click on its star gives the best pair exactly.
3. The same in the built book (built strictly once for the module, or GDLIB_BOOK_HTML): every page
   of _toc.yml holds the live figures its notebook holds, and each comes to life and moves, with no
   console error.

Chromium comes from the system (Debian's ``chromium``) or the ``CHROMIUM`` environment variable.
Screenshots go to ``_build/screenshots/live-*.png`` (the book's: one per figure and device).
"""

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import live_cases
import nbformat
import numpy as np
import pytest

from gdlib import live
from gdlib.live import export

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
import live_figures  # noqa: E402

SCREENSHOTS = ROOT / "_build" / "screenshots"
QUIET = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]

WINDOW = 20  # points: the scale of a path at a point is its largest entry over the last 20
RUN = """(inputs) => inputs.map((c) => {
  const { gdlib: G, train: T, runs: F } = gdlibLive.modules;
  const data = c.data ? F.dataset(c.data) : null;
  const h = c.kind === "surface" ? T.minimize(F.make_surface(c.surface, data), c.w0, F.optimizer(c.run), c.steps)
    : T.fit(G.mse, c.w0, data.X, data.y, F.optimizer(c.run),
            { batch_size: c.run.batch_size, epochs: c.epochs, orders: data.orders[c.run.seed] });
  return { trajectory: h.trajectory, losses: h.losses, step_losses: h.step_losses, diverged: h.diverged,
           diverged_step: h.diverged_step };
})"""


@pytest.fixture(scope="module")
def browser():
    found = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, ["chromium", "chromium-browser",
                                                                               "google-chrome"])), None)
    if found is None:
        pytest.skip("no Chromium found: install Debian's chromium package or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw.chromium.launch(executable_path=found, args=QUIET)


def page_input(case: dict) -> dict:
    """A case as the page gets it: settings from gdlib.live, data and shuffles as base64 like a figure's."""
    got = live_cases.browser_input(case)
    data = case.get("data") or (case["surface"] if isinstance(case.get("surface"), tuple) else None)
    if data is not None:
        X, y = data
        orders = {} if not got.get("orders") else {str(case["seed"]): export.b64(np.array(got["orders"]), "<u2")}
        got["data"] = {"n": len(y), "d": 2, "X": export.b64(X, "<f8"), "y": export.b64(y, "<f8"), "orders": orders}
    return {k: v for k, v in got.items() if k != "orders"}


def assert_close(got, expected, what: str):
    """Every point within TOLERANCE of gdlib's, relative to the size of the path there.

    The size is the largest entry over the last WINDOW points: a path that swings through
    zero (momentum) has points far smaller than their neighbours, where even the last bit
    would count as a large relative error.
    """
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    assert got.shape == expected.shape, f"{what}: {got.shape} points, gdlib has {expected.shape}"
    if not expected.size:
        return
    size = np.abs(expected).reshape(len(expected), -1).max(axis=1)
    scale = np.array([size[max(0, t - WINDOW):t + 1].max() for t in range(len(size))])
    error = np.abs(got - expected).reshape(len(expected), -1).max(axis=1)
    bad = np.flatnonzero(~(error <= live_cases.TOLERANCE * scale))
    assert not len(bad), f"{what} drifts from gdlib at point {bad[0]}: {got[bad[0]]} against {expected[bad[0]]}"


def test_the_page_computes_gdlibs_paths(browser):
    cases = live_cases.surface_cases() + live_cases.data_cases()
    page = browser.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(content=live.script())
    results = page.evaluate(RUN, [page_input(c) for c in cases])
    page.close()
    for case, got in zip(cases, results, strict=True):
        h = live_cases.reference(case)
        name = case["name"]
        assert (got["diverged"], got["diverged_step"]) == (h.diverged, h.diverged_step), name
        assert_close(got["trajectory"], h.trajectory, f"{name}: path")
        assert_close(got["losses"], h.losses, f"{name}: losses")
        assert_close(got["step_losses"], h.step_losses, f"{name}: step losses")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A page with one live figure of every kind."""
    body = "".join(f"<h2>{name}</h2>{make().html}" for name, make in live_figures.FIGURES.items())
    path = tmp_path_factory.mktemp("live") / "index.html"
    path.write_text(live_figures.page("live figures", body), encoding="utf-8")
    return path.as_uri()


def path_of(page, k: int) -> list:
    """A fingerprint of figure k's computed paths: length and a weighted sum of every coordinate per run."""
    return page.evaluate("""(k) => gdlibLive.figures[k].results.map(({ h }) =>
        [h.trajectory.length, h.trajectory.reduce((s, w, t) => s + (t % 7 + 1) * w[0] + (t % 5 + 1) * w[1], 0)])""", k)


def drawn(page, k: int) -> str:
    return page.evaluate("(k) => gdlibLive.figures[k].root.querySelector('.gl-path polyline').getAttribute('points')",
                         k)


def touch_drag(page, x, y, dx, dy):
    """A finger on (x, y), moved by (dx, dy) in five steps, lifted: real touch events, as a phone sends them."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 6):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                              "touchPoints": [{"x": x + dx * i / 5, "y": y + dy * i / 5}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def centre(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


DEVICES = {"desktop": {"viewport": {"width": 1366, "height": 900}},
           "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
                     "device_scale_factor": 2}}


def open_page(browser, device: str, url: str):
    """A page at the device's size, recording console errors and uncaught exceptions in ``page.problems``."""
    context = browser.new_context(**DEVICES[device])
    page = context.new_page()
    page.problems = []

    def console(message):  # the browser's own request for /favicon.ico is no error of the page's
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            page.problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.goto(url)
    return page


STAR = """(k) => {  // where the rate map's star (the best pair) is on the screen, or null
  const fig = gdlibLive.figures[k], spec = fig.config.rate;
  if (!spec || !spec.best) return null;
  const [x0, y0, w, h] = spec.box, [lr, beta] = spec.best;
  const x = x0 + ((Math.log10(lr) - spec.x[0]) / (spec.x[1] - spec.x[0])) * w;
  const y = y0 + h - ((-Math.log10(1 - beta) - spec.y[0]) / (spec.y[1] - spec.y[0])) * h;
  const svg = fig.root.querySelector(".gl-rate svg"), box = svg.getBoundingClientRect(), view = svg.viewBox.baseVal;
  return [box.left + (x * box.width) / view.width, box.top + (y * box.height) / view.height];
}"""


def exercise(page, k: int, name: str, phone: bool) -> None:
    """Drag the start of figure k (finger or mouse), move it with the arrow keys, move every control and use
    the rate map; after each, the computed path and what is drawn must have changed."""
    figure = page.locator(".gdlib-live").nth(k)
    figure.scroll_into_view_if_needed()
    assert "gl-on" in (figure.get_attribute("class") or ""), f"{name}: the figure did not come to life"

    # The start point: dragged (finger or mouse), then moved with the arrow keys.
    start = figure.locator(".gl-start")
    start.scroll_into_view_if_needed()
    before, points = path_of(page, k), drawn(page, k)
    x, y = centre(start)
    if phone:
        touch_drag(page, x, y, -25, 20)
    else:
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x - 15, y + 10)
        page.mouse.move(x - 25, y + 20)
        page.mouse.up()
    after = path_of(page, k)
    assert after != before and drawn(page, k) != points, f"{name}: dragging the start did not move the path"
    start.focus()
    page.keyboard.press("ArrowRight")
    assert path_of(page, k) != after, f"{name}: the arrow key did not move the start"

    # Each control, in order. Sliders go back where they were after their test, so that each is moved
    # from the figure's own settings; choices and switches stay (a schedule chosen makes tau matter).
    controls = figure.locator(".gl-control")
    for i in range(controls.count()):
        control = controls.nth(i)
        label = control.locator(".gl-name").inner_text()
        before = path_of(page, k)
        field = control.locator("input, select").first
        field.scroll_into_view_if_needed()
        kind = field.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
        if kind == "select":
            options = field.locator("option").count()
            field.select_option(index=(int(field.input_value()) + 1) % options)
        elif kind == "checkbox":
            field.tap() if phone else field.click()
        else:
            was, top = int(field.input_value()), int(field.get_attribute("max"))
            if phone:  # a finger slides the thumb a little
                box = field.bounding_box()
                thumb = box["x"] + 8 + (box["width"] - 16) * was / top
                touch_drag(page, thumb, box["y"] + box["height"] / 2, -20 if was >= top / 2 else 20, 0)
            else:
                field.focus()
                page.keyboard.press("ArrowRight" if was < top else "ArrowLeft")
            assert int(field.input_value()) != was, f"{name}: '{label}' did not move"
        assert path_of(page, k) != before, f"{name}: moving '{label}' did not change the path"
        if kind == "range":
            field.fill(str(was))
            assert path_of(page, k) == before, f"{name}: '{label}' did not go back"

    # The rate map: a click or a tap chooses alpha and beta, the star gives the best pair, arrow keys step.
    rate = figure.locator(".gl-rate svg")
    if rate.count():
        sliders = figure.locator(".gl-control input[type=range]")
        values = [sliders.nth(i).input_value() for i in range(sliders.count())]
        before = path_of(page, k)
        rate.scroll_into_view_if_needed()
        box = rate.bounding_box()
        spot = (box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.4)
        page.touchscreen.tap(*spot) if phone else page.mouse.click(*spot)
        assert [sliders.nth(i).input_value() for i in range(sliders.count())] != values, \
            f"{name}: the rate map did not set the sliders"
        assert path_of(page, k) != before, f"{name}: the rate map did not change the path"
        star = page.evaluate(STAR, k)
        if star is not None:  # a little off the star's centre, as a finger lands
            page.touchscreen.tap(star[0] + 3, star[1] - 3) if phone else page.mouse.click(star[0] + 3, star[1] - 3)
            got = page.evaluate("(k) => { const f = gdlibLive.figures[k], r = f.runs[f.config.rate.run];"
                                " return [[r.lr, r.beta], f.config.rate.best]; }", k)
            assert got[0] == got[1], f"{name}: a click on the star gave {got[0]}, not the best pair {got[1]}"
        before = path_of(page, k)
        rate.focus()
        page.keyboard.press("ArrowUp")
        assert path_of(page, k) != before, f"{name}: the arrow keys on the rate map did nothing"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_control_of_every_figure_moves_the_path(browser, demo, device):
    page = open_page(browser, device, demo)
    assert page.locator(".gdlib-live").count() == len(live_figures.FIGURES) == page.evaluate("gdlibLive.figures.length")
    for k, name in enumerate(live_figures.FIGURES):
        exercise(page, k, name, device == "phone")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"live-{device}.png"), full_page=True)
    page.context.close()
    assert not page.problems, page.problems


# ---- the live figures in the built book ----

def book_pages() -> list[str]:
    """Every page of the book, from _toc.yml."""
    return re.findall(r"(?:root|file): (\S+)", (ROOT / "_toc.yml").read_text())


def figures_in_notebooks() -> dict[str, int]:
    """Page name -> how many live figures its notebook's outputs hold."""
    count = {}
    for name in book_pages():
        path = ROOT / f"{name}.ipynb"
        if path.exists():
            outputs = [o for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code" for o in c.outputs]
            count[name] = sum('class="gdlib-live"' in o.get("data", {}).get("text/html", "") for o in outputs)
    return count


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The book built strictly, once for this module, and served on localhost.

    Set GDLIB_BOOK_HTML to a built book's html folder (``jupyter-book build . -W -n --keep-going``
    writes ``_build/html``) to test that build instead of making a new one.
    """
    html = os.environ.get("GDLIB_BOOK_HTML")
    if html:
        html = Path(html)
        assert (html / "index.html").exists(), f"GDLIB_BOOK_HTML={html} holds no built book"
    else:
        out = tmp_path_factory.mktemp("book")
        build = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "--path-output",
                                str(out), "-W", "-n", "--keep-going"], capture_output=True, text=True, cwd=ROOT)
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
        html = out / "_build" / "html"
    handler = functools.partial(Quiet, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def live_pages(book: str) -> dict[str, int]:
    """Every page of _toc.yml that holds live figures (found by their class in the built HTML) -> how many.

    Each count must be what the page's notebook holds in its outputs: none lost in the build."""
    expected, found = figures_in_notebooks(), {}
    for name in book_pages():
        with urllib.request.urlopen(f"{book}/{name}.html") as response:
            count = response.read().decode().count('<div class="gdlib-live"')
        assert count == expected.get(name, 0), f"{name}: {count} live figures, the notebook has {expected.get(name, 0)}"
        if count:
            found[name] = count
    assert len(found) >= 2, "chapters 2 and 5 hold live figures"
    return found


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_live_figure_of_the_book_moves(browser, book, device):
    """Every live figure on the pages of _toc.yml comes to life, and every control of it moves the path,
    with a mouse at 1366x900 and with a finger at 390x844, with no console error."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, count in live_pages(book).items():
        page = open_page(browser, device, f"{book}/{name}.html")
        assert page.locator(".gdlib-live").count() == page.evaluate("gdlibLive.figures.length") == count
        for k in range(count):
            exercise(page, k, f"{name}, figure {k + 1}", device == "phone")
            page.locator(".gdlib-live").nth(k).screenshot(
                path=str(SCREENSHOTS / f"live-{Path(name).name}-{k + 1}-{device}.png"))
        page.context.close()
        assert not page.problems, f"{name}: {page.problems}"


# ---- how the figures look: layout, dark scheme, lines, names (the page as the reviewers saw it) ----

FIGURE = {name: k for k, name in enumerate(live_figures.FIGURES)}


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_controls_sit_in_a_clean_grid(browser, demo, device):
    """Each control's name on a line of its own above its input, the readout beside a slider that keeps its width,
    nothing overlapping, at 1366 and at 390 px."""
    page = open_page(browser, device, demo)
    boxes = page.evaluate("""() => [...document.querySelectorAll('.gl-control')].map((c) => {
      const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
      const field = c.querySelector('input, select'), out = c.querySelector('output');
      return { text: c.querySelector('.gl-name').textContent, kind: field.type, name: box(c.querySelector('.gl-name')),
               field: box(field), out: out && box(out), row: box(c),
               height: c.querySelector('.gl-name').getBoundingClientRect().height };
    })""")
    assert len(boxes) >= 20
    for b in boxes:
        assert b["height"] < 30, f"{device}: '{b['text']}' wraps"
        assert b["row"][2] <= page.viewport_size["width"], f"{device}: '{b['text']}' runs off the screen"
        if b["kind"] == "checkbox":
            continue
        assert b["name"][3] <= b["field"][1] + 1, f"{device}: '{b['text']}' is not above its input"
        assert b["field"][2] - b["field"][0] >= 120, f"{device}: the input of '{b['text']}' is squeezed"
        if b["out"]:  # the readout right of the slider, on its row, inside the control
            assert b["field"][2] <= b["out"][0] and b["out"][2] <= b["row"][2] + 1, f"{device}: '{b['text']}'"
    page.context.close()
    assert not page.problems, page.problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_panel_is_the_same_paper_and_the_page_passes_axe(browser, demo, scheme):
    """Pictures and drawn panels alike: white paper with a border (in the dark scheme all equally dimmed), the text
    around them readable (axe-core's colour contrast and every other serious or critical rule)."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(demo)
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    looks = page.evaluate("""() => [...document.querySelectorAll('.gl-panel')].map((p) => {
      const s = getComputedStyle(p), img = p.querySelector('img');
      return [s.backgroundColor, s.filter, s.borderTopStyle, s.borderTopColor,
              img ? getComputedStyle(img).filter : 'none'];
    })""")
    assert len(looks) >= 15 and len({tuple(x) for x in looks}) == 1, looks
    background, dim, border, _, picture = looks[0]
    assert background == "rgb(255, 255, 255)" and border == "solid" and picture == "none"
    assert dim == ("brightness(0.9)" if scheme == "dark" else "none")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "best-practice"]},
                                       "resultTypes": ["violations"]})
    bad = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"live-momentum-{scheme}.png"
    page.locator(".gdlib-live").nth(FIGURE["momentum"]).screenshot(path=str(shot))
    context.close()
    assert not bad, f"axe-core, {scheme}: {bad}"


def test_nesterov_run_is_dashed_on_top_and_named(browser, demo):
    page = open_page(browser, "desktop", demo)
    k, figure = FIGURE["momentum"], page.locator(".gdlib-live").nth(FIGURE["momentum"])
    legend = figure.locator(".gl-legend")
    assert "momentum:" in legend.inner_text()
    figure.locator(".gl-toggle input").check()
    assert "momentum (Nesterov):" in legend.inner_text()
    assert "learning rate α (momentum)" in figure.locator(".gl-controls").inner_text()  # the switch says Nesterov
    lines = page.evaluate("""(k) => { const fig = gdlibLive.figures[k];
      return [...fig.root.querySelectorAll('polyline.gl-curve, polyline.gl-path-line')].map((l) => [
        l.getAttribute('stroke') === fig.colour(1), l.getAttribute('stroke-dasharray'),
        [...l.parentNode.querySelectorAll(':scope > polyline.gl-curve, :scope > polyline.gl-path-line')].pop() === l]);
    }""", k)
    nesterov = [line for line in lines if line[0]]
    assert len(nesterov) == 4  # the path, the loss and the two eigendirections
    assert all(dash == "7 4" and on_top for _, dash, on_top in nesterov), lines
    assert page.evaluate("(k) => gdlibLive.figures[k].colour(1)", k) == plots_colour("nesterov")
    figure.locator(".gl-toggle input").uncheck()
    assert "momentum:" in legend.inner_text() and "Nesterov)" not in legend.inner_text()
    page.context.close()
    assert not page.problems, page.problems


def plots_colour(key):
    from gdlib import plots

    return plots.color(key)


def test_sgd_runs_take_the_batch_colour_their_schedule_names_them_and_lines_are_thinned(browser, demo):
    page = open_page(browser, "desktop", demo)
    k, figure = FIGURE["sgd"], page.locator(".gdlib-live").nth(FIGURE["sgd"])
    strokes = page.evaluate("""(k) => [...gdlibLive.figures[k].root.querySelectorAll('.gl-path polyline')]
      .map((l) => [l.getAttribute('stroke'), l.getAttribute('stroke-dasharray')])""", k)
    assert strokes == [[plots_colour(1), "none"], [plots_colour(1), "7 4"]]  # B = 1's colour, never gd's or momentum's
    # about a point per device pixel, the first and the last kept, never more than the steps
    counts = page.evaluate("""(k) => { const fig = gdlibLive.figures[k];
      return [...fig.root.querySelectorAll('polyline.gl-path-line, polyline.gl-curve')].map((l) => {
        const p = l.getAttribute('points').split(' ');
        return [p.length, p[0], p.at(-1)];
      }); }""", k)
    ends = page.evaluate("""(k) => { const fig = gdlibLive.figures[k], p = fig.problem(), [x0, y0, w, h] = p.box;
      return fig.results.map(({ h: { trajectory: t } }) => [t[0], t.at(-1)].map(([a, b]) =>
        `${(x0 + ((a - p.xlim[0]) / (p.xlim[1] - p.xlim[0])) * w).toFixed(1)},` +
        `${(y0 + h - ((b - p.ylim[0]) / (p.ylim[1] - p.ylim[0])) * h).toFixed(1)}`)); }""", k)
    for (n, first, last), (start, end) in zip(counts[:2], ends, strict=True):
        assert 100 < n < 2001 and (first, last) == (start, end)
    assert all(100 < n < 2001 for n, _, _ in counts[2:])
    # the schedule control of the run labelled "decaying": choose constant, and the legend and its controls say so
    legend = figure.locator(".gl-legend")
    assert "decaying:" in legend.inner_text()
    figure.locator(".gl-control select").first.select_option(label="constant α")
    assert "constant α:" in legend.inner_text() and "decaying" not in legend.inner_text()
    assert "τ of the schedule (constant α)" in figure.locator(".gl-controls").inner_text()
    figure.locator(".gl-control select").first.select_option(label="α / (1 + (t − 1)/τ)")
    assert "decaying:" in legend.inner_text()
    page.context.close()
    assert not page.problems, page.problems
