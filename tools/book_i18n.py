"""A Sphinx extension of the book: the two editions, English and Chinese, link to each other.

The English book is built into ``_build/html/`` and the Chinese one (``tools/i18n.py
build``, ``language = zh_CN``) into ``_build/html/zh/``. Every page names its
counterpart in the other edition with ``<link rel="alternate" hreflang=...>`` in its
head, and ``language-switch.js`` turns that link into a button in the page's header,
so the switch lands on the same page in the other language. A page of one edition
only (the Chinese glossary) points at the other edition's home page.
"""

from __future__ import annotations

from html import escape

SCRIPT = "language-switch.js"
EDITIONS = {"en": ("zh-CN", "zh/", "中文"), "zh": ("en", "", "English")}  # other edition: hreflang, folder, label


def edition(app) -> str:
    return "zh" if (app.config.language or "en").startswith("zh") else "en"


def counterpart(app, pagename: str) -> str:
    """The URL of ``pagename`` in the other edition, relative to the page itself."""
    mine = edition(app)
    up = "../" * pagename.count("/") + ("../" if mine == "zh" else "")
    folder = EDITIONS[mine][1]
    target = "index" if pagename in app.config.book_i18n_own_pages else pagename
    return f"{up}{folder}{target}.html"


def add_switch(app, pagename, templatename, context, doctree) -> None:
    hreflang, _, label = EDITIONS[edition(app)]
    link = (f'<link rel="alternate" hreflang="{hreflang}" href="{escape(counterpart(app, pagename))}" '
            f'title="{escape(label)}" />\n')
    context["metatags"] = context.get("metatags", "") + link


def setup(app):
    app.add_config_value("book_i18n_own_pages", [], "html")  # pages of this edition alone
    app.connect("html-page-context", add_switch)
    app.add_js_file(SCRIPT, loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
