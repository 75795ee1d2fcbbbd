"""A Sphinx extension of the book: finish the written pages for readers on every screen.

Runs once the HTML is written (``build-finished``) over every page, and is
idempotent, so incremental builds can run it again over pages already done:

- Icons: the theme loads Font Awesome's 1.5 MB script to turn a dozen ``<i class="fa-...">``
  into SVG in the browser. Here each becomes the same inline SVG at build time
  (paths read from the theme's own copy of the script), and the script is dropped.
  The icon fonts the theme's CSS still uses (admonition icons) are cut down to the
  glyphs that CSS names, and the icon classes of the font are cut from its CSS.
- Images: the size of every image as ``width``/``height`` attributes (no layout
  shift, no squashed figures), lazy loading, and the panel layout of
  ``gdlib.plots`` figures (``data-panels``) that ``figure-panels.js`` stacks on phones.
- Captions: "Fig. 5.3." set off from the caption text.
- Solutions: the title of a solution toggles it instead of jumping to the exercise.
- Accessibility fixes to the theme's markup that axe-core reports (see ``_A11Y``).
- The search index and its scripts only on the search page: the theme loads them
  everywhere for a search-as-you-type that the book does not turn on.
"""

from __future__ import annotations

import html
import re
import struct
from pathlib import Path

ICON = re.compile(r'<(i|span)\s+class="([^"]*\bfa-[^"]*)"([^>]*)>\s*</\1>')
PACKS = {"fa-solid": "fas", "fas": "fas", "fa-brands": "fab", "fab": "fab", "fa-regular": "far", "far": "far"}
SIZES = {"fa-lg", "fa-xs", "fa-sm", "fa-xl", "fa-2x", "fa-fw"}
FONTS = {"fas": "fa-solid-900.woff2", "fab": "fa-brands-400.woff2", "far": "fa-regular-400.woff2"}
# Markup of the theme that axe-core flags, and its fix.
_A11Y = [
    # The search buttons show "Search Ctrl+K" but were labelled "Search", or "搜索" in the Chinese edition
    # (label-content-name-mismatch).
    (re.compile(r'(<button[^>]*search-button-field[^>]*?) aria-label="[^"]*"'), r"\1"),
    # The bibliography is a role=list whose entries used a deprecated role (aria-required-children).
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
    # The sidebar's book title sat outside any landmark (region).
    (re.compile(r'(<div\s+id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar")>'),
     r'\1 role="complementary" aria-label="Table of contents">'),
    # sphinx-exercise gives every exercise and every solution the same id (duplicate-id).
    (re.compile(r'<section id="(exercise|solution)-content">'), r'<section class="\1-content">'),
]
CAPTION = re.compile(r'(<figcaption>\s*<p>|<caption>)<span class="caption-number">([^<]*?)\.? </span>')
SOLUTION_TITLE = re.compile(r'(<p class="admonition-title">Solution to)<a class="reference internal" href="[^"]*">\s*'
                            r"(.*?)</a>")
IMG = re.compile(r"<img\b[^>]*>")


def icon_paths(script: str) -> dict[tuple[str, str], tuple[int, int, str]]:
    """``(pack, name) -> (width, height, path)`` for every icon in Font Awesome's JavaScript bundle.

    The bundle defines each pack (brands, regular, solid) as an object of
    ``name: [width, height, aliases, unicode, path]`` and then registers it with
    ``d("fab", ...)``; an icon belongs to the first registration after it.
    """
    ends = [(m.start(), m.group(1)) for m in re.finditer(r'\bd\("(fa[bsr])",\w+\)', script)]
    entry = re.compile(r'(?:"([\w-]+)"|(\w+)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","([^"]+)"\]')
    icons = {}
    for m in entry.finditer(script):
        pack = next((p for end, p in ends if end > m.start()), None)
        if pack is not None:
            icons.setdefault((pack, m.group(1) or m.group(2)), (int(m.group(3)), int(m.group(4)), m.group(5)))
    return icons


def inline_icons(page: str, icons: dict) -> str:
    """Replace each Font Awesome ``<i>``/``<span>`` by the inline SVG that Font Awesome's script would make."""

    def svg(m: re.Match) -> str:
        classes = m.group(2).split()
        pack = next((PACKS[c] for c in classes if c in PACKS), "fas")
        names = [c[3:] for c in classes if c.startswith("fa-") and c not in PACKS and c not in SIZES]
        found = next(((n, icons[(pack, n)]) for n in names if (pack, n) in icons), None)
        if found is None:
            return m.group(0)
        name, (width, height, path) = found
        keep = " ".join(c for c in classes if c not in PACKS)
        attrs = re.sub(r'\s(title|aria-hidden)="[^"]*"', "", m.group(3))  # decorative: the button names it
        return (f'<svg class="svg-inline--fa {html.escape(keep)}" data-icon="{name}" aria-hidden="true" '
                f'focusable="false" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
                f'{attrs}><path fill="currentColor" d="{path}"/></svg>')

    page = ICON.sub(svg, page)
    return re.sub(r'\s*<script[^>]*fontawesome\.js[^>]*></script>', "", page)


def png_info(path: Path) -> tuple[int, int, dict[str, str]]:
    """Pixel size and text chunks of a PNG file, read from its header."""
    data = path.read_bytes()
    width, height = struct.unpack(">II", data[16:24])
    text, at = {}, 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"tEXt":
            key, _, value = data[at + 8:at + 8 + length].partition(b"\0")
            text[key.decode("latin-1")] = value.decode("latin-1")
        if kind in (b"IDAT", b"IEND"):
            break
        at += 12 + length
    return width, height, text


