"""Open the book in JupyterLab on your own copy of the chapters.

    python tools/learn.py             # copy book/ to my-notebooks/ (once), trust it, open JupyterLab there
    python tools/learn.py --refresh   # start again from fresh chapters; your old copy is kept aside
    python tools/learn.py --no-lab    # copy and trust only

The copy is yours: run, edit and save it, while the committed notebooks in book/
never change (my-notebooks/ is ignored by git). If the copy exists, your work in
it is kept and only chapters new in book/ are added. The copies are marked as
trusted (as `jupyter trust` does), so their step-by-step players and live figures,
which are HTML with scripts, work before you run anything. JupyterLab renders the
book's MyST (jupyterlab-myst); what only the book's build knows is written out in
the copy: figure captions under their figures, "Fig. 5.3" for a figure reference,
"(Cauchy 1847)" for a citation. Options after `--` go to JupyterLab, for example
`python tools/learn.py -- --port 8889`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbformat.sign import NotebookNotary

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
COPY = ROOT / "my-notebooks"


def pages(book: Path = BOOK) -> list[Path]:
    """The files a reader needs: notebooks, text pages and the bibliography (no build or checkpoint files)."""
    return sorted(p for p in book.iterdir() if p.is_file() and not p.name.startswith("."))


def copy(to: Path = COPY, *, refresh: bool = False) -> list[str]:
    """Copy the book's pages into ``to``; keep what is there unless ``refresh``. Return what was said."""
    said = []
    if refresh and to.exists():
        aside = to.with_name(f"{to.name}-{time.strftime('%Y%m%d-%H%M%S')}")
        to.rename(aside)
        said.append(f"Your previous copy is now {aside.name}/.")
    existed = to.exists()
    to.mkdir(parents=True, exist_ok=True)
    added = [page.name for page in pages() if not (to / page.name).exists()]
    cited, numbered = authors((BOOK / "references.bib").read_text()), figures()
    for name in added:
        if name.endswith(".ipynb"):
            nbformat.write(readable(nbformat.read(BOOK / name, as_version=4), name, cited, numbered), to / name)
        else:
            shutil.copy2(BOOK / name, to / name)
    if existed:
        said.append(f"Your copy {to.name}/ exists: your work in it is kept (python tools/learn.py --refresh "
                    "starts again from fresh chapters)." + (f" Added: {', '.join(added)}." if added else ""))
    else:
        said.append(f"Copied the book into {to.name}/: run and change the notebooks there.")
    return said


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


def _captioned(nb) -> list:
    """The notebook's code cells that are figures with a caption, in order."""
    return [cell for cell in nb.cells
            if cell.cell_type == "code" and cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")]


def figures(book: Path = BOOK) -> dict[str, tuple[str, str]]:
    """``label -> (notebook, number)`` for every captioned figure: "5.2" in 05_momentum, "2" in the tour."""
    found = {}
    for path in sorted(book.glob("*.ipynb")):
        chapter = f"{int(path.name[:2])}." if path.name[:2].isdigit() else ""
        for n, cell in enumerate(_captioned(nbformat.read(path, as_version=4)), start=1):
            found[cell.metadata["mystnb"]["figure"].get("name")] = (path.name, f"{chapter}{n}")
    return found


def readable(nb, name: str, cited: dict[str, str], numbered: dict[str, tuple[str, str]]):
    """Write out what only the book's build resolves: figure numbers and captions, citations.

    Each captioned figure gets a Markdown cell under it ("**Fig. 5.3.** caption"),
    ``{numref}`` to a figure becomes "Fig. 5.3" (a link when it is in another
    notebook), and ``{cite:p}`` / ``{cite:t}`` become "(Cauchy 1847)" /
    "Cauchy (1847)", linked to the references page.
    """
    cells, captioned = [], [id(cell) for cell in _captioned(nb)]
    for cell in nb.cells:
        cells.append(cell)
        if id(cell) in captioned:
            figure = cell.metadata["mystnb"]["figure"]
            number = numbered.get(figure.get("name"), (name, "?"))[1]
            cells.append(nbformat.v4.new_markdown_cell(f"**Fig. {number}.** {figure['caption']}"))

    def numref(match):
        text, label = match.group(2) or "Fig. %s", match.group(3)
        if label not in numbered:
            return match.group(0)
        where, number = numbered[label]
        text = text.replace("%s", number)
        return text if where == name else f"[{text}]({where})"

    def cite(match):
        keys = [k.strip() for k in match.group(2).split(",")]
        if not all(k in cited for k in keys):
            return match.group(0)
        if match.group(1) == "t":
            return "; ".join(f"[{cited[k].rsplit(' ', 1)[0]} ({cited[k].rsplit(' ', 1)[1]})](references.md)"
                             for k in keys)
        return "(" + "; ".join(f"[{cited[k]}](references.md)" for k in keys) + ")"

    for cell in cells:
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"\{numref\}`(([^`<]*?)\s*<)?([^`<>]+?)>?`", numref, cell.source)
            cell.source = re.sub(r"\{cite:([pt])\}`([^`]+)`", cite, cell.source)
    nb.cells = cells
    return nb


def trust(folder: Path) -> int:
    """Sign every notebook of ``folder`` as trusted, so JupyterLab runs the scripts of its HTML outputs."""
    notary = NotebookNotary()
    notebooks = sorted(folder.glob("*.ipynb"))
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if not notary.check_signature(nb):
            notary.sign(nb)
    return len(notebooks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refresh", action="store_true", help="set the old copy aside and copy the book again")
    parser.add_argument("--no-lab", action="store_true", help="copy and trust, but do not start JupyterLab")
    parser.add_argument("--to", type=Path, default=COPY, help="where the copy goes (default: my-notebooks/)")
    parser.add_argument("lab_args", nargs="*", help="options for JupyterLab, after --")
    args = parser.parse_args(argv)
    for line in copy(args.to, refresh=args.refresh):
        print(line)
    print(f"Trusted {trust(args.to)} notebooks: their interactive figures work before you run them.")
    if args.no_lab:
        return 0
    print("Starting JupyterLab (stop it with Ctrl-C).", flush=True)
    try:  # this Python's JupyterLab, so that the default kernel is the one with gdlib
        return subprocess.call([sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={args.to}",
                                *args.lab_args])
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
