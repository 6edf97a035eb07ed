"""Worked examples of the chapter 2 checklists (course.coach.walkthrough)."""

from __future__ import annotations

import copy
import re

import pytest

from course import local
from course._data import load_yaml
from course.coach import review
from course.coach.knowledge import checklist
from course.coach.model import CoachError
from course.coach.walkthrough import FILE, parse_walkthroughs, walkthrough, walkthrough_ids

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_five_checklist_only_lists_have_a_worked_example():
    assert set(walkthrough_ids()) >= {"true_purpose", "routine_steps", "principles", "habits",
                                      "fifteen_actions"}


@pytest.mark.parametrize("list_id", walkthrough_ids())
def test_a_worked_example_walks_every_item_of_its_checklist_in_order(list_id):
    w = walkthrough(list_id)
    assert [s.item for s in w.steps] == [i.name for i in checklist(list_id).items]
    assert [s.number for s in w.steps] == list(range(1, len(w.steps) + 1))
    assert all(s.staff and s.why for s in w.steps)
    html = w._repr_html_()
    assert html.count('class="course-walkthrough-step"') == len(w.steps)
    assert "{本地." not in html and "{本地." not in str(w)


@pytest.mark.parametrize("list_id", walkthrough_ids())
def test_what_staff_say_in_the_examples_has_no_forbidden_phrase(list_id):
    spoken = [s.staff for s in walkthrough(list_id).steps if s.staff.startswith("“")]
    assert spoken
    for line in spoken:
        assert [f.excerpt for f in review(line).forbidden] == [], line


def test_local_facts_come_from_the_local_profile():
    profile = local.current()
    text = str(walkthrough("routine_steps"))
    assert profile.text("hotline.number") in text
    assert f"大约 {profile.text('meter_test.days')} 天" in text
    swapped = parse_walkthroughs(load_yaml(FILE), fill=lambda t: t.replace("{本地.hotline.number}",
                                                                           "12345"))
    assert "12345" in str(swapped["routine_steps"])


def _data():
    return copy.deepcopy(load_yaml(FILE))


@pytest.mark.parametrize("breaks, field", [
    (lambda d: d["walkthroughs"]["routine_steps"]["steps"].reverse(), "item"),
    (lambda d: d["walkthroughs"]["routine_steps"]["steps"].pop(), "steps"),
    (lambda d: d["walkthroughs"]["routine_steps"]["steps"][0].update(why=" "), "why"),
    (lambda d: d["walkthroughs"]["routine_steps"]["steps"][0].update(staff="打 {本地.no_such}"),
     "staff"),
    (lambda d: d["walkthroughs"].update(no_such_list={"title": "x", "scene": "y", "steps": []}),
     "no_such_list"),
])
def test_a_wrong_walkthrough_file_names_the_file_and_field(breaks, field):
    data = _data()
    breaks(data)
    with pytest.raises(CoachError) as err:
        parse_walkthroughs(data)
    assert FILE in str(err.value) and field in str(err.value) and CJK.search(str(err.value))


def test_a_list_without_an_example_gets_a_chinese_message():
    with pytest.raises(CoachError, match="没有示例"):
        walkthrough("no_such_list")
