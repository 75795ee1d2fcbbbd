"""The Chinese edition cannot drift from the English one (issue 17).

Scope: every page of ``_toc.yml`` has a catalogue, ``book/locales/zh_CN/LC_MESSAGES/book/<page>.po``.
A message is in scope when it comes from the page's own source: its markdown (a
``.md`` page, or a notebook's markdown cells), its figures' captions and alt texts
(cell metadata) and, for the first page, the part captions of ``_toc.yml``. What
Sphinx adds from elsewhere, the docstrings that ``autodoc`` puts on the API page,
stays in English and is out of scope. Display math and messages without prose
(a table cell that is only ``$N$``) are not messages at all (``tools/book_i18n.py``).

- ``test_every_message_has_a_current_translation``: the English prose is extracted
  afresh (Sphinx's gettext builder, as ``tools/i18n.py update`` does) and every
  message in scope must have a non-fuzzy translation in the committed catalogue. A
  changed English sentence has no translation until someone translates it again, so
  this test fails the moment the English text moves on.
- ``test_translations_keep_math_code_links_references_and_numbers``: inline math,
  inline code, link targets, roles (references, citations: name and target; a role's own
  text may be translated) and numbers of each translation equal its English message's,
  token for token (their order may change with the grammar).
- ``test_translations_use_the_glossary``: an English term of the glossary page
  (``book/glossary_zh.md``) is translated by its Chinese term.
- ``test_chinese_notebooks_*``: the generated notebooks have exactly the English
  code cells and outputs, and their markdown keeps every math/code/link/role token;
  each passes nbval against the English outputs, and a teacher can release and grade one.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import book_i18n  # noqa: E402
import i18n  # noqa: E402

PAGES = re.findall(r"(?:root|file): (\S+)", (ROOT / "_toc.yml").read_text())


def read(path: Path):
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return [m for m in read_po(f) if m.id]


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_source(page: str) -> str:
    """Everything of a page that is its own prose: markdown, figure captions and alt texts, live figures' captions."""
    path = ROOT / f"{page}.md"
    if path.is_file():
        text = path.read_text()
    else:
        cells = json.loads((ROOT / f"{page}.ipynb").read_text())["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for cell in cells:
            mystnb = cell.get("metadata", {}).get("mystnb", {})
            for key, field in (("figure", "caption"), ("image", "alt")):
                text += "\n" + str(mystnb.get(key, {}).get(field, ""))
        text += "\n" + "\n".join(i18n.live_texts(ROOT / f"{page}.ipynb"))
    if page == PAGES[0]:
        text += "\n" + (ROOT / "_toc.yml").read_text()
    return normal(text)


def in_scope(page: str, messages) -> list:
    source = page_source(page)
    return [m for m in messages if normal(m.id) in source]


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    """The messages of the English source as it is now: page -> [message]."""
    out = tmp_path_factory.mktemp("pot") / "gettext"
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "i18n.py"), "templates", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return {page: read(out / f"{page}.pot") for page in PAGES if (out / f"{page}.pot").is_file()}


@pytest.mark.parametrize("page", PAGES)
def test_every_message_has_a_current_translation(english, page):
    po = i18n.CATALOGUES / f"{page}.po"
    assert po.is_file(), f"no catalogue for {page}: run python tools/i18n.py update"
    done = {m.id for m in read(po) if m.string and not m.fuzzy}
    wanted = in_scope(page, english.get(page, []))
    missing = [m.id for m in wanted if m.id not in done]
    assert not missing, (f"{page}: {len(missing)} of {len(wanted)} messages have no current translation "
                         f"(python tools/i18n.py update, then translate); the first: {missing[0][:200]!r}")


def translated(page: str):
    po = i18n.CATALOGUES / f"{page}.po"
    return [m for m in read(po) if m.string and not m.fuzzy] if po.is_file() else []


@pytest.mark.parametrize("page", PAGES)
def test_translations_keep_math_code_links_references_and_numbers(page):
    for message in translated(page):
        english, chinese = book_i18n.tokens(message.id), book_i18n.tokens(message.string)
        for kind in book_i18n.KINDS:
            lost, added = english[kind] - chinese[kind], chinese[kind] - english[kind]
            assert not lost and not added, (f"{page}: the {kind} of a translation differ from the English: "
                                            f"missing {sorted(lost)}, extra {sorted(added)}, in {message.id[:120]!r}")


