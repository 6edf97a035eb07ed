"""Crisis drills: an incident unfolds on a simulated clock and the learner decides at checkpoints.

Inside: :mod:`~course.crisis.model` (incidents, checkpoints, options and drill results, read from
``course/data/incidents/``), :mod:`~course.crisis.rubric` (the statement rubric),
:mod:`~course.crisis.drill` (running a drill) and :mod:`~course.crisis.charts`.

>>> from course import crisis
>>> crisis.start("meter_replacement").state.checkpoint.id
'first_response'
"""

from course.crisis.drill import CHANNELS, Drill, briefing, replay, start
from course.crisis.model import (
    OUTCOMES,
    Checkpoint,
    Debrief,
    Decision,
    DrillState,
    Incident,
    Option,
    TimelineEntry,
    incident,
    incidents,
)
from course.crisis.rubric import CrisisError, StatementReview, review_statement

__all__ = [
    "CHANNELS",
    "OUTCOMES",
    "Checkpoint",
    "CrisisError",
    "Debrief",
    "Decision",
    "Drill",
    "DrillState",
    "Incident",
    "Option",
    "StatementReview",
    "TimelineEntry",
    "briefing",
    "incident",
    "incidents",
    "replay",
    "review_statement",
    "start",
]
