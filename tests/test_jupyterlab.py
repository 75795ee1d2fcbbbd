"""The chapters in real JupyterLab, as a learner gets them from ``python tools/learn.py``.

One JupyterLab server (127.0.0.1, a token) serves a learner's copy made by the
real command, which trusts it, with a trust database of this test's own. In the
system's headless Chromium, for every notebook: opened without running, its
MyST reads as text (no raw roles or directives) and every player steps; then
Run All gives no error, and the explorer shows a picture that changes when a
slider moves. An explorer also runs in Notebook 7, and an untrusted copy shows
why the copy is trusted: its players do not step.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from gdlib import plots

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from labdriver import EXPLORER_IMAGE, PIXELS, RUN_ALL, Lab, chromium  # noqa: E402

NOTEBOOKS = sorted(p.name for p in (ROOT / "book").glob("*.ipynb"))
SHOWN = "window.jupyterapp.shell.currentWidget.content.node.innerText"  # the open notebook's text
KEYS = re.findall(r"@\w+\{([^,\s]+),", (ROOT / "book" / "references.bib").read_text())  # citation keys
RAW = ["{numref}", "{cite:", "{ref}", ":label:", "{exercise", "{solution", "```{", ":::{"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if chromium() is None:
        pytest.skip("no Chromium found: install Debian's chromium package or set CHROMIUM")
    home = tmp_path_factory.mktemp("learner")
    env = {"JUPYTER_DATA_DIR": str(home / "jupyter-data")}  # the trust database of this test only
    made = subprocess.run([sys.executable, str(ROOT / "tools" / "learn.py"), "--no-lab", "--to", str(home / "copy")],
                          env={**os.environ, **env}, capture_output=True, text=True)
    assert made.returncode == 0 and "Trusted" in made.stdout, made.stdout + made.stderr
    untrusted = home / "copy" / "untrusted"
    untrusted.mkdir()
    nb = nbformat.read(ROOT / "book" / "02_batch_gd.ipynb", as_version=4)
    nb.metadata["copied_by"] = "test"  # trust goes by content: the same content would be trusted already
    nbformat.write(nb, untrusted / "02_batch_gd.ipynb")  # as cloned: never signed
    cell = "from gdlib import widgets\nwidgets.descent_explorer()"  # for Notebook 7: the explorer alone
    alone = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)],
                                    metadata={"kernelspec": nb.metadata.kernelspec})
    nbformat.write(alone, home / "copy" / "explorer.ipynb")
    with Lab(home / "copy", env=env) as running:
        yield running
        assert not running.outside, f"requests left the machine: {running.outside[:5]}"


def rendered_text(page) -> str:
    """What the learner reads: rendered Markdown and outputs (hidden editors are not innerText).

    jupyterlab-myst renders cells one after another: wait (up to a minute) until
    the text has stopped growing and no raw markup is left.
    """
    text, deadline = "", time.monotonic() + 60
    while time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        now = page.evaluate(f"() => {SHOWN}")
        if now == text and not any(r in now for r in RAW):
            break
        text = now
    return text


def step_players(page) -> int:
    """Press first, next and last on every player; each press must change the picture's paths and caption."""
    players = page.locator(".gdlib-player")
    for i in range(players.count()):
        player = players.nth(i)
        player.scroll_into_view_if_needed()
        assert player.locator("input[type=range]").is_enabled()
        seen = []
        for button in ["first", "next", "last"]:
            player.locator(f"button[data-go={button}]").click()
            seen.append((player.locator("polyline").first.get_attribute("points"),
                         player.locator(".gdlib-caption").inner_text()))
        assert seen[0] != seen[1] != seen[2], f"player {i} does not step: {seen[0][1]!r} {seen[1][1]!r}"
    return players.count()


def shown(image) -> dict:
    """The digest of the explorer's picture as the page shows it, once decoded."""
    image.evaluate("img => img.decode().catch(() => null)")
    return image.evaluate(PIXELS)


# An explorer's picture: two panels at the book's figure width (gdlib.plots.subplots), 100 dpi.
EXPLORER_WIDTH = round(100 * plots.PANEL_WIDTHS[2])


