"""Exam mode of a ``course paper``: the window in the paper, late submissions flagged, feedback held."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from course.grading.exam import (
    ExamSettings,
    exam_settings,
    feedback_allowed,
    parse_time,
    window_flag,
)
from course.grading.papers import PaperError, build_paper, load_spec

SPEC = """name: exam1
title: 结业考试
mode: exam
window: {open: "2026-12-10 09:00", close: "2026-12-10 09:30"}
items:
  - {ref: diag.rollover, points: 2}
  - {ref: diag.safety_a, points: 2, correct: safety}
"""


def test_times_are_read_as_trainers_write_them() -> None:
    assert parse_time("2026-12-10 09:00", "open") == datetime(2026, 12, 10, 9, 0)
    assert parse_time("2026-12-10", "open") == datetime(2026, 12, 10)
    with pytest.raises(ValueError, match="close 的时间“下午三点”看不懂"):
        parse_time("下午三点", "close")


def test_the_window_flags_early_late_and_missing_timestamps() -> None:
    s = ExamSettings(datetime(2026, 12, 10, 9), datetime(2026, 12, 10, 9, 30))
    assert window_flag(s, "2026-12-10 09:12:30.123456 UTC") is None
    assert "晚于考试截止时间" in window_flag(s, "2026-12-10 09:45:00")
    assert "早于考试开始时间" in window_flag(s, "2026-12-10 08:00:00")
    assert "没有时间记录" in window_flag(s, None)
    assert "无法识别" in window_flag(s, "昨天")
    assert window_flag(None, "2030-01-01 00:00") is None


def test_feedback_waits_for_the_end_of_the_exam() -> None:
    s = ExamSettings(None, datetime(2026, 12, 10, 9, 30))
    assert not feedback_allowed(s, datetime(2026, 12, 10, 9, 29))
    assert feedback_allowed(s, datetime(2026, 12, 10, 9, 31))
    assert not feedback_allowed(ExamSettings(None, None))  # the trainer releases it
    assert feedback_allowed(None)


def test_an_exam_paper_carries_its_window_and_says_so(tmp_path: Path) -> None:
    spec = tmp_path / "exam1.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    build_paper(load_spec(spec), tmp_path)
    settings = exam_settings(tmp_path, "exam1")
    assert settings == ExamSettings(datetime(2026, 12, 10, 9), datetime(2026, 12, 10, 9, 30))
    text = (tmp_path / "source" / "exam1" / "exam1.ipynb").read_text(encoding="utf-8")
    assert "这是考试" in text and "2026-12-10 09:30 截止" in text and "check(" not in text
    assert exam_settings(tmp_path, "nothing") is None


@pytest.mark.parametrize(("change", "message"), [
    (("mode: exam", "mode: quiz"), "mode 只能是"),
    (('close: "2026-12-10 09:30"', 'close: "2026-12-10 08:30"'), "close 要晚于 open"),
    (('open: "2026-12-10 09:00"', 'open: "十号上午"'), "看不懂"),
    (("mode: exam\n", ""), "window（考试时间）只用于 mode: exam"),
])
def test_bad_exam_settings_explain_themselves(tmp_path: Path, change: tuple[str, str],
                                             message: str) -> None:
    spec = tmp_path / "exam1.yaml"
    spec.write_text(SPEC.replace(*change), encoding="utf-8")
    with pytest.raises(PaperError, match=message):
        load_spec(spec)


@pytest.mark.nbgrader
@pytest.mark.filterwarnings("ignore::Warning")
def test_course_grade_flags_a_submission_after_the_exam_closed(tmp_path: Path) -> None:
    from course.grading.cohort import make_course_copy, submit, variant_answers
    from course.grading.gradebook import generate_assignment
    from course.grading.runner import grade

    root = make_course_copy(tmp_path / "c", [])
    spec = tmp_path / "exam1.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    build_paper(load_spec(spec), root)
    generate_assignment(root, "exam1")
    submit(root, "on_time", "exam1", variant_answers(root, "exam1", "on_time"),
           timestamp="2026-12-10 09:20:00")
    submit(root, "late", "exam1", variant_answers(root, "exam1", "late"),
           timestamp="2026-12-10 10:05:00")
    summary = grade(root, "exam1", progress=False)
    flagged = {f.student: f.reason for f in summary.flags}
    assert "on_time" not in flagged and "晚于考试截止时间" in flagged["late"]
