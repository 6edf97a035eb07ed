"""Items drawn from the course's scenes: rewrites of a role-play's bad replies, graded by the reply
coach for each learner's own complaint, and crisis-drill decisions — through a real nbgrader paper."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from course.grading.checks import AnswerError
from course.grading.cohort import make_course_copy, submit, variant_answers
from course.grading.gradebook import db_url, generate_assignment, scores
from course.grading.papers import PaperError, build_paper, load_spec
from course.grading.reply_checks import expect_reply_part
from course.grading.runner import grade
from course.itembank import ItemBankError, best, model_reply, variant
from course.itembank.practice import check_practice

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::Warning")]

WHO = [f"learner{n:02d}" for n in range(40)]


def test_rewrite_variants_come_from_the_role_plays_and_their_model_passes_the_coach() -> None:
    seen = {}
    for who in WHO:
        v = variant("scenes.rewrite", who)
        assert v.params["bad"] in v.text and v.params["customer"] in v.text
        seen[(v.params["situation"], v.params["original"])] = model_reply("scenes.rewrite", who)
    assert len({s for s, _ in seen}) >= 6  # many complaints, not one
    for (situation, original), model in seen.items():
        for part in ("clean", "core", "next"):
            expect_reply_part(model, "r", scenario=situation, part=part, original=original)


def test_a_rewrite_judged_for_another_complaint_or_a_salad_does_not_pass() -> None:
    a, b = (variant("scenes.rewrite", w) for w in ("learner00", "learner01"))
    others = [w for w in WHO if variant("scenes.rewrite", w).params["situation"] != a.params["situation"]]
    other = variant("scenes.rewrite", others[0])
    with pytest.raises(AnswerError):
        expect_reply_part(model_reply("scenes.rewrite", "learner00"), "r", scenario=other.params["situation"],
                          part="core", original=other.params["original"])
    salad = "理解您的心情。核实核实核实，处理处理处理，马上马上。祝您生活愉快，谢谢！"
    with pytest.raises(AnswerError):
        expect_reply_part(salad, "r", scenario=b.params["situation"], part="core",
                          original=b.params["original"])
    with pytest.raises(AnswerError, match="改写"):
        expect_reply_part(a.params["original"], "r", scenario=a.params["situation"], part="clean",
                          original=a.params["original"])


def test_drill_decisions_shuffle_options_and_name_the_drill_s_best_move() -> None:
    from course.crisis import incident

    orders = set()
    for who in WHO:
        v = variant("scenes.drill", who)
        cp = next(c for c in incident(v.params["incident"]).checkpoints if c.id == v.params["checkpoint"])
        good = next(o for o in cp.options if o.quality == "best")
        letter = best("scenes.drill", who)
        assert dict((lt, oid) for lt, oid, _ in v.options)[letter] == good.id
        assert "{" not in str(v)  # placeholders filled for the learner
        orders.add((v.params["checkpoint"], letter))
        assert check_practice(v, f"{letter}，").correct  # full-width comma typed with an IME
    assert len(orders) >= 8
    with pytest.raises(ItemBankError, match="回复教练"):
        check_practice(variant("scenes.rewrite", "x"), "您好")


def test_a_paper_of_scene_items_grades_each_learner_on_their_own_scene(tmp_path: Path) -> None:
    spec = tmp_path / "scenes.yaml"
    spec.write_text(yaml.safe_dump({"name": "scenes_quiz", "title": "情景小测", "items": [
        {"ref": "scenes.rewrite"}, {"ref": "scenes.drill", "points": 2}]}, allow_unicode=True),
        encoding="utf-8")
    with pytest.raises(PaperError, match="改写题固定"):
        bad = tmp_path / "bad.yaml"
        bad.write_text(yaml.safe_dump({"name": "b", "title": "b", "items": [
            {"ref": "scenes.rewrite", "points": 2}]}), encoding="utf-8")
        load_spec(bad)
    root = make_course_copy(tmp_path / "c", [])
    build_paper(load_spec(spec), root)
    generate_assignment(root, "scenes_quiz")
    a, b = "learner00", next(w for w in WHO if variant("scenes.rewrite", w).params["situation"]
                            != variant("scenes.rewrite", "learner00").params["situation"])
    mine_a, mine_b = variant_answers(root, "scenes_quiz", a), variant_answers(root, "scenes_quiz", b)
    submit(root, a, "scenes_quiz", mine_a)
    submit(root, b, "scenes_quiz", mine_b)
    submit(root, "copier", "scenes_quiz", mine_a if variant("scenes.rewrite", "copier").params["situation"]
           != variant("scenes.rewrite", a).params["situation"] else mine_b)
    grade(root, "scenes_quiz", progress=False)
    got = {}
    for (student, _a, _nb, gid), (score, _manual) in scores(db_url(root)).items():
        got.setdefault(student, {})[gid] = score or 0.0
    assert sum(got[a].values()) == 5 and sum(got[b].values()) == 5
    assert got["copier"]["q1_core"] == 0  # a reply about somebody else's complaint
