"""The teachers page shows the grader's output as the grader prints it today (tools/teachers_example.py)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_teachers_page_shows_what_the_grader_prints():
    spec = importlib.util.spec_from_file_location("teachers_example", ROOT / "tools" / "teachers_example.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    table, csv = example.blocks()
    page = (ROOT / "book" / "teachers.md").read_text()
    assert "momentum_rate: passed all 5 cases." in table and "sutskever_step: case 2 of 4 failed" in table
    assert f"```text\n{table}\n```" in page, "run python tools/teachers_example.py and paste its table"
    assert f"```text\n{csv}\n...\n```" in page, "run python tools/teachers_example.py and paste its CSV lines"
