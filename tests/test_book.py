"""The book's structure: what every page and every chapter must have, now and in future chapters."""

import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
CHAPTERS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]
OPTIMIZER_CHAPTERS = [p for p in CHAPTERS if not p.name.startswith("01_")]  # all but the derivation
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_every_page_is_in_the_table_of_contents():
    listed = set(re.findall(r"(?:root|file): (\S+)", (ROOT / "_toc.yml").read_text()))
    pages = {str(p.relative_to(ROOT).with_suffix("")) for p in (ROOT / "book").glob("*")
             if p.suffix in (".md", ".ipynb")}
    assert listed == pages


def test_the_six_chapters_of_parts_one_and_two_exist():
    names = [p.name for p in CHAPTERS]
    for part in ["derivation", "batch_gd", "sgd", "minibatch", "momentum", "rmsprop"]:
        assert any(part in name for name in names), part


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_installs_gdlib_from_the_configured_repository(path):
    first = code_cells(path)[0]
    assert first.get("id") == "gdlib-setup" and "remove-cell" in first.metadata.get("tags", [])
    assert f'%pip install --quiet "gdlib @ git+{CONFIG["repository"]["url"]}"' in first.source
    assert "except ModuleNotFoundError" in first.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_has_a_caption_and_outputs_are_clean(path):
    cells = code_cells(path)
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), "run tools/run_notebooks.py"
    for cell in cells:
        pictures = [o for o in cell.outputs if "image/png" in o.get("data", {})
                    or "gdlib-player" in o.get("data", {}).get("text/html", "")]
        if pictures:
            assert cell.metadata.get("mystnb", {}).get("figure", {}).get("caption"), cell.source[:80]
        text = str(cell.outputs)
        assert not re.search(r"/(root|home|tmp|work)/", text), f"a machine path in an output: {cell.source[:80]}"
        assert not any(o.get("output_type") == "error" for o in cell.outputs)


@pytest.mark.parametrize("path", OPTIMIZER_CHAPTERS, ids=lambda p: p.stem)
def test_every_optimizer_chapter_has_an_interactive_figure(path):
    players = [o for c in code_cells(path) for o in c.outputs
               if "gdlib-player" in o.get("data", {}).get("text/html", "")]
    assert players, "no gdlib.player figure: the static book would have nothing to play"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_has_the_skeleton(path):
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    for heading in ["What you will learn", "## Explore", "## Summary", "## Exercises"]:
        assert heading in text, heading
    explorers = [c for c in code_cells(path) if "widgets." in c.source and "_explorer(" in c.source]
    assert explorers and all({"remove-output", "nbval-ignore-output"} <= set(c.metadata.get("tags", []))
                             for c in explorers)


def test_the_required_works_are_cited():
    sources = "\n".join(c.source for p in NOTEBOOKS for c in nbformat.read(p, as_version=4).cells)
    sources += "\n".join(p.read_text() for p in (ROOT / "book").glob("*.md"))
    cited = set(re.findall(r"\{cite:[pt]\}`([^`]+)`", sources))
    for key in ["robbins1951", "polyak1964", "hinton2012", "kingma2015", "ruder2016", "goh2017"]:
        assert key in cited, key
