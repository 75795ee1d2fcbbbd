"""A Sphinx extension of the book: what every page loads, and the book's own CSS and scripts.

- Scripts: Jupyter Book 1 registers some inline scripts twice (sphinx-togglebutton's
  and sphinx-thebe's), and the second ``const THEBE_JS_URL`` is a JavaScript error
  on every page. The book runs no live code in the browser, so sphinx-thebe's
  scripts (which would fetch thebe from a CDN) are dropped too, and so are
  sphinx-design's files where a page uses none of its directives (the search
  index, which the theme's template loads, is dropped by ``book_html``).
- MathJax: only the parts the book uses (TeX input, HTML output, hidden MathML for
  screen readers), not the 1.2 MB combined file. Without MathJax's context menu,
  equations are no longer hundreds of invisible tab stops.
- The book's stylesheet and small scripts in ``tools/static/``: working sidebar
  toggles, scroll cues, stacked figure panels on phones (see each file's header).

The other book extensions: ``book_content`` (doctree: solution markers, image sizes)
and ``book_html`` (the written pages: icons, theme fixes, font subsets).
The browser test in ``tests/test_browser.py`` checks all of it in Chromium.
"""

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
SCRIPTS = ["nav-toggles.js", "scroll-cues.js", "figures.js"]
# MathJax 3 components, loaded by its own loader from _static/mathjax (sphinx-mathjax-offline's copy).
MATHJAX = {
    "loader": {"load": ["input/tex", "output/chtml", "a11y/assistive-mml"]},
}


DESIGN_ONLY = ("design-tabs.js", "sphinx-design")  # sphinx-design's files, for pages that use its directives


def _tidy_scripts(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    designed = "sd-" in context.get("body", "")
    for script in context.get("script_files", []):
        filename = str(getattr(script, "filename", script) or "")
        body = getattr(script, "attributes", {}).get("body", "")
        if "thebe" in filename or "THEBE_JS_URL" in body:
            continue
        if not designed and DESIGN_ONLY[0] in filename:
            continue
        key = (filename, tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept
    if not designed:
        context["css_files"] = [c for c in context.get("css_files", [])
                                if DESIGN_ONLY[1] not in str(getattr(c, "filename", c) or "")]


def _configure(app, config):
    config.html_static_path.append(str(STATIC))
    config.mathjax_path = "mathjax/startup.js"  # after sphinx-mathjax-offline, which points at tex-chtml.js
    merged = dict(config.mathjax3_config or {})
    for key, value in MATHJAX.items():
        merged[key] = {**merged.get(key, {}), **value}
    config.mathjax3_config = merged


def setup(app):
    app.connect("config-inited", _configure, priority=900)
    app.connect("html-page-context", _tidy_scripts, priority=900)  # after the extensions that add scripts
    app.add_css_file("book.css", priority=900)  # after the theme's stylesheets
    for script in SCRIPTS:
        app.add_js_file(script, loading_method="defer")
    app.setup_extension("book_content")
    app.setup_extension("book_html")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
