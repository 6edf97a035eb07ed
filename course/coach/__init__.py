"""The reply coach: an explainable review of a drafted Chinese reply to a complaint.

Inside: :mod:`~course.coach.rules` (the rule tables compiled from ``course/data/coach/``),
:mod:`~course.coach.analysis` (what a reply does), :mod:`~course.coach.model` (the review and its
presentation), :mod:`~course.coach.knowledge` (checklists and customer psychology) and
:mod:`~course.coach.eval` (metrics against a labelled corpus).

>>> from course.coach import review
>>> [f.rule for f in review("公司的规定就是这样的，你爱交不交。").forbidden]
['rule_shield', 'rude']
"""

from course.coach.analysis import (
    get_scenario,
    list_forbidden_rules,
    list_scenarios,
    list_techniques,
    review,
    rubric,
)
from course.coach.model import CoachError, Finding, Review, Sentence

__all__ = [
    "CoachError",
    "Finding",
    "Review",
    "Sentence",
    "get_scenario",
    "list_forbidden_rules",
    "list_scenarios",
    "list_techniques",
    "review",
    "rubric",
]
