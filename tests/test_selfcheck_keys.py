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
            expr = literal.group(1).strip()
            try:
                values[var] = ast.literal_eval(expr)
            except ValueError:  # computed: from the local profile or the learner's variant
                from course import itembank, local

                names = {n: getattr(itembank, n) for n in ("answer", "letter", "letters", "sequence")}
                values[var] = eval(expr, {"local": local, **names})  # the instructor's own solution
        if meta.get("grade") and cell["cell_type"] == "code":
            var = re.search(r'"""检查 (\w+)', text).group(1)
            out[meta["grade_id"]] = values[var]
    return out


CH1 = _source_answers("ch1_tiered_pricing")


def _practice_keys() -> dict[str, object]:
    shili = tariff.load("shili")
    return {"practice_bill": shili.bill(17).total,
            "practice_large_household": shili.bill(25, household_size=5).total,
            "practice_unit": "B",
            "practice_next_price": shili.marginal_price(16, household_size=4)}


@pytest.mark.parametrize(("question", "answer"), sorted(_practice_keys().items()))
def test_ch1_practice_self_checks_accept_the_answer_and_reject_a_wrong_one(question, answer):
    assert check(f"ch1.{question}", answer).correct
    result = check(f"ch1.{question}", _wrong(answer))
    assert not result.correct and result.hint


def test_no_graded_item_is_its_own_oracle():
    """Every ch1 self-check is a practice item (none shares a graded question's grade_id) and
    no assignment calls check() on a graded answer variable."""
    keys = set(load_yaml("selfcheck/ch1.yaml"))
    assert keys == set(_practice_keys())
    assert not keys & set(CH1)
    for path in (REPO / "source").glob("*/*.ipynb"):
        text = path.read_text(encoding="utf-8")
        graded = set(re.findall(r'"""检查 (\w+)', text))
        for var in graded:
            assert not re.search(rf'check\\?\(\\?"[\w.]+\\?", {var}\)', text), (path.name, var)


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
    for value in [*CH1.values(), *_practice_keys().values()]:
        if isinstance(value, float):
            assert f"{value:.2f}" not in text
