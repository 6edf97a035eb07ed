"""SortingExercise widget (without a browser): a thin view over course.exercises."""

from __future__ import annotations

import pytest

from course import exercises
from course.exercises import ExerciseError
from course.widgets.sorting import SortingExercise

EX = "chk_true_purpose"


@pytest.fixture(autouse=True)
def drafts(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DRAFTS_DIR", str(tmp_path))
    return tmp_path


def _other(item) -> str:
    return next(c for c in exercises.load(EX).categories if c != item.answer)


def test_checking_shows_each_verdict_with_its_explanation_and_the_score():
    s = SortingExercise(EX)
    first, second = s.exercise.items[:2]
    s._pickers[0].value = first.answer  # as the drop-down would
    s.select(2, _other(second))
    result = s.check()
    assert result == exercises.check(EX, {1: first.answer, 2: _other(second)})
    assert 'data-status="right"' in s._feedback[0].value and first.why in s._feedback[0].value
    assert 'data-status="wrong"' in s._feedback[1].value and second.why in s._feedback[1].value
    assert 'data-status="blank"' in s._feedback[2].value
    assert s.exercise.items[2].why not in s._feedback[2].value  # not given away unanswered
    assert f'data-right="1" data-total="{len(s.exercise.items)}"' in s._score.value
    assert result.summary in s._score.value


def test_choices_come_back_when_the_cell_runs_again(drafts):
    s = SortingExercise(EX)
    answers = {i.number: i.answer for i in s.exercise.items}
    for n, cat in answers.items():
        s.select(n, cat)
    s.check()
    again = SortingExercise(EX)
    assert again.choices == answers
    assert again.result is not None and again.result.right == len(answers)
    assert "全部正确" in again._score.value
    assert list(drafts.glob("*.json"))


def test_a_changed_choice_clears_its_old_verdict_until_checked_again():
    s = SortingExercise(EX)
    item = s.exercise.items[0]
    s.select(1, item.answer)
    s.check()
    s.select(1, _other(item))
    assert s._feedback[0].value == "" and "点“检查”" in s._score.value
    assert SortingExercise(EX).result is None  # a changed, unchecked draft is not shown as checked
    assert s.check().items[0].status == "wrong"


def test_choosing_something_that_is_not_a_category_says_what_is_allowed():
    s = SortingExercise(EX)
    s.select(1, " 期望值过高 ")  # spaces do not matter
    assert s.choices == {1: "期望值过高"}
    with pytest.raises(ExerciseError, match="只能选"):
        s.select(1, "别的")
    with pytest.raises(ExerciseError, match="不存在"):
        s.select(99, "期望值过高")
    with pytest.raises(ExerciseError):
        SortingExercise("chk_no_such")
