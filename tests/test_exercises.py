"""Sorting exercises (course.exercises): the data files, their validation and the checking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from course import exercises
from course.exercises import ExerciseError, check, load, parse
from course.exercises.catalog import shuffled
from course.learner import explain_error

DATA = Path(exercises.__file__).resolve().parents[1] / "data" / "exercises"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _raw(exercise_id: str) -> dict:
    return yaml.safe_load((DATA / f"{exercise_id}.yaml").read_text(encoding="utf-8"))


def _small(**changes) -> dict:
    data = {"title": "测试", "instructions": "分一分", "source": "seed 000",
            "categories": ["甲类 A", "乙类 B"],
            "items": [{"text": "第一句", "answer": "甲类 A", "why": "因为甲"},
                      {"text": "第二句", "answer": "乙类 B", "why": "因为乙"},
                      {"text": "第三句", "answer": "乙类 B", "why": "也因为乙"}]}
    data.update(changes)
    return data


@pytest.mark.parametrize("exercise_id", exercises.list_exercises())
def test_every_shipped_exercise_loads_and_keeps_its_items(exercise_id):
    ex = load(exercise_id)
    raw = _raw(exercise_id)
    assert [i.number for i in ex.items] == list(range(1, len(raw["items"]) + 1))
    assert sorted(i.text for i in ex.items) == sorted(e["text"].strip() for e in raw["items"])
    by_text = {e["text"].strip(): e for e in raw["items"]}
    for item in ex.items:
        assert item.answer == by_text[item.text]["answer"].strip()
        assert item.answer in ex.categories
    # every category is used, so no option is a give-away by never being right
    assert {i.answer for i in ex.items} == set(ex.categories)


@pytest.mark.parametrize("exercise_id", exercises.list_exercises())
def test_items_are_shown_in_a_stable_order_that_is_not_the_files(exercise_id):
    raw_texts = [e["text"].strip() for e in _raw(exercise_id)["items"]]
    shown = [i.text for i in load(exercise_id).items]
    assert shown != raw_texts
    assert shown == [raw_texts[i] for i in shuffled(exercise_id, len(raw_texts))]
    assert shuffled(exercise_id, len(raw_texts)) == shuffled(exercise_id, len(raw_texts))


def test_the_shuffle_differs_between_exercises():
    assert shuffled("chk_a", 12) != shuffled("chk_b", 12)
    assert shuffled("x", 2) == [1, 0]  # never the file's order, even for two items


@pytest.mark.parametrize("change, field", [
    ({"categories": ["只有一类"]}, "categories"),
    ({"categories": ["甲类 A", "甲类Ａ"]}, "categories"),
    ({"items": [{"text": "一", "answer": "丙类", "why": "因为"},
                {"text": "二", "answer": "甲类 A", "why": "因为"}]}, "answer"),
    ({"items": [{"text": "同一句", "answer": "甲类 A", "why": "因为"},
                {"text": "同一句 ", "answer": "乙类 B", "why": "因为"}]}, "text"),
    ({"items": [{"text": "一", "answer": "甲类 A", "why": "  "},
                {"text": "二", "answer": "乙类 B", "why": "因为"}]}, "why"),
    ({"items": [{"text": "一", "anwser": "甲类 A", "why": "因为"},
                {"text": "二", "answer": "乙类 B", "why": "因为"}]}, "anwser"),
    ({"items": [{"text": "一", "answer": "甲类 A", "why": "因为"}]}, "items"),
    ({"title": ""}, "title"),
    ({"hint": "多余"}, "hint"),
])
def test_a_wrong_file_gets_a_chinese_message_naming_file_and_field(change, field):
    with pytest.raises(ExerciseError) as err:
        parse(_small(**change), "chk_demo")
    message = str(err.value)
    assert "exercises/chk_demo.yaml" in message and field in message and CJK.search(message)


def test_a_missing_field_is_named():
    data = _small()
    del data["source"]
    with pytest.raises(ExerciseError, match="缺少 source"):
        parse(data, "chk_demo")


def test_a_broken_yaml_file_names_the_line(tmp_path):
    path = tmp_path / "chk_broken.yaml"
    path.write_text("title: 测试\ncategories: [甲, 乙\nitems: []\n", encoding="utf-8")
    with pytest.raises(ExerciseError, match=r"chk_broken\.yaml.*第 \d+ 行"):
        exercises.load_file(path)


def test_answers_tolerate_full_width_spaces_and_quotes():
    ex = parse(_small(), "chk_demo")
    typed = {}
    for item in ex.items:
        variant = {"甲类 A": " “甲类Ａ” ", "乙类 B": "乙类　Ｂ。"}[item.answer]
        typed[f"{item.number}"] = variant
    result = check(ex, typed)
    assert result.right == result.total == 3 and result.score == 100
    assert "全部正确" in result.summary
    assert all(r.given == r.answer for r in result.items)


def test_wrong_blank_and_unknown_answers_are_told_apart():
    ex = parse(_small(), "chk_demo")
    first, second, _third = ex.items
    wrong = next(c for c in ex.categories if c != first.answer)
    result = check(ex, {1: wrong, 2: "丙类", 7: second.answer})
    status = [r.status for r in result.items]
    assert status == ["wrong", "invalid", "blank"]
    assert result.right == 0 and result.score == 0 and result.answered == 1
    assert f"应当是“{first.answer}”" in result.items[0].message
    assert "甲类 A、乙类 B" in result.items[1].message
    assert any("7" in p and "1 到 3" in p for p in result.problems)
    assert f"把“{first.answer}”当成了“{wrong}”" in result.summary
    assert "1 条没有作答" in result.summary and "不在选项里" in result.summary
    assert result.items[0].why == first.why


def test_a_list_of_answers_counts_from_one_and_nothing_answered_says_so():
    ex = parse(_small(), "chk_demo")
    result = check(ex, [i.answer for i in ex.items])
    assert result.right == 3
    empty = check(ex, {})
    assert empty.right == 0 and "还没有作答" in empty.summary
    with pytest.raises(ExerciseError, match="答案要写成"):
        check(ex, "甲类 A")


def test_the_score_follows_the_share_right():
    ex = parse(_small(), "chk_demo")
    answers = {i.number: i.answer for i in ex.items[:2]}
    result = check(ex, answers)
    assert result.right == 2 and result.score == round(200 / 3)
    assert f"{result.right} / {result.total}" in result.score_line
    assert 'data-right="2"' in result._repr_html_()
    # the explanation of an item not yet answered would give its answer away
    assert "讲解：" not in str(result) and ex.items[2].why not in result._repr_html_()
    third = ex.items[2]
    wrong = next(c for c in ex.categories if c != third.answer)
    answers[third.number] = wrong
    shown = str(check(ex, answers))
    assert shown.count("讲解：") == 1 and third.why in shown  # a wrong item gets it again


def test_an_unknown_exercise_is_a_chinese_message_alone_in_the_learner_kernel():
    with pytest.raises(ExerciseError) as err:
        load("chk_no_such")
    message = explain_error(err.value)
    assert message == str(err.value) and "chk_no_such" in message and CJK.search(message)
    with pytest.raises(ExerciseError):
        check("chk_no_such", {1: "甲"})
    with pytest.raises(ExerciseError, match="第 9 条不存在"):
        parse(_small(), "chk_demo").item(9)
