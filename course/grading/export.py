"""``course export``: grades as CSV for a learning-management system, and as an Excel workbook.

``grades.csv`` is nbgrader's own export (one row per learner and assignment, the format the
nbgrader docs describe). ``grades_lms.csv`` is the wide table most LMS imports expect: one row
per learner, one column per assignment, and the total, with Chinese headers, UTF-8 with BOM
so Excel opens it correctly. ``grades.xlsx`` has the same summary as its first sheet and one sheet
per assignment with every graded item (see :mod:`course.grading.workbook`).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

__all__ = ["export_grades"]


def export_grades(root: Path | str, out: Path | str | None = None) -> tuple[Path, Path, Path]:
    """Write ``grades.csv`` (nbgrader's format), ``grades_lms.csv`` and ``grades.xlsx``."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    from course.grading.gradebook import load_config
    from course.grading.workbook import Sheet, sheet_title, write_workbook

    root = Path(root).resolve()
    out = Path(out) if out else root / "reports"
    out.mkdir(parents=True, exist_ok=True)
    url = str(load_config(root).CourseDirectory.db_url)
    long_path, wide_path = out / "grades.csv", out / "grades_lms.csv"
    taken: set[str] = {"汇总"}
    sheets: list[Sheet] = []
    with Gradebook(url) as gb:
        CsvExportPlugin(to=str(long_path)).export(gb)
        assignments = sorted(gb.assignments, key=lambda a: (a.duedate is None, a.duedate, a.name))
        names = [a.name for a in assignments]
        maxes = [a.max_score for a in assignments]
        students = sorted(gb.students, key=lambda s: s.id)
        people = {s.id: [s.id, f"{s.last_name or ''}{s.first_name or ''}", s.email or ""]
                  for s in students}
        rows = []
        for student in students:
            scores: list[object] = []
            for a in names:
                try:
                    scores.append(round(gb.find_submission(a, student.id).score, 2))
                except Exception:  # no submission from this learner
                    scores.append("")
            total = sum(s for s in scores if isinstance(s, float | int))
            rows.append([*people[student.id], *scores, round(total, 2)])
        for a in assignments:
            sheets.append(_assignment_sheet(a, people, sheet_title(a.name, taken)))
    header = ["学号", "姓名", "邮箱",
              *[f"{a}（满分 {m:g}）" for a, m in zip(names, maxes, strict=True)], "总分"]
    with open(wide_path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    xlsx = write_workbook(out / "grades.xlsx", [Sheet("汇总", header, rows), *sheets])
    return long_path, wide_path, xlsx


def _assignment_sheet(assignment: Any, people: dict[str, list[str]], title: str) -> Any:
    """One row per learner who submitted: every graded item's score, then the total."""
    from course.grading.workbook import Sheet

    items: list[tuple[str, str]] = []  # (notebook, grade cell), in the notebooks' order
    maxima: dict[tuple[str, str], float] = {}
    for nb in assignment.notebooks:
        for cell in nb.grade_cells:
            items.append((nb.name, cell.name))
            maxima[(nb.name, cell.name)] = float(cell.max_score or 0)
    several = len({nb for nb, _ in items}) > 1
    header = ["学号", "姓名", "邮箱",
              *[f"{nb + '：' if several else ''}{item}（满分 {maxima[(nb, item)]:g}）"
                for nb, item in items], "合计"]
    rows = []
    for sub in sorted(assignment.submissions, key=lambda s: s.student.id):
        got = {(nb.name, g.name): g.score for nb in sub.notebooks for g in nb.grades}
        values = [round(float(got[k]), 2) if got.get(k) is not None else "" for k in items]
        rows.append([*people.get(sub.student.id, [sub.student.id, "", ""]), *values,
                     round(float(sub.score or 0), 2)])
    return Sheet(title, header, rows)
