"""A small synthetic nbgrader course for tests and the benchmark.

It builds a course directory with one source assignment (autograded answer cells with
visible and hidden tests, plus a manually graded written answer) and a cohort of
submissions that mix full, partial, blank and broken answers. Nothing here depends on the
real chapters, so the grading machinery can be tested while those are being written.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "KINDS",
    "SYNTHETIC_ASSIGNMENT",
    "SYNTHETIC_NOTEBOOK",
    "answer_cells",
    "answers_for",
    "make_cohort",
    "make_course",
    "make_submission",
    "write_config",
]

SYNTHETIC_ASSIGNMENT = "synthetic_tiers"
SYNTHETIC_NOTEBOOK = "tier_practice"
KINDS = ("full", "partial", "blank", "broken")

# Tier 1 price 3.45 yuan/m³ up to 20 m³, tier 2 price 4.83 above: 25 m³ costs 20*3.45 + 5*4.83.
_BILL = 20 * 3.45 + 5 * 4.83
_TIER = 2

CONFIG_TEMPLATE = """\
import os
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "synthetic-course"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.db_url = {db_url!r} or (
    "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db"))
c.ExecutePreprocessor.timeout = {timeout}
c.ExecutePreprocessor.interrupt_on_timeout = True
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
c.IgnorePattern.pattern = r".*(DeprecationWarning|FutureWarning).*"
c.ClearSolutions.code_stub = {{"python": "None  # ← 把 None 换成你的答案"}}
c.ClearSolutions.text_stub = "在这里作答"
"""


def _cell(cell_type: str, source: str, **nbgrader: object) -> dict:
    cell: dict = {"cell_type": cell_type, "metadata": {}, "source": source}
    if cell_type == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
    if nbgrader:
        meta = {"schema_version": 3, "grade": False, "solution": False, "locked": False}
        meta.update(nbgrader)
        cell["metadata"]["nbgrader"] = meta
    return cell


def source_notebook(skills: bool = True) -> dict:
    """The synthetic source notebook (nbformat 4 dict) with solutions and hidden tests."""
    sk = (lambda *names: {"course": {"skills": list(names)}}) if skills else (lambda *n: {})
    cells = [
        _cell("markdown", "# 阶梯水价练习（合成作业）\n\n第一档 3.45 元/立方米（20 立方米以内），"
              "第二档 4.83 元/立方米。", grade_id="intro", locked=True),
        _cell("code", "PRICES = (3.45, 4.83)\nLIMIT = 20", grade_id="setup", locked=True),
        _cell("markdown", "## 第一部分（2分）\n某户本月用水 25 立方米，水费是多少元？",
              grade_id="q1_text", locked=True),
        _cell("code", "### BEGIN SOLUTION\nbill = 20 * 3.45 + 5 * 4.83\n### END SOLUTION",
              grade_id="q1_bill", solution=True),
        _cell("code", '"""检查水费是一个数。"""\nassert isinstance(bill, (int, float)), '
              '"bill 应该是一个数"\n### BEGIN HIDDEN TESTS\n'
              f"assert abs(bill - {_BILL!r}) < 0.01\n### END HIDDEN TESTS",
              grade_id="q1_bill_test", grade=True, points=2, locked=True),
        _cell("markdown", "## 第二部分（1分）\n这户落在第几档？", grade_id="q2_text", locked=True),
        _cell("code", "### BEGIN SOLUTION\ntier = 2\n### END SOLUTION",
              grade_id="q2_tier", solution=True),
        _cell("code", '"""检查档位。"""\n### BEGIN HIDDEN TESTS\n'
              f"assert tier == {_TIER}\n### END HIDDEN TESTS",
              grade_id="q2_tier_test", grade=True, points=1, locked=True),
        _cell("markdown", "## 第三部分（2分）\n用两三句话向居民解释阶梯水价。",
              grade_id="q3_text", locked=True),
        _cell("markdown", "### BEGIN SOLUTION\n阶梯水价保障基本用水，多用多付。\n"
              "### END SOLUTION", grade_id="q3_explain", grade=True, solution=True, points=2),
        _cell("markdown", "## 第四部分（1分）\n用水 25 立方米落在示例市的哪一档？"
              "（A 第一档 B 第二档 C 第三档）", grade_id="q4_text", locked=True),
        _cell("code", '### BEGIN SOLUTION\ntier_choice = "C"\n### END SOLUTION',
              grade_id="q4_choice", solution=True),
        _cell("code", '"""检查选择题。"""\nfrom course.grading import selfcheck\n'
              "### BEGIN HIDDEN TESTS\n"
              'assert selfcheck.check("demo.tier_of_25", tier_choice).correct\n'
              "### END HIDDEN TESTS", grade_id="q4_choice_test", grade=True, points=1,
              locked=True),
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:02d}"
    cells[4]["metadata"].update(sk("计费计算"))
    cells[7]["metadata"].update(sk("档位判断"))
    cells[9]["metadata"].update(sk("政策解释"))
    cells[12]["metadata"].update(sk("档位判断"))
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_config(root: Path, db_url: str = "", timeout: int = 30) -> Path:
    """Write an ``nbgrader_config.py`` for a course rooted at ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "nbgrader_config.py"
    path.write_text(CONFIG_TEMPLATE.format(db_url=db_url, timeout=timeout), encoding="utf-8")
    return path


