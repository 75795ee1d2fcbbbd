"""The book's structure: what every page and every chapter must have, now and in future chapters."""

import importlib.util
import re
import subprocess
import sys
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
    pages -= {"book/glossary_zh"}  # the Chinese edition's own page: tools/i18n.py adds it to that edition's contents
    assert listed == pages


def test_the_six_chapters_of_parts_one_and_two_exist():
    names = [p.name for p in CHAPTERS]
    for part in ["derivation", "batch_gd", "sgd", "minibatch", "momentum", "rmsprop"]:
        assert any(part in name for name in names), part


def setup_source() -> str:
    """The setup cell that tools/run_notebooks.py puts first in every notebook."""
    spec = importlib.util.spec_from_file_location("run_notebooks", ROOT / "tools" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.setup_cell(CONFIG["repository"]["url"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_is_the_setup_cell(path):
    first = code_cells(path)[0]
    assert first.get("id") == "gdlib-setup" and "remove-cell" in first.metadata.get("tags", [])
    assert first.source == setup_source(), "run tools/run_notebooks.py"


def run_setup(monkeypatch, env: dict, *, installed: bool = False):
    """Run the setup cell as a kernel without gdlib would, in ``env``; return the pip commands it ran."""
    source = setup_source()
    for name in ("COLAB_RELEASE_TAG", "BINDER_REPO_URL", "BINDER_REQUEST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setitem(sys.modules, "gdlib", None)  # `import gdlib` raises ModuleNotFoundError
    commands = []

    def pip(command, check):
        commands.append(command)
        if installed:
            monkeypatch.delitem(sys.modules, "gdlib")  # the install worked: the real gdlib imports

    monkeypatch.setattr(subprocess, "run", pip)
    exec(source, {})
    return commands


def test_the_setup_cell_installs_gdlib_from_the_repository_in_colab_and_binder(monkeypatch):
    for env in ({"COLAB_RELEASE_TAG": "release-colab"}, {"BINDER_REQUEST": "v2/gh/owner/repo/main"},
                {"BINDER_REPO_URL": "https://github.com/owner/repo"}):
        [command] = run_setup(monkeypatch, env, installed=True)
        assert command[1:4] == ["-m", "pip", "install"]
        assert command[-1] == f"gdlib @ git+{CONFIG['repository']['url']}"


def test_the_setup_cell_explains_a_missing_gdlib_on_a_local_kernel_and_installs_nothing(monkeypatch):
    with pytest.raises(ModuleNotFoundError) as error:
        run_setup(monkeypatch, {})
    message = str(error.value)
    assert sys.executable in message and "Change Kernel" in message
    assert "python tools/learn.py" in message and "-m pip install -r requirements.txt" in message


def test_the_setup_cell_does_nothing_where_gdlib_is_installed(monkeypatch):
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: pytest.fail("installed gdlib again"))
    exec(setup_source(), {})


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
