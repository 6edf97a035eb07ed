"""Thin ipywidgets front-ends over the engines (imported lazily: ipywidgets is heavy).

>>> from course.widgets import BillCalculator  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["ActionPlan", "BillCalculator", "BreathingPacer", "CrisisDrill", "ObserverSheet", "Poll",
           "PracticeItem", "ResponseDrafter", "ScenarioPlayer", "SortingExercise", "StationScoreSheet", "ThoughtJournal"]

_MODULES = {
    "BillCalculator": "bill_calculator",
    "ResponseDrafter": "response_drafter",
    "ScenarioPlayer": "scenario_player",
    "CrisisDrill": "crisis_drill",
    "SortingExercise": "sorting",
    "PracticeItem": "practice",
    "BreathingPacer": "breathing",
    "ThoughtJournal": "thought_journal",
    "ObserverSheet": "observer",
    "Poll": "classroom",
    "ActionPlan": "classroom",
    "StationScoreSheet": "station_score",
}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(import_module(f"{__name__}.{_MODULES[name]}"), name)
    raise AttributeError(name)
