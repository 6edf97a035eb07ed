"""Crisis rubric: each criterion and problem comes from the data, findings quote the text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course._data import load_yaml
from course.crisis.rubric import (
    COACH_WEIGHT,
    CrisisError,
    criteria_keys,
    review_statement,
)

RUBRIC = load_yaml("crisis/rubric.yaml")
GOOD = (
    "今天早上6时许，一条供水主管突发爆裂。事先没能通知大家，这是我们的失误，给大家带来不便，深表歉意。"
    "目前已启动应急预案并设置临时供水点，第三方检测机构将检测水质并公开结果。"
    "我们将于今天10时前通报进展，咨询请拨打服务热线。"
)


def test_criteria_follow_the_data_and_weights_sum_to_100():
    assert criteria_keys() == tuple(c["key"] for c in RUBRIC["criteria"])
    assert sum(c["weight"] for c in RUBRIC["criteria"]) == 100
    names = {c["name"] for c in RUBRIC["criteria"]}
    assert {"承担责任", "真诚沟通", "速度第一", "系统运行", "权威证实"} <= names


def test_a_complete_statement_meets_every_criterion_and_passes():
    r = review_statement(GOOD, use_coach=False)
    assert all(c.met for c in r.criteria), [c.key for c in r.criteria if not c.met]
    assert r.rubric_score == 100 and r.passed and not r.problems


@pytest.mark.parametrize("criterion", RUBRIC["criteria"], ids=lambda c: c["key"])
def test_removing_a_criterion_lowers_the_score_by_its_weight(criterion):
    keys = tuple(criteria_keys())
    # A statement that meets only this criterion, through the example of each pattern's match.
    sample = {
        "responsibility": "这是我们的失误。",
        "sincerity": "深表歉意。",
        "speed": "我们第一时间赶到。",
        "system": "已成立工作组。",
        "authority": "请第三方机构检测。",
        "next_update": "我们将于今天18时前通报进展。",
        "contact": "请拨打服务热线。",
    }[criterion["key"]]
    r = review_statement(sample, use_coach=False)
    assert r.met(criterion["key"])
    total = sum(c["weight"] for c in RUBRIC["criteria"] if c["key"] in keys)
    gained = sum(c.weight for c in r.criteria if c.met)
    assert r.rubric_score == round(100 * gained / total)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("原因可能是施工挖断管道。", "speculation"),
        ("个别用户不了解政策。", "blame"),
        ("对此无可奉告。", "stonewall"),
        ("我们保证以后再也不会停水。", "overpromise"),
        ("王先生当时情绪激动。", "naming"),
        ("一名用户拿出美工刀。", "harm_detail"),
    ],
)
def test_problems_are_quoted_with_spans_and_fail_the_statement(text, rule):
    r = review_statement(GOOD + text, use_coach=False)
    found = [p for p in r.problems if p.rule == rule]
    assert found and not r.passed
    p = found[0]
    assert (GOOD + text)[p.span[0] : p.span[1]] == p.text
    penalty = next(x["penalty"] for x in RUBRIC["problems"] if x["key"] == rule)
    assert r.rubric_score == 100 - penalty


def test_timing_overrides_the_speed_criterion():
    assert not review_statement(GOOD, on_time=False, use_coach=False).met("speed")
    assert review_statement("深表歉意。", on_time=True, use_coach=False).met("speed")


def test_keys_restrict_the_criteria_and_rescale():
    r = review_statement("深表歉意。", keys=["sincerity", "contact"], use_coach=False)
    assert [c.key for c in r.criteria] == ["sincerity", "contact"]
    w = {c["key"]: c["weight"] for c in RUBRIC["criteria"]}
    assert r.rubric_score == round(100 * w["sincerity"] / (w["sincerity"] + w["contact"]))


def test_coach_score_is_blended_when_the_coach_is_available():
    coach = pytest.importorskip("course.coach")
    r = review_statement(GOOD)
    c = coach.review(GOOD).score
    assert r.coach_score == c
    assert r.score == round((1 - COACH_WEIGHT) * r.rubric_score + COACH_WEIGHT * c)
    assert "回复教练" in str(r)


def test_repeated_breaches_of_one_rule_are_listed_once_with_every_quote():
    r = review_statement(GOOD + "据说他有美工刀，扬言自杀。", use_coach=False)
    assert [p.rule for p in r.problems].count("harm_detail") == 2
    lines = [line for line in str(r).splitlines() if "渲染自伤细节" in line]
    assert len(lines) == 1 and "“美工刀”“自杀”" in lines[0]


def test_rendering_lists_criteria_and_problems():
    r = review_statement("据说是用户自己弄坏的。", use_coach=False)
    text = str(r)
    assert "未通过" in text and "猜测" in text and "指责" in text
    assert "course-crisis-review" in r._repr_html_()


@pytest.mark.parametrize("bad", [None, 12, ["a"], "", "  \n"])
def test_bad_text_is_a_chinese_error(bad):
    with pytest.raises(CrisisError, match="声明内容"):
        review_statement(bad)


@pytest.mark.parametrize(("kwargs", "field"), [({"keys": 5}, "评分项必须是列表"),
                                               ({"keys": "speed"}, "评分项必须是列表"),
                                               ({"on_time": "yes"}, "是否按时")])
def test_bad_options_are_chinese_errors(kwargs, field):
    with pytest.raises(CrisisError, match=field):
        review_statement("深表歉意。", **kwargs)


def test_unknown_keys_are_refused():
    with pytest.raises(CrisisError, match=r"评分项(必须是列表|只能)"):
        review_statement("深表歉意。", keys=["speedy"])
    with pytest.raises(CrisisError, match="评分项"):
        review_statement("深表歉意。", use_coach=False).met("nope")


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=120))
def test_any_text_gets_a_score_between_0_and_100(text):
    if not text.strip():
        with pytest.raises(CrisisError):
            review_statement(text)
        return
    r = review_statement(text)
    assert 0 <= r.score <= 100 and 0 <= r.rubric_score <= 100
    for p in r.problems:
        assert text[p.span[0] : p.span[1]] == p.text
        assert re.search(re.escape(p.text), text)