def move_explorer(page, marker: str = "_explorer(") -> None:
    """Drag the explorer's first slider a little; fails unless a picture shows and then changes."""
    image = page.evaluate_handle(EXPLORER_IMAGE, marker).as_element()
    assert image is not None, "the explorer shows no picture"
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image)
    before = shown(image)
    assert before["width"] == EXPLORER_WIDTH and before["ink"] > 1000, before
    handle = page.evaluate_handle("img => img.closest('.jp-Cell').querySelector('.noUi-handle')", image)
    handle.as_element().scroll_into_view_if_needed()
    box = handle.as_element().bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y, steps=4)  # a learner's drag: several values, the last one counts
    page.mouse.up()
    deadline = time.monotonic() + 60
    while (after := shown(image))["hash"] in (before["hash"], None) and time.monotonic() < deadline:
        page.wait_for_timeout(250)  # until a new picture is decoded
    assert after["hash"] != before["hash"] and after["ink"] > 1000, "the picture did not change"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_notebook_in_jupyterlab(lab, name):
    page = lab.open(name)
    try:
        text = rendered_text(page)  # before running: what a learner sees on opening the chapter
        raw = [r for r in RAW if r in text]
        assert not raw, f"raw MyST in the rendered notebook: {raw}"
        if name[:2].isdigit():
            assert re.search(r"Exercise\s1\b", text) and "Solution to" in text  # exercise blocks, numbered
        unresolved = re.findall(rf"\bfig-[a-z0-9-]+|\b(?:{'|'.join(KEYS)})\b", text)
        assert not unresolved, f"references that do not read as text: {unresolved[:5]}"
        players = step_players(page)
        assert players or name.startswith(("01_", "tour")), "no player to step"
        errors = page.evaluate(RUN_ALL)
        assert not errors, errors
        move_explorer(page)
    finally:
        page.close()
        lab.shutdown_kernels()


def test_an_untrusted_notebook_shows_dead_players(lab):
    """Why the learner's copy is trusted: JupyterLab strips the scripts of an untrusted notebook's HTML."""
    page = lab.open("untrusted/02_batch_gd.ipynb")
    try:
        with pytest.raises(AssertionError):
            step_players(page)
    finally:
        page.close()
        lab.shutdown_kernels()


def test_an_explorer_in_notebook_7(lab):
    page = lab.open("explorer.ipynb", ui="notebooks")
    try:
        assert not page.evaluate(RUN_ALL)
        move_explorer(page)
    finally:
        page.close()
        lab.shutdown_kernels()


def test_the_learners_copy_keeps_work_refreshes_on_request_and_is_trusted(tmp_path, monkeypatch):
    import learn
    from nbformat.sign import NotebookNotary

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    copy = tmp_path / "my-notebooks"
    assert "Copied" in learn.copy(copy)[0]
    assert learn.trust(copy) == len(NOTEBOOKS)
    assert NotebookNotary().check_signature(nbformat.read(copy / "02_batch_gd.ipynb", as_version=4))
    mine = copy / "01_derivation.ipynb"
    mine.write_text(mine.read_text().replace("From guessing to the gradient", "My notes"))
    (copy / "tour.ipynb").unlink()
    said = learn.copy(copy)
    assert "is kept" in said[0] and "Added: tour.ipynb" in said[0] and "My notes" in mine.read_text()
    said = learn.copy(copy, refresh=True)
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("my-notebooks-")]
    assert len(aside) == 1 and "My notes" in (aside[0] / "01_derivation.ipynb").read_text()
    assert "My notes" not in mine.read_text()
    ignored = subprocess.run(["git", "check-ignore", "my-notebooks/x.ipynb", "my-notebooks-20260101-000000/x"],
                             cwd=ROOT, capture_output=True, text=True)
    assert ignored.returncode == 0, f"the copies must be ignored by git: {ignored.stderr}"


def test_the_copy_writes_out_figure_numbers_captions_and_citations():
    import learn

    cited = learn.authors((ROOT / "book" / "references.bib").read_text())
    assert cited["robbins1951"] == "Robbins and Monro 1951" and cited["rumelhart1986"] == "Rumelhart et al. 1986"
    caption = {"mystnb": {"figure": {"name": "fig-a", "caption": "A bowl."}}}
    figure = nbformat.v4.new_code_cell("plot()", metadata=caption)
    text = nbformat.v4.new_markdown_cell("See {numref}`fig-a` and {numref}`Figure %s <fig-a>`, after "
                                         "{cite:p}`cauchy1847,polyak1964`; {cite:t}`goh2017` draws it.")
    text.source += " As in {numref}`fig-b`, {ref}`ex-c` and {ref}`sec-d`."
    numbered = {"fig-a": ("05_x.ipynb", "Fig. 5.1"), "fig-b": ("02_y.ipynb", "Fig. 2.4"),
                "ex-c": ("03_z.ipynb", "Exercise 3.2"), "sec-d": ("05_x.ipynb", "A heading")}
    nb = learn.readable(nbformat.v4.new_notebook(cells=[figure, text]), "05_x.ipynb", cited, numbered)
    assert nb.cells[1].source == "**Fig. 5.1.** A bowl."
    assert nb.cells[2].source == ("See Fig. 5.1 and Figure 5.1, after ([Cauchy 1847](references.md); "
                                  "[Polyak 1964](references.md)); [Goh (2017)](references.md) draws it. "
                                  "As in [Fig. 2.4](02_y.ipynb), [Exercise 3.2](03_z.ipynb) and A heading.")
    known = learn.labels(ROOT / "book")
    assert known["fig-momentum-zigzag"] == ("05_momentum.ipynb", "Fig. 5.1")
    assert known["sec-batch-gd-eigen"][0] == "02_batch_gd.ipynb" and "eigen" in known["sec-batch-gd-eigen"][1].lower()
    assert any(text.startswith("Exercise 5.") for where, text in known.values() if where == "05_momentum.ipynb")
