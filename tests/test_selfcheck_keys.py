"""Self-check answer keys agree with the engines and with the assignments' solutions."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from course import tariff
from course._data import load_yaml
from course.grading.selfcheck import check

REPO = Path(__file__).resolve().parents[1]


def _wrong(value):
    if isinstance(value, int | float):
        return value + 7
    if isinstance(value, str):
        return "Z"
    if isinstance(value, set):
        return set()
    return list(reversed(value))


def _source_answers(assignment: str) -> dict[str, object]:
    """grade_id of each autograded test cell -> the solution of the answer cell it checks."""
    path = next((REPO / "source" / assignment).glob("*.ipynb"))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    values, out = {}, {}
    for cell in cells:
        meta = cell["metadata"].get("nbgrader", {})
        text = "".join(cell["source"])
        if meta.get("solution") and cell["cell_type"] == "code":
            var = text.split("=")[0].strip()
            literal = re.search(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", text, re.S)
            values[var] = ast.literal_eval(literal.group(1).strip())
        if meta.get("grade") and cell["cell_type"] == "code":
            var = re.search(r'"""检查 (\w+)', text).group(1)
            out[meta["grade_id"]] = values[var]
    return out


CH1 = _source_answers("ch1_tiered_pricing")


@pytest.mark.parametrize("grade_id", sorted(CH1))
def test_ch1_assignment_self_checks_accept_the_solution_and_reject_a_wrong_answer(grade_id):
    assert check(f"ch1.{grade_id}", CH1[grade_id]).correct
    result = check(f"ch1.{grade_id}", _wrong(CH1[grade_id]))
    assert not result.correct and result.hint


def test_every_ch1_self_check_has_a_graded_question():
    assert set(load_yaml("selfcheck/ch1.yaml")) == set(CH1)


def _lesson_keys() -> dict[str, float]:
    shili, beijing = tariff.load("shili"), tariff.load("beijing")
    used = tariff.usage_from_readings(9990, 12, meter_digits=4)
    top = shili.bill(22).total
    return {
        "self1": shili.bill(25).total,
        "self3_bill": shili.bill(25, household_size=6).total,
        "self3_diff": shili.bill(25).total - shili.bill(25, household_size=6).total,
        "self4": used,
        "calc1": beijing.bill(260).total,
        "calc2": 22 + (100 - top) / shili.unit_prices()[2],
        "calc3": shili.bill(used).total,
    }


@pytest.mark.parametrize(("question", "answer"), sorted(_lesson_keys().items()))
def test_lesson_1_numeric_self_checks_match_the_engine(question, answer):
    assert check(f"ch1_lesson.{question}", round(answer, 2)).correct
    assert not check(f"ch1_lesson.{question}", answer + 1).correct


def test_unanswered_self_check_says_so_without_failing():
    result = check("ch1_lesson.self1", None)
    assert not result.correct and "还没有作答" in result.message


def test_self_check_files_do_not_contain_the_answers():
    text = (REPO / "course/data/selfcheck/ch1.yaml").read_text(encoding="utf-8")
    for value in CH1.values():
        if isinstance(value, float):
            assert f"{value:.2f}" not in text