def svg_size(path: Path) -> tuple[float, float] | None:
    """The size an SVG file declares (width and height, else its viewBox)."""
    head = re.search(r"<svg\b[^>]*>", path.read_text(errors="ignore"))
    if head is None:
        return None
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', head.group(0)))
    sizes = [re.match(r"[\d.]+", attrs.get(k, "")) for k in ("width", "height")]
    if all(sizes) and not any(attrs[k].endswith("%") for k in ("width", "height")):
        return float(sizes[0].group(0)), float(sizes[1].group(0))
    box = attrs.get("viewBox", "").replace(",", " ").split()
    return (float(box[2]), float(box[3])) if len(box) == 4 else None


def sized_image(tag: str, page_dir: Path) -> str:
    """An ``<img>`` tag with its size as attributes, lazy loading and, for gdlib figures, its panels."""
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
    style = attrs.get("style", "")
    size = dict(re.findall(r"(width|height):\s*([\d.]+)px", style))
    src = attrs.get("src", "")
    file = (page_dir / src).resolve() if src and not src.startswith(("data:", "http")) else None
    info = png_info(file) if file and file.suffix == ".png" and file.is_file() else None
    declared = svg_size(file) if file and file.suffix == ".svg" and file.is_file() else None
    if declared:
        size.setdefault("width", f"{declared[0]:g}")
        size.setdefault("height", f"{declared[1]:g}")
    if info:
        width, height, text = info
        scale = float(text.get("gdlib:scale", "1"))  # pixels per CSS pixel (2 for retina figures)
        size.setdefault("width", f"{width / scale:g}")
        size.setdefault("height", f"{height / scale:g}")
        if "gdlib:panels" in text:
            attrs["data-panels"] = text["gdlib:panels"]
    if {"width", "height"} <= size.keys():
        attrs["width"], attrs["height"] = (f"{float(size[k]):g}" for k in ("width", "height"))
        style = re.sub(r"\s*(width|height):\s*[\d.]+px;?", "", style).strip()
    if style:
        attrs["style"] = style
    else:
        attrs.pop("style", None)
    if file is not None:
        attrs.setdefault("loading", "lazy")
        attrs.setdefault("decoding", "async")
    return "<img " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + " />"


SEARCH_SCRIPTS = re.compile(r'\s*<script src="[^"]*(?:searchtools|language_data|searchindex)\.js"></script>')


def finish_page(page: str, page_dir: Path, icons: dict) -> str:
    page = inline_icons(page, icons)
    if 'id="search-results"' not in page:  # 120 kB for search-as-you-type, which is off: the search page only
        page = SEARCH_SCRIPTS.sub("", page)
    for pattern, replacement in _A11Y:
        page = pattern.sub(replacement, page)
    page = CAPTION.sub(r'\1<span class="caption-number">\2.</span> ', page)
    page = SOLUTION_TITLE.sub(r'\1 <span class="solution-of">\2</span>', page)
    return IMG.sub(lambda m: sized_image(m.group(0), page_dir), page)


def used_codepoints(css: str) -> set[int]:
    """The icon glyphs (private-use characters, raw or as CSS escapes) a stylesheet shows.

    Font Awesome's own classes (``.fa-bell:before``...) are left out: the pages use
    no icon fonts through them, their icons are inline SVG (:func:`inline_icons`).
    """
    found = set()
    for selectors, body in re.findall(r"([^{}]*)\{([^{}]*)\}", css):
        if all(s.strip().startswith(".fa-") for s in selectors.split(",")):
            continue
        found |= {ord(c) for c in body if 0xE000 <= ord(c) <= 0xF8FF}
        found |= {int(h, 16) for h in re.findall(r"\\([ef][0-9a-fA-F]{3})\b", body)}
    return {c for c in found if 0xE000 <= c <= 0xF8FF}


def subset_fonts(static: Path) -> None:
    """Cut the icon fonts down to the glyphs the book's stylesheets use."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    wanted = set().union(*(used_codepoints(p.read_text(errors="ignore")) for p in static.rglob("*.css")))
    for name in FONTS.values():
        path = static / "vendor" / "fontawesome" / "webfonts" / name
        if not path.is_file():
            continue
        font = TTFont(path)
        keep = wanted & set(font.getBestCmap())
        if len(font.getGlyphOrder()) <= len(keep) + 2:  # already cut down
            continue
        options = subset.Options()
        options.flavor, options.layout_features = "woff2", []
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=keep or {0xF0C9})
        cutter.subset(font)
        font.flavor = "woff2"
        font.save(path)


FA_RULE = re.compile(r"(?<=[}])\s*(?:\.fa-[\w-]+:{1,2}(?:before|after)\s*,?\s*)+\{[^{}]*\}")


def slim_theme_css(static: Path) -> None:
    """Drop Font Awesome's 1,900 icon classes (84 kB) from the theme's stylesheet: the icons are inline SVG."""
    path = static / "styles" / "pydata-sphinx-theme.css"
    if path.is_file():
        css = path.read_text()
        slim = FA_RULE.sub("", css)
        if slim != css:
            path.write_text(slim)


def finish_book(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    script = out / "_static" / "scripts" / "fontawesome.js"
    icons = icon_paths(script.read_text()) if script.is_file() else {}
    for page in out.rglob("*.html"):
        text = page.read_text()
        done = finish_page(text, page.parent, icons)
        if done != text:
            page.write_text(done)
    subset_fonts(out / "_static")
    slim_theme_css(out / "_static")


def setup(app):
    app.connect("build-finished", finish_book, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
