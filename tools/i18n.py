"""The Chinese edition: message catalogues, the Chinese site and the Chinese notebooks.

One source of truth: the English pages and notebooks. Only their prose is translated,
in gettext catalogues (``book/locales/zh_CN/LC_MESSAGES/book/<page>.po``, one per page);
code, outputs, figures, display math, labels and references are the English ones.

    python tools/i18n.py update      # English sources -> catalogues (new messages empty, changed ones fuzzy)
    python tools/i18n.py stats       # messages per page: translated, fuzzy, still to do
    python tools/i18n.py build       # the Chinese site, strictly, into _build/html/zh/ (+ the notebooks)
    python tools/i18n.py notebooks   # only the Chinese notebooks, into _build/zh-notebooks/book/
    python tools/i18n.py templates DIR   # only the English messages (.pot), for the tests

``update`` runs Sphinx's gettext builder over the English book and merges its
templates into the catalogues with sphinx-intl; a message whose English changed
keeps its old translation marked fuzzy, which counts as untranslated until a
translator checks it. ``build`` runs Sphinx once more with the English
configuration (``_config.yml``, as ``jupyter-book config sphinx`` makes it) and
``language = zh_CN``; the table of contents is the English one plus the glossary
page (``book/glossary_zh.md``), whose Chinese terms are also the search's word list
(so that 梯度下降 is one word to the search, not two). It writes the Chinese
notebooks and serves them as the Chinese pages' downloads. ``tools/book_i18n.py``
keeps display math out of the catalogues, translates what Sphinx leaves (alt
texts, part captions) and puts the language switch on every page of both editions.
Tests: ``tests/test_i18n.py`` and ``tests/test_i18n_browser.py``.

Translating: edit the ``.po`` file of a page (any PO editor, or by hand): fill each
``msgstr``, keep every ``$math$``, ```code```, link target, ``{role}`target``` and
number as they are (the tests compare them), use the glossary's terms, and delete the
``#, fuzzy`` line of a message once its translation matches the English again.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "zh_CN"
LOCALES = ROOT / "book" / "locales"
CATALOGUES = LOCALES / LANGUAGE / "LC_MESSAGES"
BUILD = ROOT / "_build"
POT = BUILD / "gettext"
SITE = BUILD / "html" / "zh"
NOTEBOOKS = BUILD / "zh-notebooks"
GLOSSARY = "book/glossary_zh"  # a page of the Chinese edition only
TITLE = "梯度下降：从零开始"  # the translation of the title in book/intro.po

# What every Sphinx run of this module shares: one catalogue per page, no volatile headers.
GETTEXT = {"project": "Gradient Descent, from Scratch", "gettext_compact": False, "gettext_uuid": False,
           "gettext_location": False, "gettext_last_translator": "gdlib authors",
           "gettext_language_team": "gdlib authors"}


def sphinx(builder: str, outdir: Path, overrides: dict, strict: bool, doctrees: Path | None = None,
           force_all: bool = False) -> int:
    """Build the book with ``builder``, the configuration of ``_config.yml`` and ``overrides``."""
    from jupyter_book.sphinx import build_sphinx

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # the icon-font subsetting of book_html
    config = {"latex_individualpages": False, "nitpicky": True, **overrides}
    config.setdefault("external_toc_path", (ROOT / "_toc.yml").as_posix())
    result = build_sphinx(ROOT, outdir, noconfig=True, path_config=str(ROOT / "_config.yml"),
                          confoverrides=config, doctreedir=doctrees or BUILD / f".doctrees-{outdir.name}",
                          builder=builder, warningiserror=strict, keep_going=strict, force_all=force_all)
    return result if isinstance(result, int) else 1


def templates(out: Path) -> int:
    """The English prose, one message template (``.pot``) per page, in ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    status = sphinx("gettext", out, GETTEXT, strict=True, doctrees=out.with_name(out.name + "-doctrees"))
    if not status:
        add_missing_messages(out)
    return status


def update(args) -> int:
    """Extract the English prose into ``_build/gettext`` and merge it into the catalogues."""
    from sphinx_intl.basic import update as merge

    status = templates(POT)
    if status:
        return status
    merge(str(LOCALES), str(POT), (LANGUAGE,), line_width=0)
    for po in CATALOGUES.rglob("*.po"):  # sphinx-intl stamps the time of the merge: keep diffs to real changes
        text = po.read_text()
        po.write_text(re.sub(r'"POT-Creation-Date: [^"]*\\n"\n', "", text))
    return 0


# An exercise's title: its directive's argument, in either form (``:::{exercise} Title``, ```{exercise-start} Title).
EXERCISE_TITLE = re.compile(r"^(?::{3,}|`{3,})\{exercise(?:-start)?\}[ \t]+(.+?)[ \t]*$", re.MULTILINE)