def test_the_drift_check_catches_what_it_should():
    keep = book_i18n.tokens("Step $w_t$ with `lr` 0.1 ({numref}`fig-a`, [ch. 2](02.ipynb)) 1e-6 and 10,000 times.")
    assert keep["math"] == Counter({"w_t": 1}) and keep["code"] == Counter({"lr": 1})
    assert keep["role"] == Counter({"{numref}`fig-a`": 1}) and keep["link"] == Counter({"02.ipynb": 1})
    assert keep["number"] == Counter({"0.1": 1, "2": 1, "1e-6": 1, "10000": 1})
    good = "用 `lr` 走一步 $w_t$（{numref}`fig-a`，[第 2 章](02.ipynb)），0.1、1e-6、10000 次。"
    assert book_i18n.tokens(good) == keep
    for bad in (good.replace("$w_t$", "$w_{t}$"), good.replace("0.1", "0.2"), good.replace("fig-a", "fig-b"),
                good.replace("02.ipynb", "03.ipynb"), good.replace("`lr`", "lr")):
        assert book_i18n.tokens(bad) != keep, bad
    assert not book_i18n.has_prose("$y$, $y_n$") and book_i18n.has_prose("`state.t` (Adam)")
    named = book_i18n.tokens("See {ref}`the long run <sec-adam-long>` and {ref}`sec-adam-race`.")["role"]
    assert named == book_i18n.tokens("见{ref}`长期运行 <sec-adam-long>`和 {ref}`sec-adam-race`。")["role"]
    assert named != book_i18n.tokens("见{ref}`长期运行 <sec-adam-lon>`和 {ref}`sec-adam-race`。")["role"]
    quoted = book_i18n.tokens("Write a `{solution}` block after each `{exercise}` block.")  # code, not roles
    assert not quoted["role"] and quoted["code"] == Counter({"{solution}": 1, "{exercise}": 1})


# ---------------------------------------------------------------- the glossary

# English terms whose Chinese depends on the sentence (an "error" may be 误差 or an exception,
# 错误; a "step" is 步, 步长 or 一步; a "root" may be a square root, 平方根): the glossary lists
# them for readers, the test leaves them alone.
LOOSE = {"error", "step", "number of steps", "weights", "converge", "diverge", "iterate", "root"}


def glossary() -> list[tuple[list[str], list[str]]]:
    """(English terms, Chinese terms) of each row of the glossary's tables."""
    rows = []
    for line in (ROOT / f"{i18n.GLOSSARY}.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2 or set(cells[0]) <= set("-") or cells[0] == "中文":
            continue
        chinese = [t for t in re.split(r"[，、（）()]+", cells[0]) if re.search(r"[\u4e00-\u9fff]", t)]
        english = set()  # "a / b": either; "(x)": words that may be left out
        for term in re.split(r"\s*[,/]\s*", cells[1]):
            english |= {re.sub(r"[()]", "", term).strip(), re.sub(r"\s*\([^)]*\)\s*", " ", term).strip()}
        rows.append(([t for t in english if t and t.lower() not in LOOSE and not t.startswith("of ")],
                     [t.strip() for t in chinese]))
    return rows


@pytest.mark.parametrize("page", PAGES)
def test_translations_use_the_glossary(page):
    rows = glossary()
    assert len(rows) > 40
    for message in translated(page):
        prose = message.id
        for pattern in (book_i18n.ROLE, book_i18n.MATH, book_i18n.CODE, book_i18n.LINK):
            prose = pattern.sub(" ", prose)
        for english, chinese in rows:
            used = [t for t in english if re.search(rf"(?<![\w-]){re.escape(t)}(?:s|es)?(?![\w-])", prose, re.I)]
            if used and not any(t in message.string for t in chinese):
                pytest.fail(f"{page}: {used[0]!r} is {' or '.join(chinese)} in the glossary, not in "
                            f"{message.string[:120]!r}")


# ---------------------------------------------------------------- the Chinese notebooks

@pytest.fixture(scope="module")
def chinese_notebooks(tmp_path_factory):
    out = tmp_path_factory.mktemp("zh-notebooks")
    i18n.notebooks(type("Args", (), {"out": out})())
    return out / "book"


def notebook_tokens(source: str) -> Counter:
    found = book_i18n.tokens(source)
    # Labels, directive fences with their names (an exercise's title after the name is prose) and options.
    labels = Counter(re.findall(r"^\([\w-]+\)=$|^:{2,}(?:\s*\{[\w:-]+\})?|^`{3,}(?:\{[\w:-]+\}|\w*)|^:[\w-]+:.*$",
                                source, re.M))
    return sum((found[k] for k in ("math", "code", "link", "role")), Counter()) + labels


def without_prose(cell: dict) -> dict:
    """A code cell without the caption and alt text of its figure (the prose that myst-nb reads from metadata)."""
    cell = json.loads(json.dumps(cell))
    mystnb = cell.get("metadata", {}).get("mystnb", {})
    for key, field in (("figure", "caption"), ("image", "alt")):
        mystnb.get(key, {}).pop(field, None)
    return cell


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "book").glob("*.ipynb")))
def test_chinese_notebooks_have_the_english_code_and_outputs(chinese_notebooks, name):
    english = json.loads((ROOT / "book" / name).read_text())
    chinese = json.loads((chinese_notebooks / name).read_text())
    assert chinese["metadata"] == english["metadata"] and len(chinese["cells"]) == len(english["cells"])
    for en, zh in zip(english["cells"], chinese["cells"], strict=True):
        assert zh["cell_type"] == en["cell_type"]
        if en["cell_type"] == "code":  # the same cell; only its figure's caption and alt text are translated
            assert without_prose(zh) == without_prose(en), f"{name}: a code cell or its outputs changed"
        else:
            assert notebook_tokens("".join(zh["source"])) == notebook_tokens("".join(en["source"])), name


