"""Re-execute the book's notebooks top to bottom in a fresh kernel and save their outputs.

    python tools/run_notebooks.py                 # every notebook under book/
    python tools/run_notebooks.py book/tour.ipynb # just these (files or folders)

This is the only way outputs get into the repository: nbval later re-runs each
notebook and compares against what this command wrote. Outputs that show a live
widget are dropped: without the kernel that made them they display nothing.
Exercises are prepared for teachers on the way (gdlib.homework.prepare): solution
cells get nbgrader's metadata and the notebook lists its self-checks. The first
code cell (SETUP) installs gdlib where it is missing in Colab or on Binder, and
elsewhere says which kernel to choose or how to install it; its URL comes from
the repository setting in _config.yml. Each notebook runs in its
own folder as working directory, with this interpreter's kernel. A cell that
raises stops the run and names the notebook and cell, unless the cell is tagged
``raises-exception`` (for chapters that show an error on purpose).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from gdlib.homework import prepare

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # seconds per cell
SETUP = """\
# The book's library, gdlib, must be importable in this kernel. In Colab and on Binder this cell
# installs it; on your own machine it tells you what to do if it is missing.
try:
    import gdlib
except ModuleNotFoundError:
    import os
    import sys

    hosted = {{"COLAB_RELEASE_TAG", "BINDER_REPO_URL", "BINDER_REQUEST"}} & set(os.environ)  # Colab, Binder
    if hosted or "google.colab" in sys.modules:
        import subprocess

        package = "gdlib @ git+{url}"
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)
        import gdlib
    else:
        raise ModuleNotFoundError(
            f"gdlib is not installed for this kernel's Python, {{sys.executable}}.\\n"
            "Choose the kernel of the environment where you installed the book (Kernel > Change Kernel...),\\n"
            "or open the chapters with `python tools/learn.py` from the book's folder, in that environment.\\n"
            "To install the book into this kernel's Python instead, run in the book's folder:\\n"
            f'    "{{sys.executable}}" -m pip install -r requirements.txt\\n'
            "then restart the kernel (Kernel > Restart Kernel...)."
        ) from None
"""
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def notebooks(paths: list[str]) -> list[Path]:
    found = []
    for p in map(Path, paths or [ROOT / "book"]):
        if p.is_dir():
            found += sorted(q for q in p.rglob("*.ipynb") if ".ipynb_checkpoints" not in q.parts)
        elif p.suffix == ".ipynb" and p.is_file():
            found.append(p)
        else:
            sys.exit(f"run_notebooks: {p} is not a notebook or a folder")
    return found


def repository() -> str:
    """The repository URL of _config.yml, the one place it is set."""
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def setup_cell(url: str) -> str:
    return SETUP.format(url=url).rstrip("\n")


def with_setup_cell(nb, url: str):
    """Make the notebook's first code cell the setup cell (SETUP), which sees that gdlib can be imported."""
    cell = nbformat.v4.new_code_cell(setup_cell(url), id="gdlib-setup")
    cell.metadata["tags"] = ["remove-cell"]  # not on the web page: there is nothing to install there
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    if code and nb.cells[code[0]].get("id") == "gdlib-setup":
        nb.cells[code[0]] = cell
    else:
        nb.cells.insert(code[0] if code else len(nb.cells), cell)
    return nb


def execute(path: Path) -> float:
    nb = prepare(nbformat.read(path, as_version=4))  # exercises marked for nbgrader and the grader
    nb = with_setup_cell(nb, repository())
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,  # no timestamps: re-running an unchanged notebook changes nothing
        store_widget_state=False,  # widget models cannot be replayed without a kernel
        coalesce_streams=True,  # one stdout and one stderr per cell; a \r-redrawn line keeps its last state
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code":  # a live widget's view is useless saved: it needs the kernel that made it
            cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
    nbformat.write(nb, path)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="notebooks or folders (default: book/)")
    args = parser.parse_args()
    # jupyter_client starts the "python3" kernel with this interpreter (sys.executable).
    os.environ.setdefault("PYTHONHASHSEED", "0")
    for path in notebooks(args.paths):
        try:
            seconds = execute(path)
        except CellExecutionError as error:
            print(f"FAILED {path}: {str(error).splitlines()[0]}", file=sys.stderr)
            print(error, file=sys.stderr)
            return 1
        print(f"{seconds:6.1f} s  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
