"""A Sphinx extension of the book: the two editions, English and Chinese, link to each other.

The English book is built into ``_build/html/`` and the Chinese one (``tools/i18n.py
build``, ``language = zh_CN``) into ``_build/html/zh/``. Every page names its
counterpart in the other edition with ``<link rel="alternate" hreflang=...>`` in its
head, and ``language-switch.js`` turns that link into a button in the page's header,
so the switch lands on the same page in the other language (``language-switch.css``
keeps it as narrow as the header's icons). A page of one edition
only (the Chinese glossary) points at the other edition's home page.

What is translated: prose only. ``SharedMath`` keeps display math and the messages
without prose (a table cell that is only ``$N$`` or ```len(y)```) out of the
catalogues, so both editions show the English source's. ``tokens`` lists what a
translation must carry over unchanged (inline math, inline code, links,
roles/references, numbers); ``tests/test_i18n.py`` compares them message by message.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.i18n import docname_to_domain

SCRIPT = "language-switch.js"
# The other edition of each: hreflang, folder, the switch's label. Short labels: the phone's header is full.
EDITIONS = {"en": ("zh-CN", "zh/", "中文"), "zh": ("en", "", "EN")}


# ---------------------------------------------------------------- what a message must keep

MATH = re.compile(r"(?<![\\$])\$(?!\$)((?:\\.|[^$\\])+?)\$")           # $...$, not $$
ROLE = re.compile(r"(?<!`)\{[\w:+-]+\}`[^`]*`")                         # {numref}`fig-x`, not `{solution}`
CODE = re.compile(r"(`+)(.+?)\1")                                   # `code`, ``code``
LINK = re.compile(r"\]\(([^)\s]+)\)|<((?:https?|mailto):[^>\s]+)>")   # [text](target), <url>
NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?%?(?![\w])")
# The prose of a live figure's HTML output (gdlib.live): its caption and its pictures' alt texts.
LIVE_PROSE = re.compile(r'(<p class="gl-caption">)(.*?)(</p>)|(\balt=")([^"]*)(")', re.DOTALL)
RST_ROLE = re.compile(r"(?<![\w`]):[\w:+-]+:`")                        # :class:`x` (reStructuredText)
INTERACTIVE = re.compile(r'class="gdlib-(?:live|player)"')  # the HTML outputs of gdlib.live and gdlib.player
KINDS = ("math", "code", "link", "role", "number")


def role_key(role: str) -> str:
    """A role as the drift check compares it: its own text (``{ref}`the summary <sec-x>```) may be translated."""
    explicit = re.fullmatch(r"(\{[\w:+-]+\}`)[^`]*?(<[^<>`]+>)`", role)
    return explicit.group(1) + explicit.group(2) + "`" if explicit else role


def tokens(message: str) -> dict[str, Counter]:
    """What a translation must keep of ``message``, by kind, as counts (the order may change with the grammar).

    Roles are taken whole (``{ref}`sec-x```), then inline math and code; numbers are
    the ones of the prose left over (so the 2 of ``$x^2$`` counts as math, not as a number).
    """
    found = {kind: Counter() for kind in KINDS}
    rest = message
    for kind, pattern in (("role", ROLE), ("math", MATH), ("code", CODE), ("link", LINK)):
        for m in pattern.finditer(rest):
            if kind == "role":
                key = role_key(m.group(0))
            elif kind == "link":
                key = next(g for g in m.groups()[::-1] if g)
            else:
                key = m.group(2) if kind == "code" else re.sub(r"\s+", " ", m.group(1).strip())
            found[kind][key] += 1
        rest = pattern.sub(" ", rest)
    found["number"].update(n.replace(",", "") for n in NUMBER.findall(rest))
    return found


def has_prose(message: str) -> bool:
    """Whether ``message`` has words to translate once its math, code, roles and links are set aside."""
    rest = message
    for pattern in (ROLE, MATH, CODE, LINK):
        rest = pattern.sub(" ", rest)
    return re.search(r"[^\W\d_]{2,}", rest) is not None


class SharedMath(SphinxTransform):
    """Display math, messages without prose and reStructuredText prose are the same in both editions."""

    default_priority = 10  # before sphinx.transforms.i18n.Locale (20); the gettext builder sees the result too

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False
        for node in self.document.findall(nodes.paragraph):
            source = node.rawsource or node.astext()
            # reStructuredText roles (the API page's eval-rst blocks): Sphinx reads a translation with the page's
            # parser, MyST, which does not know them; such a paragraph stays English, as the API reference does.
            if not has_prose(source) or RST_ROLE.search(source):
                node["translatable"] = False


class TranslatableExerciseTitles(SphinxTransform):
    """Exercise titles (``:::{exercise} Title``): sphinx-exercise makes them without a source, so Sphinx would
    neither extract nor translate them. Given one, they are messages like any other (titles are plain text)."""

    default_priority = 11  # before sphinx.transforms.i18n.Locale (20)

    def apply(self, **kwargs) -> None:
        from sphinx_exercise.nodes import exercise_subtitle

        for node in self.document.findall(exercise_subtitle):
            if not node.source:
                parent = node.parent.parent if node.parent is not None else None
                node.source = (parent.source if parent is not None else None) or self.document["source"]
                node.line = parent.line if parent is not None else None
                node.rawsource = node.astext()


class TranslatedExercisesForSolutions(SphinxTransform):
    """A solution's title repeats its exercise's title, from sphinx-exercise's registry, which keeps a copy of
    the exercise made before the page was translated: here that copy is replaced by the translated exercise."""

    default_priority = 25  # after sphinx.transforms.i18n.Locale (20) translated the titles

    def apply(self, **kwargs) -> None:
        from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

        registry = getattr(self.env, "sphinx_exercise_registry", {})
        if page_catalogue(self) is None or not registry:
            return
        for node in self.document.findall(lambda n: isinstance(n, (exercise_enumerable_node, exercise_node))):
            entry = registry.get(node.get("label"))
            if entry is not None and entry.get("docname") == self.env.docname:
                entry["node"] = node.deepcopy()


def page_catalogue(transform):
    """The ``gettext`` of the page's catalogue in a translated build, or None."""
    config, env = transform.config, transform.env
    if not config.language or config.language == "en" or not config.locale_dirs:
        return None
    domain = docname_to_domain(env.docname, config.gettext_compact)
    catalog, found = init_locale([str(env.srcdir / d) for d in config.locale_dirs], config.language, domain)
    return catalog.gettext if found else None


