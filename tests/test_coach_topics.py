"""Chapter 2's explained topics (SPIN; seed 001's causes, meaning, wants, attitudes): data and lesson."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course._data import load_yaml
from course.coach import CoachError
from course.coach.topics import FILES, parse_topics, topic, topic_ids
from course.exercises import list_exercises, load
from course.grading.selfcheck import check

REPO = Path(__file__).resolve().parents[1]
LESSON = REPO / "notebooks" / "02_巧妙应答.ipynb"
# words that place an example in a water utility's daily work
WATER = re.compile(r"水|估抄|营业厅|热线|抄表|账单|阶梯|二次供水|物业|停水|泵房|一档|二档|坐席|营业员")


def test_the_five_topics_load_with_their_points():
    assert set(topic_ids()) == {"spin", "causes", "meaning", "wants", "attitudes"}
    # seed 001 lists 3 causes, 7 meanings, 6 wants plus 需要受到尊重, 6 attitudes; SPIN has 4 types
    sizes = {t: len(topic(t).points) for t in topic_ids()}
    assert sizes == {"spin": 4, "causes": 3, "meaning": 7, "wants": 7, "attitudes": 6}


@pytest.mark.parametrize("tid", ["spin", "causes", "meaning", "wants", "attitudes"])
def test_every_point_is_explained_with_a_water_utility_example(tid):
    for p in topic(tid).points:
        assert len(p.explanation) >= 15, p.name
        assert WATER.search(p.example) or WATER.search(p.explanation), p.name
        assert p.example not in p.explanation


@pytest.mark.parametrize("tid", ["spin", "causes", "meaning", "wants", "attitudes"])
def test_every_topic_has_an_exercise_that_exists(tid):
    t = topic(tid)
    assert t.sorting or t.selfcheck
    if t.sorting:
        assert t.sorting in list_exercises()
        ex = load(t.sorting)
        assert len(ex.items) >= 2 * len(ex.categories)
        for cat in ex.categories:  # every category is practised at least twice
            assert sum(i.answer == cat for i in ex.items) >= 2, (t.sorting, cat)
    for qid in t.selfcheck:
        assert "还没有作答" in check(qid, None).message


@pytest.mark.parametrize("qid", topic("meaning").selfcheck)
def test_each_meaning_self_check_accepts_exactly_one_of_its_three_options(qid):
    accepted = [letter for letter in "ABC" if check(qid, letter).correct]
    assert len(accepted) == 1
    wrong = next(letter for letter in "ABC" if letter not in accepted)
    assert check(qid, wrong).hint


def test_spin_exercise_sorts_into_the_four_question_types_in_order():
    types = [p.name.split("（")[0] for p in topic("spin").points]
    assert types == list(load("tech_spin").categories) == ["情境问题", "难点问题", "暗示问题",
                                                           "需求效益问题"]


def test_spin_dialogue_asks_in_the_spin_order_inside_the_three_layers():
    notes = [t.note for t in topic("spin").dialogue]
    order = [next(i for i, n in enumerate(notes) if word in n)
             for word in ("第一层", "情境问题", "难点问题", "暗示问题", "需求效益问题", "第三层")]
    assert order == sorted(order)


def test_spin_and_the_seed_topics_cite_their_sources():
    assert "Rackham" in topic("spin").source and "1988" in topic("spin").source
    assert all("seed 001" in topic(t).source for t in ("causes", "meaning", "wants", "attitudes"))
    for ex in ("tech_spin", "s001_causes", "s001_wants", "s001_attitudes"):
        assert "seed" in load(ex).source


def test_wants_are_grouped_as_the_sorting_exercise_sorts_them():
    wants = topic("wants")
    assert wants.groups() == load("s001_wants").categories == ("显在诉求", "潜在诉求")
    assert "需要受到尊重" in {p.name for p in wants.points if p.group == "潜在诉求"}


def _good() -> dict:
    return {"topics": [{"id": "x", "title": "标题", "source": "seed 001", "intro": "导语",
                        "sorting": "s001_causes",
                        "points": [{"name": "甲", "explanation": "讲解", "example": "营业厅"},
                                   {"name": "乙", "explanation": "讲解", "example": "热线"}]}]}


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["topics"][0]["points"][1].pop("example"), ["第 2 条", "example"]),
    (lambda d: d["topics"][0].update(colour="红"), ["colour"]),
    (lambda d: d["topics"][0].pop("sorting"), ["没有练习"]),
    (lambda d: d["topics"][0]["points"][0].update(group="显在诉求"), ["group"]),
    (lambda d: d["topics"][0].update(selfcheck="ch2_basics"), ["selfcheck"]),
    (lambda d: d["topics"][0].update(dialogue=[{"who": "客户", "line": "你好"}]), ["第 1 句", "note"]),
])
def test_a_broken_topics_file_gets_a_chinese_message_naming_file_and_field(change, words):
    data = _good()
    assert parse_topics(data, "coach/demo.yaml")[0].id == "x"
    change(data)
    with pytest.raises(CoachError) as err:
        parse_topics(data, "coach/demo.yaml")
    assert "coach/demo.yaml" in str(err.value)
    assert all(w in str(err.value) for w in words), str(err.value)


def test_shipped_topic_files_parse():
    assert sum(len(parse_topics(load_yaml(f), f)) for f in FILES) == len(topic_ids())


def test_unknown_topic_lists_the_known_ones():
    with pytest.raises(CoachError, match="spin"):
        topic("摩托罗拉法")


def _lesson_code() -> list[str]:
    cells = json.loads(LESSON.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("tid", ["spin", "causes", "meaning", "wants", "attitudes"])
def test_lesson_2_shows_each_topic_and_its_exercise_right_after_it(tid):
    code = _lesson_code()
    shown = code.index(f'topic("{tid}")')
    t = topic(tid)
    nxt = code[shown + 1]
    if t.sorting:
        assert nxt == f'SortingExercise("{t.sorting}")'
    for qid in t.selfcheck:
        assert f'check("{qid}"' in nxt
