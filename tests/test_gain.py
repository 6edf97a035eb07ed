"""Pre-test, post-test and learning gain per skill, graded through the real nbgrader round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.grading.cohort import make_course_copy, submit, variant_answers
from course.grading.gain import SMALL_COHORT, learning_gain
from course.grading.gradebook import db_url
from course.grading.papers import PaperError, build_paper, load_spec
from course.grading.report import build_report
from course.grading.runner import grade
from course.itembank import get_item

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::Warning")]

REPO = Path(__file__).resolve().parents[1]
#: how many of the first pre-test items each learner gets right (all post-test items are right)
PLAN = {"learner_a": 2, "learner_b": 4, "learner_c": 6, "learner_d": 8}


def _skills(paper: str) -> list[str]:
    return [get_item(e["ref"]).skill for e in load_spec(REPO / "papers" / f"{paper}.yaml").items]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_course_copy(tmp_path_factory.mktemp("gain") / "c", ["pretest", "posttest"])
    for who, right in PLAN.items():
        pre = variant_answers(root, "pretest", who)
        keep = {gid: src for n, (gid, src) in enumerate(pre.items()) if n < right}
        submit(root, who, "pretest", keep)  # the rest stays blank (None): zero points
        submit(root, who, "posttest", variant_answers(root, "posttest", who))
    submit(root, "only_pre", "pretest", variant_answers(root, "pretest", "only_pre"))
    grade(root, progress=False)
    return root


def test_the_committed_papers_are_what_the_specs_build(tmp_path: Path) -> None:
    for name in ("pretest", "posttest"):
        path = build_paper(load_spec(REPO / "papers" / f"{name}.yaml"), tmp_path)
        committed = REPO / "source" / name / f"{name}.ipynb"
        assert path.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), name


def test_pre_and_post_measure_the_same_skills_with_fresh_variants() -> None:
    assert _skills("pretest") == _skills("posttest")
    pre, post = load_spec(REPO / "papers" / "pretest.yaml"), load_spec(REPO / "papers" / "posttest.yaml")
    assert pre.attempt != post.attempt
    from course.itembank import variant

    for a, b in zip(pre.items, post.items, strict=True):
        va, vb = variant(a["ref"], "wang", pre.attempt), variant(b["ref"], "wang", post.attempt)
        assert va.text + str(va.options) != vb.text + str(vb.options)


def test_gain_per_skill_is_computed_from_what_each_learner_scored(cohort: Path) -> None:
    gain = learning_gain(db_url(cohort), cohort)
    assert gain.learners == tuple(sorted(PLAN))  # only_pre took one test: not counted
    skills = _skills("pretest")
    for g in gain.skills:
        idx = [i for i, s in enumerate(skills) if s == g.skill]
        for who, right in PLAN.items():
            expected_pre = sum(1 for i in idx if i < right) / len(idx)
            assert g.per_learner[who] == pytest.approx((expected_pre, 1.0)), (g.skill, who)
        mean_pre = sum(sum(1 for i in idx if i < r) / len(idx) for r in PLAN.values()) / len(PLAN)
        assert g.pre == pytest.approx(mean_pre) and g.post == pytest.approx(1.0)
        assert g.normalised in (None, pytest.approx(1.0))
    assert {g.skill for g in gain.skills} == set(skills)
    assert len(PLAN) < SMALL_COHORT and "只能作参考" in gain.caution


def test_the_report_shows_the_gain_and_writes_it_as_csv(cohort: Path, tmp_path: Path) -> None:
    rep = build_report(cohort, tmp_path, progress=False)
    page = rep.html_path.read_text(encoding="utf-8")
    assert "学习增益（每项技能）" in page and "只能作参考" in page and "计费计算" in page
    assert page.count("data:image/png;base64") >= 4
    rows = (tmp_path / "gain.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "技能,学员,课前,课后,提高" and len(rows) == 1 + len(PLAN) * len(rep.gain.skills)
    assert "课前课后对比" in str(rep)


def test_bad_paper_specs_explain_themselves(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    cases = {
        "name: x\ntitle: t\nitems:\n  - {ref: diag.nothing}\n": "没有题目“nothing”",
        "name: x\ntitle: t\nitems:\n  - {ref: diag.policy_a}\n": "correct 要写正确选项的 id",
        "name: x\ntitle: t\nitems:\n  - {ref: diag.policy_a, correct: zzz}\n": "可选：",
        "title: t\nitems: []\n": "缺少 name",
        "name: x\ntitle: t\nitems:\n  - {ref: diag.bill_month, points: -1}\n": "points 应当是正数",
    }
    for text, message in cases.items():
        spec.write_text(text, encoding="utf-8")
        with pytest.raises(PaperError, match=message):
            load_spec(spec)


def test_course_paper_builds_the_assignment_from_a_spec(tmp_path: Path, capsys) -> None:
    from course.cli import main

    (tmp_path / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n", encoding="utf-8")
    spec = tmp_path / "quiz.yaml"
    spec.write_text("name: quiz\ntitle: 小测验\nitems:\n  - {ref: diag.rollover, points: 3}\n"
                    "  - {ref: diag.safety_a, correct: safety}\n", encoding="utf-8")
    assert main(["--root", str(tmp_path), "paper", str(spec)]) == 0
    assert "已组卷：source/quiz/quiz.ipynb" in capsys.readouterr().out
    text = (tmp_path / "source" / "quiz" / "quiz.ipynb").read_text(encoding="utf-8")
    assert "满分 5 分" in text and 'letter(\\"diag.safety_a\\", \\"safety\\")' in text
    spec.write_text("name: quiz\ntitle: 小测验\nitems:\n  - {ref: diag.safety_a}\n", encoding="utf-8")
    assert main(["--root", str(tmp_path), "paper", str(spec)]) != 0
    assert "correct 要写正确选项的 id" in capsys.readouterr().err


def test_item_statistics_pool_every_learner_s_variant_of_a_bank_item(cohort: Path, tmp_path: Path) -> None:
    expected: dict[str, list[float]] = {}
    for n, entry in enumerate(load_spec(REPO / "papers" / "pretest.yaml").items):
        fracs = [1.0 if n < right else 0.0 for right in PLAN.values()] + [1.0]  # + only_pre
        expected.setdefault(entry["ref"], []).extend(fracs)
    for entry in load_spec(REPO / "papers" / "posttest.yaml").items:
        expected.setdefault(entry["ref"], []).extend([1.0] * len(PLAN))
    rep = build_report(cohort, tmp_path, progress=False)
    got = {b.ref: b for b in rep.bank}
    assert set(got) == set(expected)
    for ref, fracs in expected.items():
        assert got[ref].n == len(fracs), ref
        assert got[ref].difficulty == pytest.approx(sum(fracs) / len(fracs)), ref
    rows = (tmp_path / "bank_items.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("题库题目,题目内容,用在,作答人次") and len(rows) == 1 + len(expected)
    page = rep.html_path.read_text(encoding="utf-8")
    assert "题库题目统计" in page
    assert "【读图】下面是本地水价" in page and "【应答改写】" in page  # the trainer sees questions, not only ids
    easy = [b for b in rep.bank if b.difficulty >= 0.95 and b.n >= 5]
    assert all("几乎人人答对" in b.advice for b in easy)


def test_an_item_that_strong_learners_miss_is_flagged() -> None:
    from course.grading.report import bank_item_stats

    who = ["a", "b", "c", "d", "e"]
    strong = {"a": 1.0, "b": 1.0, "c": 0.0, "d": 0.0, "e": 0.0}  # total on the other items
    scores = {("t", "t", "odd"): {w: 1.0 - strong[w] for w in who},  # the weak ones get it right
              ("t", "t", "other"): strong}
    maxes = {k: 1.0 for k in scores}
    [stat] = bank_item_stats(scores, maxes, {("t", "t", "odd"): "bank.odd"})
    assert stat.discrimination is not None and stat.discrimination < 0
    assert "区分度为负" in stat.advice and stat.uses == ("t/odd",)
