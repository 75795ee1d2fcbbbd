"""A Sphinx extension of the book: clean up what the sources say before it becomes a page.

- nbgrader's solution markers (``### BEGIN SOLUTION`` / ``### END SOLUTION``, and the
  hidden-tests pair) tell the homework tools which lines to cut from a student's
  copy. The notebooks keep them; a reader of the published book never sees them.
- Docstrings show shell commands as an indented block, which reads well in ``help()``
  but is a quotation to reStructuredText (``--out`` became an en dash). On the API
  page such a block is code.
"""

import re

from docutils import nodes
from sphinx.transforms import SphinxTransform

MARKER = re.compile(r"^[ \t]*#+[ \t]*(?:BEGIN|END)[ \t]+(?:SOLUTION|HIDDEN TESTS)[ \t]*\n?", re.MULTILINE)


def without_markers(code: str) -> str:
    """``code`` with every line that is only an nbgrader marker removed."""
    return MARKER.sub("", code)


class StripSolutionMarkers(SphinxTransform):
    """Remove nbgrader's marker lines from every code block of the page."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        for block in list(self.document.findall(nodes.literal_block)):
            text = block.astext()
            if not MARKER.search(text):
                continue
            clean = without_markers(text)
            if block.rawsource == text or not block.rawsource:
                block.rawsource = clean
            else:
                block.rawsource = without_markers(block.rawsource)
            block.children.clear()  # plain text only, so that Sphinx still highlights it
            block.append(nodes.Text(clean))


COMMAND = re.compile(r"^\s+(?:\$ |python3? |jupyter |pip )")


def commands_as_code(app, what, name, obj, options, lines: list[str]) -> None:
    """Make an indented block of shell commands in a docstring a code block (autodoc-process-docstring)."""
    out, i = [], 0
    while i < len(lines):
        starts_block = COMMAND.match(lines[i]) and (i == 0 or not lines[i - 1].strip())
        if starts_block and not (out and out[-2:] and any(line.rstrip().endswith("::") for line in out[-2:])):
            indent = len(lines[i]) - len(lines[i].lstrip())
            block = []
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) >= indent):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            out += [".. code-block:: bash", ""] + ["    " + line.strip() for line in block] + [""]
            continue
        out.append(lines[i])
        i += 1
    lines[:] = out


def setup(app):
    app.add_transform(StripSolutionMarkers)
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("autodoc-process-docstring", commands_as_code)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
