"""A chapter readable outside the book: what only the book's build resolves, written out.

JupyterLab (with jupyterlab-myst) renders the chapters' MyST, but it cannot know
figure and exercise numbers, headings in other notebooks or the bibliography.
:func:`readable` writes them out: a caption cell under each captioned figure
("**Fig. 5.3.** ..."), ``{numref}`` and ``{ref}`` as "Fig. 5.3", "Exercise 5.2"
or the heading's text (a link when the target is in another notebook), and
``{cite:p}`` / ``{cite:t}`` as "(Cauchy 1847)" / "Cauchy (1847)". The learner's
copy (``tools/learn.py``) and the student editions (``release``) both use it.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

LABEL = re.compile(r"^\s*:label:\s*(\S+)\s*$", re.M)
EXERCISE = re.compile(r"^(?::{3,}|`{3,})\{exercise(?:-start)?\}")
TARGET = re.compile(r"^\(([\w-]+)\)=\s*\n+#+\s+(.+?)\s*$", re.M)


def authors(bib: str) -> dict[str, str]:
    """``key -> "Cauchy 1847"`` (or "Robbins and Monro 1951", "Rumelhart et al. 1986") from BibTeX."""
    found = {}
    for key, body in re.findall(r"@\w+\{([^,\s]+),(.*?)\n\}", bib, flags=re.S):
        field = dict(re.findall(r"(\w+)\s*=\s*\{(.*?)\},?\s*$", body, flags=re.M))
        names = [re.sub(r"[{}\\'`\"]", "", n).split(",")[0].split()[-1]
                 for n in field.get("author", key).split(" and ")]
        who = names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2 else f"{names[0]} et al."
        found[key] = f"{who} {field.get('year', '')}".strip()
    return found


def captioned(nb) -> list:
    """The notebook's code cells that are figures with a caption, in order."""
    return [cell for cell in nb.cells
            if cell.cell_type == "code" and cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")]


def _prefix(name: str) -> str:
    """ "5." for 05_momentum.ipynb: chapters number their figures and exercises; other pages do not."""
    return f"{int(name[:2])}." if name[:2].isdigit() else ""


def labels(book: Path) -> dict[str, tuple[str, str]]:
    """``label -> (notebook, text)`` for every figure, exercise and labelled heading of the book's notebooks.

    Figures read "Fig. 5.3", exercises "Exercise 5.2", headings their own text.
    """
    found = {}
    for path in sorted(Path(book).glob("*.ipynb")):
        nb, prefix = nbformat.read(path, as_version=4), _prefix(path.name)
        for n, cell in enumerate(captioned(nb), start=1):
            found[cell.metadata["mystnb"]["figure"].get("name")] = (path.name, f"Fig. {prefix}{n}")
        text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
        exercises = [label for block in re.split(r"\n(?=(?::{3,}|`{3,})\{)", text) if EXERCISE.match(block)
                     for label in LABEL.findall(block)[:1]]
        for n, label in enumerate(exercises, start=1):
            found[label] = (path.name, f"Exercise {prefix}{n}")
        for label, heading in TARGET.findall(text):
            found.setdefault(label, (path.name, heading))
    return found


def readable(nb, name: str, cited: dict[str, str], known: dict[str, tuple[str, str]], *,
             references: str | None = "references.md"):
    """Write out the numbers, captions, references and citations of notebook ``name`` (see the module).

    ``known`` comes from :func:`labels`, ``cited`` from :func:`authors`; citations
    link to ``references`` (None: plain text). Unknown labels are left as they are.
    """
    cells, figures = [], [id(cell) for cell in captioned(nb)]
    for cell in nb.cells:
        cells.append(cell)
        if id(cell) in figures:
            figure = cell.metadata["mystnb"]["figure"]
            number = known.get(figure.get("name"), (name, "Fig. ?"))[1]
            cells.append(nbformat.v4.new_markdown_cell(f"**{number}.** {figure['caption']}"))

    def reference(match):
        text, label = match.group(3), match.group(4)
        if label not in known:
            return match.group(0)
        where, shown = known[label]
        number = shown.rsplit(" ", 1)[-1] if shown.startswith(("Fig. ", "Exercise ")) else shown
        shown = text.replace("%s", number) if text else shown
        return shown if where == name else f"[{shown}]({where})"

    def cite(match):
        keys = [k.strip() for k in match.group(2).split(",")]
        if not all(k in cited for k in keys):
            return match.group(0)
        def link(text):
            return f"[{text}]({references})" if references else text
        if match.group(1) == "t":
            return "; ".join(link(f"{cited[k].rsplit(' ', 1)[0]} ({cited[k].rsplit(' ', 1)[1]})") for k in keys)
        return "(" + "; ".join(link(cited[k]) for k in keys) + ")"

    for cell in cells:
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"\{(numref|ref)\}`(([^`<]*?)\s*<)?([^`<>]+?)>?`", reference, cell.source)
            cell.source = re.sub(r"\{cite:([pt])\}`([^`]+)`", cite, cell.source)
    nb.cells = cells
    return nb
