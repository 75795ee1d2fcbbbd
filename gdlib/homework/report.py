"""Reports: the table a teacher reads, the CSV a spreadsheet reads, written once grading is over."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .plan import write_atomically

COLUMNS = ["notebook", "chapter", "exercise", "kind", "points", "max_points", "message"]


def table(report: dict) -> str:
    """One submission's report as a fixed-width table, with the notes below it."""
    width = max([len(r["name"]) for r in report["exercises"]] + [8])
    lines = [f"Grading {report['notebook']} (chapter {report['chapter']})", "",
             f"{'exercise':<{width}}  points  max  message"]
    for r in report["exercises"]:
        first, *rest = r["message"].split("\n")
        lines.append(f"{r['name']:<{width}}  {r['points']:>6}  {r['max_points']:>3}  {first}")
        lines += [" " * (width + 15) + line.strip() for line in rest]
    lines.append(f"{'total':<{width}}  {report['score']:>6}  {report['max_score']:>3}")
    if report["written"]:
        lines.append(f"\nWritten answers to grade by hand: {', '.join(report['written'])}")
    lines += [f"note: {note}" for note in report["notes"]]
    return "\n".join(lines)


def rows(reports: list[dict], errors: list[dict]) -> list[dict]:
    """One row per notebook and exercise (written ones with empty points), one per file that failed."""
    out = []
    for report in reports:
        base = {"notebook": report["notebook"], "chapter": report["chapter"]}
        out += [{**base, "exercise": r["name"], "kind": "coding", "points": r["points"],
                 "max_points": r["max_points"], "message": r["message"].split("\n")[0]} for r in report["exercises"]]
        out += [{**base, "exercise": label, "kind": "written", "points": "", "max_points": "",
                 "message": "grade by hand"} for label in report["written"]]
    out += [{"notebook": e["notebook"], "chapter": "", "exercise": "", "kind": "error", "points": "",
             "max_points": "", "message": e["error"]} for e in errors]
    return out


def write_csv(path: Path, reports: list[dict], errors: list[dict]) -> None:
    """The CSV file, replaced in one step."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(reports, errors))
    write_atomically(path, text.getvalue())
