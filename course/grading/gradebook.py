"""Thin access to nbgrader for a course directory: config, API, gradebook, scores.

Everything goes through nbgrader's own Python API so the formgrader and every ``nbgrader``
command keep working on the same course directory and gradebook.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = [
    "GradingError",
    "course_api",
    "db_url",
    "ensure_tools_on_path",
    "generate_assignment",
    "load_config",
    "scores",
    "submission_scores",
]


class GradingError(ValueError):
    """Bad input to the grading tools (Chinese message naming the field and what is allowed)."""


def ensure_tools_on_path() -> None:
    """Put this interpreter's scripts directory on PATH.

    nbgrader shells out to ``alembic`` when it creates a new gradebook; inside a virtualenv
    that is not activated (``.venv/bin/course``) the script is otherwise not found.
    """
    import sys

    bindir = os.path.dirname(sys.executable)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def load_config(root: Path | str, **overrides: Any) -> Any:
    """Load ``<root>/nbgrader_config.py`` into a traitlets ``Config``.

    ``overrides`` are ``"Section.trait"`` → value pairs applied on top.
    """
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    ensure_tools_on_path()
    root = Path(root).resolve()
    path = root / "nbgrader_config.py"
    if not path.is_file():
        raise GradingError(f"课程目录 {root} 中没有 nbgrader_config.py：请在课程根目录运行，或用 --root 指定。")
    cfg = PyFileConfigLoader(path.name, path=str(root)).load_config()
    cfg.CourseDirectory.root = str(root)
    for key, value in overrides.items():
        section, trait = key.split(".", 1)
        setattr(cfg[section], trait, value)
    return cfg if isinstance(cfg, Config) else Config(cfg)


def course_api(root: Path | str, **overrides: Any) -> Any:
    """An ``NbGraderAPI`` bound to the course directory at ``root``."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = load_config(root, **overrides)
    coursedir = CourseDirectory(config=cfg)
    return NbGraderAPI(coursedir=coursedir, config=cfg)


def db_url(root: Path | str) -> str:
    """The gradebook URL configured for the course at ``root``."""
    return str(load_config(root).CourseDirectory.db_url)


def generate_assignment(root: Path | str, assignment: str) -> dict:
    """Run nbgrader's generate_assignment (creates the assignment in the gradebook)."""
    api = course_api(root)
    cwd = os.getcwd()
    try:
        result = api.generate_assignment(assignment, force=True, create=True)
    finally:
        os.chdir(cwd)
    if not result.get("success"):
        raise GradingError(f"生成作业 {assignment} 失败：\n{result.get('log', '')}"
                           f"\n{result.get('error', '')}")
    return result


def scores(url: str, assignment: str | None = None) -> dict[tuple[str, str, str, str], Any]:
    """All autograded scores: (student, assignment, notebook, grade_id) → auto_score."""
    from nbgrader.api import Gradebook

    out: dict[tuple[str, str, str, str], Any] = {}
    with Gradebook(url) as gb:
        for a in gb.assignments:
            if assignment and a.name != assignment:
                continue
            for sub in a.submissions:
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        out[(sub.student.id, a.name, nb.name, grade.name)] = (
                            grade.auto_score, grade.needs_manual_grade)
    return out


def submission_scores(url: str, assignment: str, student: str) -> dict[str, Any]:
    """grade_id → auto_score for one learner's submission (empty if none)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(url) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return {}
        return {g.name: g.auto_score for nb in sub.notebooks for g in nb.grades}