def test_a_translated_markdown_cell_keeps_its_markup():
    cell = ("## What you will learn\n\nThe loss $L(w)$ falls\nwhen `lr` is small; see {numref}`fig-x`.\n\n"
            ":::{exercise}\n:label: ex-a\nTry it.\n:::\n")
    done = i18n.translate_markdown(cell, {
        "What you will learn": "你将学到什么",
        "The loss $L(w)$ falls when `lr` is small; see {numref}`fig-x`.":
            "当 `lr` 较小时，损失 $L(w)$ 会下降；见 {numref}`fig-x`。",
        "Try it.": "试一试。",
    })
    assert done == ("## 你将学到什么\n\n当 `lr` 较小时，损失 $L(w)$ 会下降；见 {numref}`fig-x`。\n\n"
                    ":::{exercise}\n:label: ex-a\n试一试。\n:::\n")
    assert notebook_tokens(done) == notebook_tokens(cell)


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "book").glob("*.ipynb")))
def test_every_message_finds_its_place_in_the_notebook(name):
    """With every message of the catalogue translated, no English prose would be left in the Chinese notebook."""
    po = i18n.CATALOGUES / "book" / f"{name}.po"
    if not po.is_file():
        pytest.skip(f"no catalogue for {name} yet")
    notebook = json.loads((ROOT / "book" / f"{name}.ipynb").read_text())
    source = page_source(f"book/{name}")
    live = {normal(text) for text in i18n.live_texts(ROOT / "book" / f"{name}.ipynb")}  # in the HTML, not markdown
    messages = [m.id for m in read(po) if normal(m.id) in source and normal(m.id) not in live]
    marked = i18n.translate_notebook(notebook, {m: f"\u27e6{i}\u27e7" for i, m in enumerate(messages)})
    text = json.dumps([c["source"] for c in marked["cells"]] + [c.get("metadata") for c in marked["cells"]])
    placed = {int(i) for i in re.findall(r"\\u27e6(\d+)\\u27e7", text)}
    lost = [m for i, m in enumerate(messages) if i not in placed]
    assert not lost, f"{name}: {len(lost)} messages not found in the notebook, the first: {lost[0][:150]!r}"


# ---------------------------------------------------------------- running, releasing and grading the Chinese notebooks

@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "book").glob("*.ipynb")))
def test_chinese_notebook_passes_nbval(chinese_notebooks, name):
    """A Chinese notebook, run afresh, reproduces the committed English outputs (nbval, as for the English ones)."""
    sanitize = ROOT / "tests" / "nbval_sanitize.cfg"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider", "--nbval",
                          "--nbval-current-env", "--nbval-cell-timeout=120", f"--nbval-sanitize-with={sanitize}",
                          str(chinese_notebooks / name)], capture_output=True, text=True, cwd=chinese_notebooks,
                         timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def test_a_teacher_releases_and_grades_a_chinese_chapter(chinese_notebooks, tmp_path):
    """The student edition of a Chinese chapter keeps its Chinese prose and gives no solution away; the grader
    gives the teacher's Chinese copy full marks and the untouched student edition none."""
    import nbformat
    from test_homework import secrets

    from gdlib import check, homework

    name = "01_derivation.ipynb"
    chinese = nbformat.read(chinese_notebooks / name, as_version=4)
    english = nbformat.read(ROOT / "book" / name, as_version=4)
    coding = homework.exercises(english)["coding"]
    assert homework.exercises(chinese)["coding"] == coding
    student = homework.student_edition(chinese)
    prose = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    assert len(re.findall(r"[\u4e00-\u9fff]", prose)) > 2000, "the student edition is not in Chinese"
    hidden = secrets(chinese)  # code and (Chinese) written solutions, as test_homework finds them
    shown = {line.strip() for c in student.cells for line in c.source.split("\n")}
    assert hidden and not hidden & shown, "the student edition shows a line of a solution"
    folder = tmp_path / "class"
    (folder / "teacher").mkdir(parents=True)
    (folder / "teacher" / name).write_bytes((chinese_notebooks / name).read_bytes())
    nbformat.write(student, folder / f"student-{name}")
    run = subprocess.run([sys.executable, "-m", "gdlib.homework", "grade", str(folder), "--jobs", "2", "--json"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    reports = {r["notebook"]: r for r in json.loads(run.stdout)["reports"]}
    teacher, edition = reports[f"teacher/{name}"], reports[f"student-{name}"]
    assert teacher["score"] == teacher["max_score"] == sum(check.EXERCISES[n].points for n in coding), teacher
    assert edition["score"] == 0 and edition["max_score"] == teacher["max_score"]
