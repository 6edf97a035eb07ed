"""Two learners, two variants of ch1: each scores full marks with their own answers, not with the
other's, under ``course grade`` and under stock ``nbgrader autograde``; feedback shows their own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from course.grading.cohort import make_course_copy, submit, variant_answers
from course.grading.gradebook import course_api, db_url, scores
from course.grading.runner import grade

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::Warning")]

A = "ch1_tiered_pricing"
AUTO = 26.0  # 30 points, 4 of them marked by the trainer


def _items(root: Path, student: str) -> dict[str, float]:
    return {k[3]: v[0] or 0.0 for k, v in scores(db_url(root)).items()
            if k[0] == student and k[1] == A and not v[1]}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_course_copy(tmp_path_factory.mktemp("variants") / "c", [A])
    wang, li = variant_answers(root, A, "wang"), variant_answers(root, A, "li")
    assert wang != li
    submit(root, "wang", A, wang)
    submit(root, "li", A, li)
    submit(root, "copied_from_wang", A, wang)  # another learner hands in wang's answers
    grade(root, A, progress=False)
    return root


def test_each_learner_scores_full_marks_on_their_own_variant(graded: Path) -> None:
    for student in ("wang", "li"):
        assert sum(_items(graded, student).values()) == AUTO, student


def test_someone_elses_answers_lose_the_points_where_the_variants_differ(graded: Path) -> None:
    wang = variant_answers(graded, A, "wang")
    mine = variant_answers(graded, A, "copied_from_wang")
    copied = _items(graded, "copied_from_wang")
    differ = [gid for gid in wang if wang[gid] != mine[gid]]
    assert len(differ) >= 8
    total = sum(copied.values())
    assert total <= AUTO - 2 * len(differ) + 1e-9
    assert total < AUTO / 2


def test_feedback_and_autograded_notebook_show_the_learners_own_numbers(graded: Path) -> None:
    from course.itembank import variant

    for student in ("wang", "li"):
        text = next((graded / "autograded" / student / A).glob("*.ipynb")).read_text("utf-8")
        mine = variant("ch1.q1_bill_annual", student).params["usage"]
        assert f"{mine} 立方米" in text, student


def test_stock_nbgrader_autograde_uses_the_submitting_learners_variant(graded: Path) -> None:
    cwd = os.getcwd()
    try:
        for student in ("li", "copied_from_wang"):
            result = course_api(graded).autograde(A, student, force=True, create=True)
            assert result["success"], result.get("error")
    finally:
        os.chdir(cwd)
    assert sum(_items(graded, "li").values()) == AUTO
    assert sum(_items(graded, "copied_from_wang").values()) < AUTO / 2


def test_the_report_flags_the_learner_who_handed_in_someone_elses_answers(
        graded: Path, tmp_path: Path) -> None:
    from course.grading.report import build_report

    rep = build_report(graded, tmp_path, progress=False)
    assert [(t.learner, t.source) for t in rep.travelled] == [("copied_from_wang", "wang")]
    assert len(rep.travelled[0].items) >= 8
    page = rep.html_path.read_text(encoding="utf-8")
    assert "雷同答案（请核实）" in page and "copied_from_wang" in page
    assert "copied_from_wang" in (tmp_path / "travelled.csv").read_text(encoding="utf-8-sig")
