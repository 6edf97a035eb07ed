"""Self-paced learning on one machine: submit in the Assignments panel, get a score without a trainer.

:class:`SelfGradingSubmit` is nbgrader's own submit, plus one step: after the submission is in
the (local) exchange it starts ``course selfgrade`` in the background, which collects it
(without following links), grades it with the same sandboxed ``course grade`` a trainer uses,
and releases the Chinese feedback page (no hidden-test source), so the learner fetches score and
feedback from the same panel a minute later. Manually graded parts show as awaiting the trainer;
a trainer on the same machine grades them in formgrader as usual.

Configure (``nbgrader_config.py`` of a course on one machine; the workshop hub does not use it)::

    c.ExchangeFactory.submit = "course.grading.selfpaced.SelfGradingSubmit"
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from nbgrader.exchange.default.submit import ExchangeSubmit

__all__ = ["SelfGradeResult", "SelfGradingSubmit", "selfgrade", "start_selfgrade", "status_path"]


def status_path(root: Path, assignment: str, student: str) -> Path:
    """Where the outcome of the last self-grading of a submission is recorded (JSON)."""
    return Path(root) / ".course" / "selfgrade" / f"{student}+{assignment}.json"


@dataclass(frozen=True)
class SelfGradeResult:
    """What ``course selfgrade`` did for one submission."""

    assignment: str
    student: str
    score: float
    max_score: float
    pending: float
    flags: tuple[str, ...]
    held: bool = False  # an exam: scored, feedback released only after the window closes

    def __str__(self) -> str:
        if self.held:
            return (f"{self.student} 的考试 {self.assignment} 已收到并评分；这是考试，"
                    "成绩和反馈在考试结束后公布。")
        text = (f"{self.student} 的作业 {self.assignment} 已自动评分：{self.score:g} / "
                f"{self.max_score:g} 分")
        if self.pending:
            text += f"（其中 {self.pending:g} 分的题目待讲师评分）"
        text += "。在菜单“作业与评分 → 作业列表”里点“取回得分和反馈”查看反馈。"
        if self.flags:
            text += "\n需要注意：" + "；".join(self.flags)
        return text


def selfgrade(root: Path | str, assignment: str, student: str) -> SelfGradeResult:
    """Collect, grade and release feedback for one learner's submission of ``assignment``."""
    from nbgrader.api import Gradebook

    from course.grading.feedback import generate_feedback
    from course.grading.gradebook import GradingError, course_api, load_config
    from course.grading.runner import grade

    root = Path(root).resolve()
    cwd = os.getcwd()
    try:
        collected = course_api(root, **{"ExchangeCollect.update": True}).collect(assignment)
    finally:
        os.chdir(cwd)
    if not collected.get("success"):
        raise GradingError(f"没能从交换目录收取作业 {assignment}：请运行 course doctor 检查交换目录。")
    summary = grade(root, assignment, students=[student], progress=False)
    from course.grading.exam import exam_settings, feedback_allowed

    held = not feedback_allowed(exam_settings(root, assignment))
    if not held:  # an exam's feedback waits until its window has closed
        generate_feedback(root, assignment, student, release=True)
    url = str(load_config(root).CourseDirectory.db_url)
    with Gradebook(url) as gb:
        sub = gb.find_submission(assignment, student)
        pending = sum(g.max_score or 0 for nb in sub.notebooks for g in nb.grades
                      if g.needs_manual_grade)
        result = SelfGradeResult(assignment, student, float(sub.score), float(sub.max_score),
                                 float(pending), tuple(f.reason for f in summary.flags), held)
    path = status_path(root, assignment, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"assignment": assignment, "student": student,
                                "score": result.score, "max_score": result.max_score,
                                "pending": result.pending, "flags": list(result.flags),
                                "held": result.held,
                                "finished": time.time()}, ensure_ascii=False), encoding="utf-8")
    return result


def start_selfgrade(root: Path | str, assignment: str, student: str) -> subprocess.Popen:
    """Run ``course selfgrade`` for this submission in the background (log in ``.course/logs``)."""
    root = Path(root).resolve()
    logs = root / ".course" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = open(logs / f"selfgrade-{student}-{assignment}.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "course.cli", "--root", str(root), "selfgrade", assignment,
         "--student", student], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        cwd=str(root), start_new_session=True)


class SelfGradingSubmit(ExchangeSubmit):
    """nbgrader's submit; then the submission is graded and its feedback released."""

    def copy_files(self) -> None:
        super().copy_files()
        from nbgrader.utils import get_username

        student = self.coursedir.student_id if self.coursedir.student_id != "*" else None
        start_selfgrade(self.coursedir.root, self.coursedir.assignment_id,
                        student or get_username())
        self.log.info("已提交，系统正在自动评分：大约一分钟后在“作业列表”里点“取回得分和反馈”查看得分和反馈。")
