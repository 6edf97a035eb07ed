"""The coach's second opinion on trainer-graded free text: a real nbgrader round trip on ch2."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from nbgrader.api import Gradebook

from course.grading.coach_review import (
    agreement,
    coach_cells,
    read_answer,
    suggest,
    suggested_points,
)
from course.grading.cohort import solution_answers, submit
from course.grading.gradebook import db_url
from course.grading.release import course_root, make_api
from course.grading.runner import grade

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::Warning")]

A = "ch2_response_techniques"
REPO = course_root()
SALAD = "理解您的心情。验表验表验表，读数读数读数，漏水漏水。祝您生活愉快，谢谢！"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("coachcourse")
    for name in ("source", "release"):
        shutil.copytree(REPO / name / A, root / name / A)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    cwd = os.getcwd()
    try:
        assert make_api(root).generate_assignment(A, force=True, create=True)["success"]
    finally:
        os.chdir(cwd)
    answers = solution_answers(root, A)
    submit(root, "model_learner", A, answers)
    weak = dict(answers)
    weak["q5_rewrite_refuse_answer"] = f"rewrite_q7 = {SALAD!r}"
    weak["q5_rewrite_meter_answer"] = "rewrite_q8 = “水表坏没坏得验了才知道，您先交钱，别的以后再说。”"
    submit(root, "weak_learner", A, weak)
    grade(root, A, progress=False)
    return root


def _comment(root, student: str, cell: str) -> str:
    with Gradebook(db_url(root)) as gb:
        return gb.find_comment(cell, A, A, student).auto_comment or ""


def test_the_three_rewrites_each_have_a_trainer_graded_quality_cell_the_coach_reads():
    nb = json.loads((REPO / "source" / A / f"{A}.ipynb").read_text(encoding="utf-8"))
    cells = coach_cells(nb)
    assert [c for c, _, _ in cells] == ["q5_rewrite_refuse_quality", "q5_rewrite_meter_quality",
                                         "q5_rewrite_outage_quality"]
    assert all(points == 1 and s["scenario"] and s["variable"] for _, points, s in cells)


def test_course_grade_writes_the_coachs_opinion_into_the_trainers_comment_box(course):
    good = _comment(course, "model_learner", "q5_rewrite_refuse_quality")
    assert "回复教练" in good and "建议得分 1 / 1" in good
    salad = _comment(course, "weak_learner", "q5_rewrite_refuse_quality")
    assert "建议得分 0 / 1" in salad and "不像真正的回复" in salad
    typed = _comment(course, "weak_learner", "q5_rewrite_meter_quality")
    assert "建议得分 0 / 1" in typed and "禁语" in typed  # read although typed with “”


def test_auto_points_go_only_to_what_the_coach_judges_reliably(course):
    with Gradebook(db_url(course)) as gb:
        def score(student, cell):
            return gb.find_grade(cell, A, A, student).score
        for part in ("clean", "core", "next"):
            assert score("model_learner", f"q5_rewrite_refuse_{part}") == 1
            assert score("weak_learner", f"q5_rewrite_refuse_{part}") == 0  # the salad earns none
        assert gb.find_grade("q5_rewrite_refuse_quality", A, A, "model_learner").needs_manual_grade


def test_agreement_reports_how_often_and_where_the_trainer_overrode_the_coach(course):
    assert "待讲师评分" in str(agreement(course, A)) or agreement(course, A).pending == 6
    with Gradebook(db_url(course)) as gb:
        gb.find_grade("q5_rewrite_refuse_quality", A, A, "model_learner").manual_score = 1
        gb.find_grade("q5_rewrite_meter_quality", A, A, "model_learner").manual_score = 0.5
        gb.db.commit()
    a = agreement(course, A)
    assert (a.compared, a.agreed, a.pending) == (2, 1, 4)
    assert a.overrides[0][:3] == (A, "model_learner", "q5_rewrite_meter_quality")
    text = str(a)
    assert "讲师已评 2 份" in text and "50%" in text and "q5_rewrite_meter_quality" in text


def test_suggestions_are_kept_for_improving_the_coach(course):
    store = json.loads((course / ".course" / "coach_suggestions.json").read_text(encoding="utf-8"))
    assert len(store) == 6
    assert all({"points", "suggested", "coach_score"} <= set(v) for v in store.values())
    again = suggest(course, A, ["weak_learner"])
    assert len(again) == 3


def test_an_answer_that_is_not_text_is_read_as_missing():
    nb = {"cells": [{"cell_type": "code", "source": "rewrite_q7 = 42"}]}
    assert read_answer(nb, "rewrite_q7") is None
    nb = {"cells": [{"cell_type": "code", "source": "rewrite_q7 = (\n  '您好'\n  '，我来办'\n)"}]}
    assert read_answer(nb, "rewrite_q7") == "您好，我来办"
    nb = {"cells": [{"cell_type": "code", "source": "import os\nrewrite_q7 = os.getcwd()"}]}
    assert read_answer(nb, "rewrite_q7") is None


@pytest.mark.parametrize(("score", "passed", "points"), [(90, True, 1), (70, True, 0.5),
                                                          (90, False, 0), (40, False, 0)])
def test_suggested_points_follow_the_coach_score(score, passed, points):
    assert suggested_points(score, 1.0, passed) == points


@pytest.mark.parametrize(("name", "trainer_points"), [("ch2_response_techniques", 7),
                                                      ("ch4_media_crisis", 12),
                                                      ("final_simulation", 18)])
def test_the_intro_states_the_points_the_trainer_grades(name, trainer_points):
    nb = json.loads((REPO / "source" / name / f"{name}.ipynb").read_text(encoding="utf-8"))
    tasks = [c["metadata"]["nbgrader"]["points"] for c in nb["cells"]
             if c["metadata"].get("nbgrader", {}).get("task")]
    assert sum(tasks) == trainer_points
    intro = "".join(nb["cells"][0]["source"])
    assert f"其中 {trainer_points} 分由讲师评分" in intro
    cells = coach_cells(nb)
    variables = {s["variable"] for _, _, s in cells}
    for var in variables:  # the coach reads every free-text answer it has an opinion on
        assert read_answer(nb, var), var


def test_a_crisis_statement_gets_the_rubrics_opinion():
    from course import crisis
    from course.grading.coach_review import _opinion

    drill = crisis.start("meter_replacement")
    while drill.state.checkpoint.kind != "statement":
        drill.decide(drill.state.checkpoint.options.index(drill.state.checkpoint.best))
    good = _opinion(drill.example(), {"kind": "statement"}, 2)
    bad = _opinion(drill.example("defensive"), {"kind": "statement"}, 2)
    assert good[0] > bad[0] == 0
    assert "建议得分 0 / 2" in bad[2] and ("问题" in bad[2] or "缺少" in bad[2])
    reply = ("感谢您的关注。部分业主换表后水费上涨的情况我们已经掌握，深表歉意。公司已成立工作组逐户复核账单，"
             "并邀请第三方计量检定机构共同见证水表检定。复核结果将于本周五18时前公布。")
    settings = {"kind": "statement", "incident": "meter_replacement", "checkpoint": "journalist"}
    assert _opinion(reply, settings, 2)[0] > 0


def test_course_agreement_prints_the_report_in_chinese(course, capsys):
    from course.cli import main

    assert main(["--root", str(course), "agreement", A]) == 0
    out = capsys.readouterr().out
    assert "讲师" in out and "教练" in out
