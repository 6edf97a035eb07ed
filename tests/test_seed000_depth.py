"""Seed 000 depth-3 practice (issue 15 §2, part A): the new self-checks, sorting exercises and the
walkthrough renderer that lets the syllabus checker see worked examples."""

from __future__ import annotations

import pytest

from course import exercises
from course.grading.selfcheck import check
from course.syllabus.shown import shown_text

SELF_CHECKS = {
    "intro_learning": ("B", "A"),
    "intro_environment": ("A", "B"),
    "intro_drivers": ("A,B,D", "A,B,C,D"),
    "ch1_unsolved": ("A,B,D", "C"),
    "faq_three_tiers": ("B", "C"),
    "faq_other_estate": ("C", "A"),
    "faq_saving_excuse": ("A", "B"),
    "faq_two_schemes": ("B", "A"),
    "ch4_channels": ("A,B,C,D", "A,B,C,D,E"),
    "ch4_prevent": ("B", "C"),
}


@pytest.mark.parametrize("key", sorted(SELF_CHECKS))
def test_self_check_accepts_the_answer_and_rejects_a_wrong_one(key):
    right, wrong = SELF_CHECKS[key]
    assert check(f"seed000_depth.{key}", right).correct
    result = check(f"seed000_depth.{key}", wrong)
    assert not result.correct and result.hint


@pytest.mark.parametrize("exercise_id, categories", [
    ("seed000_wrong_ways", 9), ("seed000_why_difficult", 5),
    ("seed000_strategies", 8), ("seed000_hard_complaints", 5),
])
def test_every_category_of_the_new_sorting_exercises_is_practised(exercise_id, categories):
    ex = exercises.load(exercise_id)
    assert len(ex.categories) == categories
    assert {item.answer for item in ex.items} == set(ex.categories)


def test_a_walkthrough_cell_shows_its_worked_example_to_the_syllabus_checker():
    text = shown_text('walkthrough("routine_steps")')
    assert "水费一下子翻倍，换了谁都着急" in text
    assert shown_text("walkthroughs_list()") == ""
