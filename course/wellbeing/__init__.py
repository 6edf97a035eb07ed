"""Looking after the people who handle hard customers: paced breathing, a pair debrief card,
and the after-care protocol for staff after threats or abuse.

Inside: :mod:`~course.wellbeing.model` (the objects), :mod:`~course.wellbeing.catalog` (reading
``course/data/wellbeing/``), :mod:`~course.wellbeing.breathing` (what a breathing pacer shows at
each moment) and :mod:`~course.wellbeing.render` (printable HTML).

>>> from course import wellbeing
>>> p = wellbeing.breathing_pattern()
>>> p.total_seconds, wellbeing.step_at(p, 0).label
(36, '吸气')
>>> [s.title for s in wellbeing.aftercare().stages]
['报告与留证', '先休息', '心理疏导', '跟进']
"""

from course.wellbeing.breathing import TICKS_PER_SECOND, BreathStep, step_at, total_ticks
from course.wellbeing.catalog import (
    aftercare,
    breathing_pattern,
    breathing_patterns,
    debrief_card,
    parse_aftercare,
    parse_breathing,
    parse_debrief,
)
from course.wellbeing.model import (
    AftercareProtocol,
    AftercareStage,
    AftercareStep,
    BreathPattern,
    BreathPhase,
    DebriefCard,
    DebriefQuestion,
    Source,
    WellbeingError,
)

__all__ = [
    "TICKS_PER_SECOND",
    "AftercareProtocol",
    "AftercareStage",
    "AftercareStep",
    "BreathPattern",
    "BreathPhase",
    "BreathStep",
    "DebriefCard",
    "DebriefQuestion",
    "Source",
    "WellbeingError",
    "aftercare",
    "breathing_pattern",
    "breathing_patterns",
    "debrief_card",
    "parse_aftercare",
    "parse_breathing",
    "parse_debrief",
    "step_at",
    "total_ticks",
]
