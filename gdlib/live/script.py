"""The script of a live figure: the modules of ``gdlib/js`` bundled into one inline script."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources

MODULES = ("gdlib", "train", "theory", "draw", "controls", "runs", "views", "figure")  # gdlib/js, in dependency order


@lru_cache(maxsize=1)
def script() -> str:
    """The modules of ``gdlib/js`` as one script that defines ``window.gdlibLive`` (once per page)."""
    parts = []
    for name in MODULES:
        source = resources.files("gdlib").joinpath(f"js/{name}.js").read_text(encoding="utf-8")
        exports = re.findall(r"^export (?:function\*? |const |class )(\w+)", source, flags=re.MULTILINE)
        body = re.sub(r'^import \{([^}]*)\} from "\./(\w+)\.js";',
                      lambda m: f"const {{{' '.join(m.group(1).split())}}} = modules.{m.group(2)};",
                      source, flags=re.MULTILINE)
        body = re.sub(r"^export ", "", body, flags=re.MULTILINE)
        body = "\n".join(_code(line) for line in body.splitlines()  # indentation and comments are
                         if line.strip() and not line.strip().startswith("//"))  # for readers of gdlib/js
        parts.append(f"modules.{name} = (function () {{\n{body}\nreturn {{ {', '.join(exports)} }};\n}})();")
    bundle = "\n".join(parts)
    version = hashlib.sha1(bundle.encode()).hexdigest()[:12]
    if "</" in bundle:
        raise AssertionError("the script must not contain '</': it is inlined in HTML")
    return (f'(function () {{\n"use strict";\nif (!window.gdlibLive || window.gdlibLive.version !== "{version}") {{\n'
            f"const modules = {{}};\n{bundle}\n"
            f'window.gdlibLive = {{ version: "{version}", modules, ...modules.figure }};\n}}\n'
            "window.gdlibLive.mountAll();\n})();")


def _code(line: str) -> str:
    """A line without its indentation and its trailing ``// comment`` (kept where quotes make that unsafe)."""
    code, mark, _ = line.strip().partition(" // ")
    # safe to cut: no string, template or pattern (/.../) is open where " // " starts
    return code.rstrip() if mark and all(code.count(q) % 2 == 0 for q in "\"'`/") else line.strip()
