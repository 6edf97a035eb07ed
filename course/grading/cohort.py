"""Submissions of the course's real assignments, written as a learner would, for tests and benchmarks.

:func:`make_course_copy` builds a course directory from this repository's ``source/`` (with its
own SQLite gradebook); :func:`submit` writes a learner's notebook from the released version,
with answer cells replaced by the given sources and extra cells inserted where a learner might
add them. :func:`solution_answers` reads the model answers out of the source notebook;
:func:`variant_answers` turns them into one learner's literal answers (their own variants).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

__all__ = ["CONFIG", "answer_cells", "make_course_copy", "solution_answers", "submit",
           "variant_answers"]

CONFIG = """\
import os
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "water-service-course"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")
c.ExecutePreprocessor.timeout = 60
c.ExecutePreprocessor.interrupt_on_timeout = True
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
c.IgnorePattern.pattern = r".*(Matplotlib is building the font cache|DeprecationWarning|FutureWarning).*"
c.ClearSolutions.code_stub = {"python": "None  # ← 把 None 换成你的答案"}
c.ClearSolutions.text_stub = "在这里作答"
"""

_SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)


def make_course_copy(root: Path | str, assignments: list[str]) -> Path:
    """A course directory at ``root`` with the repository's ``assignments``, generated."""
    from course.grading.gradebook import generate_assignment
    from course.grading.release import course_root

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    for name in assignments:
        shutil.copytree(course_root() / "source" / name, root / "source" / name,
                        dirs_exist_ok=True)
        generate_assignment(root, name)
    return root


def _notebook(root: Path, folder: str, assignment: str) -> tuple[Path, dict[str, Any]]:
    (path,) = sorted((root / folder / assignment).glob("*.ipynb"))
    return path, json.loads(path.read_text(encoding="utf-8"))


def _gid(cell: dict[str, Any]) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answer_cells(root: Path, assignment: str) -> list[str]:
    """grade_ids of the code answer cells of an assignment, in notebook order."""
    _, nb = _notebook(root, "release", assignment)
    return [_gid(c) for c in nb["cells"] if c["cell_type"] == "code"
            and c["metadata"].get("nbgrader", {}).get("solution")]


def solution_answers(root: Path, assignment: str) -> dict[str, str]:
    """The model answer of every code answer cell (grade_id → source without the markers)."""
    _, nb = _notebook(root, "source", assignment)
    return {_gid(c): _SOLUTION.sub("", "".join(c["source"])) for c in nb["cells"]
            if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("solution")}


def variant_answers(root: Path, assignment: str, student: str) -> dict[str, str]:
    """The model answers as the literal values ``student`` would type for their own variants.

    Solutions that draw on the item bank (``answer(...)``, ``letter(...)``…) are evaluated for
    ``student``; the others (computed from the local profile) likewise, then written as literals.
    """
    from course import itembank, local

    names = {"local": local,
             "answer": lambda ref, attempt=0: itembank.answer(ref, student, attempt),
             "letter": lambda ref, right: itembank.letter(ref, right, student),
             "letters": lambda ref, right: itembank.letters(ref, right, student),
             "sequence": lambda ref, order: itembank.sequence(ref, order, student),
             "best": lambda ref, attempt=0: itembank.best(ref, student, attempt),
             "model_reply": lambda ref, attempt=0: itembank.model_reply(ref, student, attempt)}
    out = {}
    for gid, source in solution_answers(root, assignment).items():
        var, _, expr = source.partition("=")
        expr = expr.strip()
        if expr.startswith("(") and expr.endswith(")"):
            expr = expr[1:-1].strip()
        try:
            value = eval(expr, names)  # the instructor's own solution, not learner code
        except Exception:  # a free-text or code answer: keep the model source as it is
            out[gid] = source
            continue
        if isinstance(value, float):
            value = round(value, 2)
        elif isinstance(value, set):
            value = sorted(value)
            out[gid] = f"{var.strip()} = {{{', '.join(repr(v) for v in value)}}}"
            continue
        out[gid] = f"{var.strip()} = {value!r}"
    return out


def submit(root: Path, student: str, assignment: str, answers: dict[str, str] | None = None,
           extra: dict[str, str] | None = None, timestamp: str = "2026-01-05 10:00:00") -> Path:
    """Write ``submitted/<student>/<assignment>/`` from the release.

    ``answers`` replaces answer cells' sources (by grade_id); ``extra`` inserts a plain code
    cell *after* the cell with that grade_id (a learner's own cell).
    """
    path, nb = _notebook(root, "release", assignment)
    cells = []
    for cell in nb["cells"]:
        gid = _gid(cell)
        if answers and gid in answers:
            cell = {**cell, "source": answers[gid]}
        cells.append(cell)
        if extra and gid in extra:
            cells.append({"cell_type": "code", "execution_count": None, "metadata": {},
                          "outputs": [], "source": extra[gid],
                          "id": f"learner-{len(cells):03d}"})
    nb["cells"] = cells
    dest = root / "submitted" / student / assignment
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / path.name
    target.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    (dest / "timestamp.txt").write_text(timestamp, encoding="utf-8")
    return target
