"""The chapter 3 assignment's tests can fail: wrong answers are rejected, the solutions pass.

Runs the test cells (visible and hidden parts) of source/ch3_malicious_complaints in-process with
chosen answers, without nbgrader, so every graded cell is shown to tell right from wrong.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from course import roleplay as rp
from course.grading.checks import AnswerError

SOURCE = (Path(__file__).resolve().parents[1] / "source" / "ch3_malicious_complaints"
          / "ch3_malicious_complaints.ipynb")
NB = nbformat.read(SOURCE, as_version=4)
CELLS = {c.metadata["nbgrader"]["grade_id"]: c for c in NB.cells
         if "nbgrader" in c.metadata}


def _solution(grade_id: str) -> dict:
    """The namespace after running the setup cell and the solution cell of ``grade_id``."""
    ns: dict = {}
    exec(CELLS["setup"].source, ns)
    exec(CELLS[f"{grade_id}_answer"].source, ns)
    return ns


def _grade(grade_id: str, var: str, value) -> None:
    ns: dict = {}
    exec(CELLS["setup"].source, ns)
    ns[var] = value
    exec(CELLS[grade_id].source, ns)


GRADED = [gid for gid, c in CELLS.items() if c.metadata["nbgrader"].get("grade")
          and c.cell_type == "code"]
VARS = {gid: CELLS[f"{gid}_answer"].source.split(" =", 1)[0] for gid in GRADED
        if f"{gid}_answer" in CELLS}
VARS.update({"q5_replies_no_forbidden": "replies_q11", "q5_replies_resolved": "replies_q11"})


@pytest.mark.parametrize("grade_id", GRADED)
def test_every_graded_cell_accepts_its_solution(grade_id):
    var = VARS[grade_id]
    answer_cell = f"{grade_id}_answer" if f"{grade_id}_answer" in CELLS else "q5_replies_answer"
    _grade(grade_id, var, _solution(answer_cell.removesuffix("_answer"))[var])


@pytest.mark.parametrize("grade_id", GRADED)
def test_every_graded_cell_rejects_a_blank_answer(grade_id):
    with pytest.raises(AnswerError):
        _grade(grade_id, VARS[grade_id], None)


@pytest.mark.parametrize(("grade_id", "wrong"), [
    ("q1_match_rude", "A"), ("q1_match_car_wash", "D"), ("q1_match_cannot_afford", "C"),
    ("q1_match_refuse_to_pay", "B"), ("q2_pressure_boundary", {"A", "C"}),
    ("q2_persistence", "A"), ("q3_level_prevent", 2), ("q3_level_five", 4),
    ("q3_level_anger", 3), ("q4_safety_order", ["A", "B", "C", "D", "E", "F"]),
])
def test_wrong_answers_are_rejected(grade_id, wrong):
    with pytest.raises(AnswerError):
        _grade(grade_id, VARS[grade_id], wrong)


def test_level_key_follows_the_engine_thresholds():
    ns = _solution("q3_level_anger")
    assert ns["level_q9"] == next(lv for a, lv in reversed(rp.level_thresholds()) if a <= 72)


FORBIDDEN_REPLIES = ["公司的规定就是这样的，你爱交不交。", "这不是我们的事，您去问别人吧。"]
EMPTY_REPLIES = ["感谢您的意见，谢谢您的耐心。"] * 4


@pytest.mark.parametrize("grade_id", ["q5_replies_no_forbidden", "q5_replies_resolved"])
@pytest.mark.parametrize("replies", [FORBIDDEN_REPLIES, EMPTY_REPLIES])
def test_replies_that_do_not_resolve_score_nothing(grade_id, replies):
    with pytest.raises(AnswerError):
        _grade(grade_id, "replies_q11", replies)


def test_solution_replies_resolve_within_four_turns_without_forbidden_phrases():
    replies = _solution("q5_replies")["replies_q11"]
    session = rp.play("refuse_to_pay", replies)
    assert session.state.outcome == "resolved" and session.state.turn <= 4
    assert not any("forbidden" in m.signals for m in session.moves)


@pytest.mark.parametrize("bad", ["一段回复", ["太短"], ["好"] * 5, [1, 2]])
def test_reply_list_format_is_checked_with_a_teaching_message(bad):
    with pytest.raises(AnswerError, match="replies_q11"):
        _grade("q5_replies_resolved", "replies_q11", bad)