class TranslateToctreeCaptions(SphinxTransform):
    """The part captions of ``_toc.yml``: sphinx-external-toc inserts them after Sphinx translated the page."""

    default_priority = 101  # after sphinx_external_toc's InsertToctrees (100)

    def apply(self, **kwargs) -> None:
        gettext = page_catalogue(self)
        for toctree in self.document.findall(addnodes.toctree) if gettext else ():
            if toctree.get("caption"):
                toctree["caption"] = gettext(toctree.get("rawcaption") or toctree["caption"])


class TranslateAltTexts(SphinxPostTransform):
    """The alt texts of notebook figures, which myst-nb sets after Sphinx has translated the page.

    ``tools/i18n.py update`` adds them to the page's catalogue; here they are looked up
    in it (current translations only: Sphinx compiles the catalogue without fuzzy entries).
    """

    default_priority = 50  # after myst-nb's choice of output (SelectMimeType, 4)

    def run(self, **kwargs) -> None:
        gettext = page_catalogue(self)
        for image in self.document.findall(nodes.image) if gettext else ():
            if image.get("alt"):
                image["alt"] = gettext(image["alt"])


class TranslateLiveFigures(SphinxPostTransform):
    """The caption and alt texts in the HTML output of a live figure (``gdlib.live``) or a player
    (``gdlib.player``); their controls and labels stay English."""

    default_priority = 51

    def run(self, **kwargs) -> None:
        import html

        gettext = page_catalogue(self)
        for raw in self.document.findall(nodes.raw) if gettext else ():
            page = raw.astext()
            if not INTERACTIVE.search(page):
                continue

            def translated(m, gettext=gettext):
                start, text, end = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
                return start + html.escape(gettext(html.unescape(text)), quote=True) + end

            raw.children[0] = nodes.Text(LIVE_PROSE.sub(translated, page))


# ---------------------------------------------------------------- Chinese search

def glossary_search():
    """Sphinx's Chinese search (jieba), which also indexes the glossary's terms inside longer words.

    jieba keeps 小批量梯度下降 whole when the word list has it, and its search mode
    adds only the two- and three-character words inside it, so a page that says
    随机梯度下降 would not be found by 梯度下降. Here every glossary term inside a
    longer word is indexed as well. The word list is ``html_search_options["dict"]``.
    """
    from sphinx.search.zh import SearchChinese

    class SearchGlossary(SearchChinese):
        def init(self, options: dict[str, str]) -> None:
            super().init(options)
            path = options.get("dict")
            self.terms = [line.split()[0] for line in open(path, encoding="utf-8") if line.strip()] if path else []

        def split(self, input: str) -> list[str]:
            words = super().split(input)
            return words + [t for w in words if len(w) > 3 for t in self.terms if t != w and t in w]

    return SearchGlossary


def use_glossary_search(app, config) -> None:
    if (config.language or "").startswith("zh") and config.html_search_options.get("dict"):
        import sphinx.search

        sphinx.search.languages["zh"] = glossary_search()


# ---------------------------------------------------------------- the switch

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
    app.connect("config-inited", use_glossary_search)
    app.add_transform(SharedMath)
    app.add_transform(TranslatableExerciseTitles)
    app.add_transform(TranslatedExercisesForSolutions)
    app.add_transform(TranslateToctreeCaptions)
    app.add_post_transform(TranslateAltTexts)
    app.add_post_transform(TranslateLiveFigures)
    app.connect("html-page-context", add_switch)
    app.add_js_file(SCRIPT, loading_method="defer")
    app.add_css_file("language-switch.css", priority=901)  # after book.css
    return {"parallel_read_safe": True, "parallel_write_safe": True}
