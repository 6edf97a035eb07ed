"""Self-checks say right or wrong with a hint, and never store the answer readably."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from course import tariff
from course._data import data_dir
from course.grading import selfcheck
from course.grading.selfcheck import SelfCheckError, check, make_entry

BILL_18 = tariff.load("shili").bill(18, household_size=3).total


def test_right_number_is_accepted_with_the_right_message() -> None:
    result = check("demo.bill_18", BILL_18)
    assert result.correct and bool(result)
    assert "正确" in str(result) and "course-selfcheck" in result._repr_html_()


def test_number_within_tolerance_is_accepted_and_far_off_is_not() -> None:
    assert check("demo.bill_18", BILL_18 + 0.04).correct
    wrong = check("demo.bill_18", BILL_18 + 1)
    assert not wrong.correct and wrong.hint and "提示" in str(wrong)


def test_choice_ignores_case_spaces_and_full_width_letters() -> None:
    assert check("demo.tier_of_25", " c ").correct
    assert check("demo.tier_of_25", "Ｃ").correct
    assert not check("demo.tier_of_25", "B").correct


def test_unanswered_question_gets_a_nudge_not_an_error() -> None:
    result = check("demo.bill_18", None)
    assert not result.correct and "None" in result.message


def test_answers_are_not_readable_from_the_data_file() -> None:
    text = (data_dir() / "selfcheck" / "demo.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert f"{BILL_18:g}" not in text and str(BILL_18) not in text
    assert all(set(entry) >= {"salt", "hash"} and "answer" not in entry for entry in data.values())


@pytest.mark.parametrize("bad", ["demo", "nosuchset.q1", "demo.no_such_question", 42])
def test_unknown_question_is_a_chinese_error(bad: object) -> None:
    with pytest.raises(SelfCheckError, match=r"练习集|题号|题目"):
        check(bad, 1)  # type: ignore[arg-type]


def test_non_number_answer_to_a_number_question_explains_itself() -> None:
    result = check("demo.bill_18", "六十四")
    assert not result.correct and "数字" in result.message


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.text(min_size=1, max_size=8))
def test_authored_number_is_always_recognised(value: float, salt: str) -> None:
    entry = make_entry(value, kind="number", tol=0.01, salt=salt)
    forms = selfcheck.canonical(value, "number", 0.01)
    assert selfcheck._hash(entry["salt"], forms[0]) == entry["hash"]


def test_add_question_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selfcheck, "_path", lambda name: tmp_path / f"{name}.yaml")
    path = selfcheck.add_question("tmpset", "q", ["A", "C"], kind="choices", hint="两项")
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))["q"]
    assert any(selfcheck._hash(entry["salt"], f) == entry["hash"]
               for f in selfcheck.canonical("c, a", "choices"))


def test_alternative_forms_of_an_answer_are_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from course.grading.selfcheck import make_entry

    entry = make_entry("补救", kind="choice", also=("补救心理", "补救型"))
    import course.grading.selfcheck as sc

    monkeypatch.setattr(sc, "_entry", lambda _qid: entry)
    assert sc.check("x.y", "补救").correct
    assert sc.check("x.y", " 补救心理 ").correct
    assert sc.check("x.y", "补救型").correct
    assert not sc.check("x.y", "发泄").correct
