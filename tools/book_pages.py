"""A Sphinx extension of the book: tidy the scripts each page loads.

Jupyter Book 1 registers some inline scripts twice (sphinx-togglebutton's and
sphinx-thebe's), and the second ``const THEBE_JS_URL`` is a JavaScript error on
every page. The book runs no live code in the browser, so sphinx-thebe's scripts
(which would fetch thebe from a CDN) are dropped too. The browser test in
``tests/test_browser.py`` fails on any console error, which is how this showed up.
"""


def _tidy_scripts(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        filename = getattr(script, "filename", script) or ""
        body = getattr(script, "attributes", {}).get("body", "")
        if "thebe" in str(filename) or "THEBE_JS_URL" in body:
            continue
        key = (filename, tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", _tidy_scripts, priority=900)  # after the extensions that add scripts
    return {"parallel_read_safe": True, "parallel_write_safe": True}