def alt_texts(notebook: Path) -> list[str]:
    """The alt texts of a notebook's figures (``mystnb.image.alt`` in the cell metadata)."""
    cells = json.loads(notebook.read_text())["cells"]
    return [c["metadata"]["mystnb"]["image"]["alt"] for c in cells
            if c.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")]


def live_texts(notebook: Path) -> list[str]:
    """The captions and alt texts of a notebook's live figures and players, as the page shows them (unescaped)."""
    import html

    from book_i18n import INTERACTIVE, LIVE_PROSE

    texts = []
    for cell in json.loads(notebook.read_text())["cells"]:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            page = "".join(output.get("data", {}).get("text/html", ""))
            if INTERACTIVE.search(page):
                texts += [html.unescape(m.group(2) or m.group(5)) for m in LIVE_PROSE.finditer(page)]
    return texts


def exercise_titles(notebook: Path) -> list[str]:
    """The titles of a notebook's exercises, from its markdown cells."""
    cells = json.loads(notebook.read_text())["cells"]
    markdown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return [title for source in markdown for title in EXERCISE_TITLE.findall(source)]


def add_missing_messages(pot_dir: Path) -> None:
    """Add to each page's template what Sphinx's extraction misses: alt texts, exercise titles, live figures' prose.

    Sphinx extracts captions but not the alt texts that myst-nb reads from cell metadata. Exercise titles
    it translates (``book_i18n.TranslatableExerciseTitles`` gives them a source) but does not extract:
    sphinx-exercise has rebuilt the titles by the time the gettext builder looks at the page.
    """
    from babel.messages.pofile import read_po, write_po

    added = 0
    for notebook in sorted((ROOT / "book").glob("*.ipynb")):
        pot = pot_dir / "book" / f"{notebook.stem}.pot"
        texts = [(text, "alt text of a figure") for text in alt_texts(notebook)]
        texts += [(text, "title of an exercise") for text in exercise_titles(notebook)]
        texts += [(text, "caption or alt text of a live figure") for text in live_texts(notebook)]
        if not texts or not pot.is_file():
            continue
        with pot.open("rb") as f:
            catalog = read_po(f)
        for text, comment in texts:
            if text not in catalog:
                catalog.add(text, auto_comments=[comment])
                added += 1
        with pot.open("wb") as f:
            write_po(f, catalog, width=0, omit_header=False)
    print(f"{added} alt texts, exercise titles and live figures' captions added to the templates")


def zh_toc() -> Path:
    """The English table of contents with the glossary after the notation page."""
    toc = (ROOT / "_toc.yml").read_text()
    line = re.search(r"^(\s*)- file: book/notation\n", toc, re.MULTILINE)
    toc = toc[:line.end()] + f"{line.group(1)}- file: {GLOSSARY}\n" + toc[line.end():]
    out = BUILD / "zh" / "_toc.yml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(toc)
    return out


def search_words() -> Path:
    """A jieba word list: every Chinese term of the glossary table, so the search keeps it whole."""
    terms = set()
    for row in (ROOT / f"{GLOSSARY}.md").read_text().splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if row.startswith("|") and len(cells) >= 2:
            terms |= {t for t in re.split(r"[，、/（）()\s]+", cells[0]) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", t)}
    out = BUILD / "zh" / "search-words.txt"
    out.write_text("".join(f"{t} 100000 n\n" for t in sorted(terms)))
    return out


def zh_config(launch_branch: str | None = None) -> dict:
    """The Sphinx settings of the Chinese edition, over the English ones.

    ``launch_branch``: a branch of the repository that holds the Chinese notebooks at the
    English ones' paths (``book/XX.ipynb``), for the Binder and Colab buttons of the
    Chinese pages; without it they open the English notebooks of ``_config.yml``'s branch.
    """
    from jupyter_book.config import get_final_config

    english, _ = get_final_config(user_yaml=ROOT / "_config.yml", cli_config={"latex_individualpages": False},
                                  sourcedir=ROOT)
    theme = copy.deepcopy(english["html_theme_options"])
    theme["search_bar_text"] = "搜索本书……"
    if launch_branch:
        theme["repository_branch"] = launch_branch
    return {**GETTEXT, "language": LANGUAGE, "locale_dirs": [str(LOCALES)],
            "external_toc_path": zh_toc().as_posix(), "html_title": TITLE, "project": TITLE,
            "html_theme_options": theme, "html_search_language": "zh",
            "html_search_options": {"dict": str(search_words())}, "book_i18n_own_pages": [GLOSSARY]}


def build(args) -> int:
    """The Chinese site, strictly, with the Chinese notebooks as its downloads."""
    site = Path(args.out).resolve() if getattr(args, "out", None) else SITE
    doctrees = site.with_name(site.name + "-doctrees") if getattr(args, "out", None) else None
    # Every page written each time: a change of the book's scripts or styles alone leaves
    # Sphinx nothing "out of date", and the English pages have changed under the switch too.
    config = zh_config(getattr(args, "launch_branch", None))
    status = sphinx("html", site, config, strict=not args.lax, doctrees=doctrees, force_all=True)
    if status:
        return status
    root = re.search(r"^root: (\S+)", (ROOT / "_toc.yml").read_text(), re.MULTILINE).group(1)
    (site / "index.html").write_text(f'<meta http-equiv="Refresh" content="0; url={root}.html" />\n')
    made = argparse.Namespace(out=site.with_name(site.name + "-notebooks") if getattr(args, "out", None) else None)
    for notebook in notebooks(made):  # the download button of a Chinese page gives the Chinese notebook
        target = site / "_sources" / notebook.relative_to(notebook.parent.parent)
        if target.is_file():
            shutil.copyfile(notebook, target)
    print(f"Chinese edition: {site / 'index.html'}")
    return 0


# ---------------------------------------------------------------- notebooks

def catalogue(page: str) -> dict[str, str]:
    """msgid -> msgstr of a page's current, non-fuzzy translations."""
    from babel.messages.pofile import read_po

    po = CATALOGUES / f"{page}.po"
    if not po.is_file():
        return {}
    with po.open("rb") as f:
        messages = read_po(f)
    return {m.id: m.string for m in messages if m.id and m.string and not m.fuzzy}


# Where a message starts in markdown: a line (after a heading's #, a list's marker, a quote's >),
# a table cell (after |) or a directive's title (after {exercise}); it ends at a line's end or a cell's |.
LEAD = r"(?P<lead>^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+|>[ \t]*)*|\|[ \t]*|\}[ \t]+)"
TRAIL = r"(?=[ \t]*(?:\||$))"


def translate_markdown(source: str, translations: dict[str, str]) -> str:
    """A markdown cell with every translated message replaced, longest first.

    Messages are whole blocks: paragraphs, list items, table cells, headings and
    directive titles. A message spans lines in the source where the catalogue has
    one line, so a space matches any run of spaces and single line breaks.
    """
    for english in sorted(translations, key=len, reverse=True):
        body = r"[ \t]*\n?[ \t]*".join(re.escape(word) for word in english.split(" "))
        source = re.sub(LEAD + body + TRAIL, lambda m, z=translations[english]: m.group("lead") + z,
                        source, flags=re.MULTILINE)
    return source


def translate_notebook(notebook: dict, translations: dict[str, str]) -> dict:
    """The notebook with its markdown, captions and alt texts in Chinese; code cells and outputs untouched."""
    out = copy.deepcopy(notebook)
    for cell in out["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = translate_markdown(text, translations)
        mystnb = cell.get("metadata", {}).get("mystnb", {})
        for key, field in (("figure", "caption"), ("image", "alt")):
            text = mystnb.get(key, {}).get(field)
            if text in translations:
                mystnb[key][field] = translations[text]
    return out


def notebooks(args=None) -> list[Path]:
    """Write the Chinese notebooks into ``_build/zh-notebooks/book/`` (or ``--out``); return their paths."""
    import nbformat

    out = Path(getattr(args, "out", None) or NOTEBOOKS)
    written = []
    for source in sorted((ROOT / "book").glob("*.ipynb")):
        notebook = json.loads(source.read_text())
        translated = translate_notebook(notebook, catalogue(f"book/{source.stem}"))
        target = out / "book" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.validate(nbformat.from_dict(translated))
        target.write_text(json.dumps(translated, ensure_ascii=False, indent=1) + "\n")
        written.append(target)
    print(f"{len(written)} Chinese notebooks in {out / 'book'}")
    return written


# ---------------------------------------------------------------- progress

def stats(args=None) -> int:
    from babel.messages.pofile import read_po

    print(f"{'page':28} {'messages':>8} {'done':>6} {'fuzzy':>6} {'to do':>6}")
    totals = [0, 0, 0, 0]
    for po in sorted(CATALOGUES.rglob("*.po")):
        with po.open("rb") as f:
            messages = [m for m in read_po(f) if m.id]
        row = [len(messages), sum(bool(m.string) and not m.fuzzy for m in messages),
               sum(m.fuzzy for m in messages), sum(not m.string for m in messages)]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(f"{str(po.relative_to(CATALOGUES).with_suffix('')):28} " + " ".join(f"{n:>6}" for n in row))
    print(f"{'all':28} " + " ".join(f"{n:>6}" for n in totals))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="extract the English prose and merge it into the catalogues")
    built = commands.add_parser("build", help="build the Chinese site into _build/html/zh/")
    built.add_argument("--lax", action="store_true", help="do not stop at warnings (for drafts)")
    built.add_argument("--out", help="another folder for the site (the English site's zh/ folder)")
    built.add_argument("--launch-branch", help="the repository branch with the Chinese notebooks, for Binder/Colab")
    made = commands.add_parser("notebooks", help="write the Chinese notebooks into _build/zh-notebooks/")
    made.add_argument("--out", help="another folder for them")
    pot = commands.add_parser("templates", help="only extract the English prose (.pot files) into a folder")
    pot.add_argument("out", type=Path)
    commands.add_parser("stats", help="messages per page: translated, fuzzy, untranslated")
    args = parser.parse_args(argv)
    run = {"update": update, "build": build, "notebooks": notebooks, "stats": stats,
           "templates": lambda a: templates(a.out.resolve())}
    result = run[args.command](args)
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
