"""Exam mode of an assignment built with ``course paper`` (``mode: exam`` in its spec).

The paper's notebook metadata ``course.exam`` holds the exam window (``open``/``close``, local
time ``YYYY-MM-DD HH:MM``; either may be absent). In exam mode:

- the paper has no self-checks, and its visible checks test the format only;
- ``course grade`` flags a submission whose nbgrader timestamp is outside the window;
- self-paced grading (:mod:`course.grading.selfpaced`) scores the submission but releases no
  feedback before the window closes (the learner sees “考试结束后公布”).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = ["ExamSettings", "exam_settings", "feedback_allowed", "parse_time", "window_flag"]

_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d")


@dataclass(frozen=True)
class ExamSettings:
    """An exam's window (either end may be open)."""

    open: datetime | None
    close: datetime | None

    def describe(self) -> str:
        ends = [f"{self.open:%Y-%m-%d %H:%M} 开始" if self.open else "",
                f"{self.close:%Y-%m-%d %H:%M} 截止" if self.close else ""]
        return "，".join(e for e in ends if e) or "不限时间"


def parse_time(text: object, field: str) -> datetime:
    """A time as trainers write it (``2026-12-10 09:00``); a Chinese error names the field."""
    value = str(text).strip()
    for fmt in _FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ValueError(f"{field} 的时间“{value}”看不懂：请写成 2026-12-10 09:00 这样（年-月-日 时:分）。")


def exam_settings(root: Path | str, assignment: str) -> ExamSettings | None:
    """The exam settings of ``source/<assignment>/``, or ``None`` when it is not an exam."""
    for path in sorted((Path(root) / "source" / assignment).glob("*.ipynb")):
        try:
            meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        except (OSError, ValueError):
            continue
        exam = meta.get("course", {}).get("exam")
        if isinstance(exam, dict):
            return ExamSettings(parse_time(exam["open"], "open") if exam.get("open") else None,
                                parse_time(exam["close"], "close") if exam.get("close") else None)
    return None


def window_flag(settings: ExamSettings | None, timestamp: str | None) -> str | None:
    """A Chinese flag when a submission's timestamp is outside the exam window."""
    if settings is None or (settings.open is None and settings.close is None):
        return None
    if not timestamp:
        return "考试作业的提交没有时间记录（timestamp.txt），无法确认是否在考试时间内。"
    try:
        when = parse_time(timestamp.split("+")[0].split(" UTC")[0], "timestamp")
    except ValueError:
        return f"考试作业的提交时间“{timestamp.strip()}”无法识别，请核实。"
    if settings.open and when < settings.open:
        return f"提交时间 {when:%Y-%m-%d %H:%M} 早于考试开始时间（{settings.describe()}），请核实。"
    if settings.close and when > settings.close:
        return f"提交时间 {when:%Y-%m-%d %H:%M} 晚于考试截止时间（{settings.describe()}）。"
    return None


def feedback_allowed(settings: ExamSettings | None, now: datetime | None = None) -> bool:
    """Whether feedback may be released now (always, unless an exam window is still open)."""
    if settings is None or settings.close is None:
        return settings is None
    return (now or datetime.now()) >= settings.close
