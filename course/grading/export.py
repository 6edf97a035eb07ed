"""``course export``: grades as CSV for a learning-management system.

``grades.csv`` is nbgrader's own export (one row per learner and assignment, the format the
nbgrader docs describe). ``grades_lms.csv`` is the wide table most LMS imports expect: one row
per learner, one column per assignment, and the total, with Chinese headers, UTF-8 with BOM
so Excel opens it correctly.
"""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = ["export_grades"]


def export_grades(root: Path | str, out: Path | str | None = None) -> tuple[Path, Path]:
    """Write ``grades.csv`` (nbgrader's format) and ``grades_lms.csv``; return both paths."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    from course.grading.gradebook import load_config

    root = Path(root).resolve()
    out = Path(out) if out else root / "reports"
    out.mkdir(parents=True, exist_ok=True)
    url = str(load_config(root).CourseDirectory.db_url)
    long_path, wide_path = out / "grades.csv", out / "grades_lms.csv"
    with Gradebook(url) as gb:
        CsvExportPlugin(to=str(long_path)).export(gb)
        names = [a.name for a in gb.assignments]
        rows = []
        for student in sorted(gb.students, key=lambda s: s.id):
            scores = []
            for a in names:
                try:
                    scores.append(round(gb.find_submission(a, student.id).score, 2))
                except Exception:
                    scores.append("")
            total = sum(s for s in scores if s != "")
            full_name = f"{student.last_name or ''}{student.first_name or ''}"
            rows.append([student.id, full_name, student.email or "", *scores, round(total, 2)])
        maxes = [gb.find_assignment(a).max_score for a in names]
    with open(wide_path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["学号", "姓名", "邮箱", *[f"{a}（满分 {m:g}）" for a, m in zip(names, maxes,
                                                                          strict=True)], "总分"])
        w.writerows(rows)
    return long_path, wide_path