def make_course(root: Path | str, db_url: str = "", timeout: int = 30,
                release: bool = True) -> Path:
    """Create the synthetic course in ``root`` and (by default) generate its release."""
    root = Path(root)
    write_config(root, db_url=db_url, timeout=timeout)
    src = root / "source" / SYNTHETIC_ASSIGNMENT
    src.mkdir(parents=True, exist_ok=True)
    (src / f"{SYNTHETIC_NOTEBOOK}.ipynb").write_text(
        json.dumps(source_notebook(), ensure_ascii=False, indent=1), encoding="utf-8")
    if release:
        from course.grading.gradebook import generate_assignment

        generate_assignment(root, SYNTHETIC_ASSIGNMENT)
    return root


def answer_cells(nb: dict) -> dict[str, dict]:
    """Map grade_id → cell for the cells of ``nb`` that carry nbgrader metadata."""
    out = {}
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid:
            out[gid] = cell
    return out


_ANSWERS = {
    "full": {"q1_bill": "bill = 20 * 3.45 + 5 * 4.83", "q2_tier": "tier = 2",
             "q3_explain": "阶梯水价让基本用水价格低，多用的部分多付。", "q4_choice": 'tier_choice = "C"'},
    "partial": {"q1_bill": "bill = 25 * 3.45", "q2_tier": "tier = 2",
                "q4_choice": 'tier_choice = "B"'},
    "blank": {},
    "broken": {"q1_bill": "bill = (20 * 3.45", "q2_tier": "tier = undefined_name + 1",
               "q4_choice": 'tier_choice = "C'},
}


def make_submission(root: Path | str, student: str, kind: str = "full",
                    assignment: str | None = None, timestamp: str | None = None,
                    answers: dict[str, str] | None = None) -> Path:
    """Write ``submitted/<student>/<assignment>/`` from each released notebook.

    ``kind`` is one of :data:`KINDS`; ``answers`` (grade_id → new cell source) overrides it.
    Released notebooks of assignments other than the synthetic one are copied untouched for
    ``blank`` and get every answer cell replaced by their source solution for ``full``.
    """
    root = Path(root)
    assignment = assignment or SYNTHETIC_ASSIGNMENT
    rel = root / "release" / assignment
    dest = root / "submitted" / student / assignment
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for path in sorted(rel.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        if assignment == SYNTHETIC_ASSIGNMENT:
            chosen = dict(_ANSWERS[kind])
        else:
            chosen = answers_for(root, assignment, path.name, nb, kind)
        chosen.update(answers or {})
        cells = answer_cells(nb)
        for gid, text in chosen.items():
            if gid in cells:
                cells[gid]["source"] = text
        (dest / path.name).write_text(json.dumps(nb, ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    for extra in rel.rglob("*"):
        if extra.is_file() and extra.suffix != ".ipynb":
            target = dest / extra.relative_to(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(extra, target)
    (dest / "timestamp.txt").write_text(timestamp or "2026-01-05 10:00:00.000000 UTC")
    return dest


def answers_for(root: Path, assignment: str, name: str, released: dict,
                kind: str) -> dict[str, str]:
    """grade_id → answer source for a released notebook of a real assignment.

    ``full``: every source solution; ``partial``: every other one; ``blank``: none;
    ``broken``: code answers that raise.
    """
    if kind == "blank":
        return {}
    src = root / "source" / assignment / name
    if not src.exists():
        return {}
    source_cells = answer_cells(json.loads(src.read_text(encoding="utf-8")))
    released_cells = answer_cells(released)
    out: dict[str, str] = {}
    solution_ids = [gid for gid, c in released_cells.items()
                    if c["metadata"]["nbgrader"].get("solution")]
    for i, gid in enumerate(solution_ids):
        if gid not in source_cells:
            continue
        text = "".join(source_cells[gid]["source"])
        text = text.replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION", "")
        if kind == "full" or (kind == "partial" and i % 2 == 0):
            out[gid] = text
        elif kind == "broken" and released_cells[gid]["cell_type"] == "code":
            out[gid] = "raise RuntimeError('作答出错')"
    return out


def make_cohort(root: Path | str, n: int, assignments: Iterable[str] | None = None,
                prefix: str = "learner") -> list[tuple[str, str, str]]:
    """Create ``n`` learners' submissions for each assignment; return (student, assignment, kind)."""
    root = Path(root)
    assignments = list(assignments or [SYNTHETIC_ASSIGNMENT])
    made = []
    for i in range(n):
        student = f"{prefix}{i:03d}"
        kind = KINDS[i % len(KINDS)]
        for assignment in assignments:
            make_submission(root, student, kind, assignment=assignment)
            made.append((student, assignment, kind))
    return made


def clone_course(src: Path | str, dest: Path | str) -> Path:
    """Copy a course directory (config, source, release, submitted, gradebook) to ``dest``."""
    src, dest = Path(src), Path(dest)
    shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns("autograded",
                                                                            "feedback"))
    db = dest / "gradebook.db"
    if db.exists():
        os.chmod(db, 0o644)
    return dest
