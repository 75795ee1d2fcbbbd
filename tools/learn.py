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
the copy: figure captions under their figures, "Fig. 5.3" or "Exercise 5.2" for a reference,
"(Cauchy 1847)" for a citation (gdlib.homework.readable). Options after `--` go to JupyterLab, for example
`python tools/learn.py -- --port 8889`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbformat.sign import NotebookNotary

from gdlib.homework.readable import authors, labels, readable

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
    cited, known = authors((BOOK / "references.bib").read_text()), labels(BOOK)
    for name in added:
        if name.endswith(".ipynb"):
            nbformat.write(readable(nbformat.read(BOOK / name, as_version=4), name, cited, known), to / name)
        else:
            shutil.copy2(BOOK / name, to / name)
    if existed:
        said.append(f"Your copy {to.name}/ exists: your work in it is kept (python tools/learn.py --refresh "
                    "starts again from fresh chapters)." + (f" Added: {', '.join(added)}." if added else ""))
    else:
        said.append(f"Copied the book into {to.name}/: run and change the notebooks there.")
    return said


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
