"""The role-play engine: a multi-turn complaint conversation with a customer who has a state.

Inside: :mod:`~course.roleplay.catalog` (scenarios, transition rules, strategies, escalation
levels and the safety protocol, read from ``course/data/``), :mod:`~course.roleplay.model` (the
customer's state, turns, endings and the debrief), :mod:`~course.roleplay.session` (a running
conversation) and :mod:`~course.roleplay.charts`.

>>> from course import roleplay
>>> roleplay.play("refuse_to_pay", roleplay.scripted_path("refuse_to_pay")).state.outcome
'resolved'
"""

from course.roleplay.catalog import (
    OUTCOMES,
    RoleplayError,
    Scenario,
    Strategy,
    escalation_levels,
    escalation_strategies,
    safety_never,
    safety_protocol,
    strategies,
)
from course.roleplay.model import CustomerTurn, Debrief, Ending, Line, Move, State, signal_label
from course.roleplay.session import (
    Session,
    customer_types,
    level_thresholds,
    play,
    scenario,
    scenarios,
    scripted_path,
    signals_from_review,
    start,
    strategy,
    transition_rules,
)

__all__ = [
    "OUTCOMES",
    "CustomerTurn",
    "Debrief",
    "Ending",
    "Line",
    "Move",
    "RoleplayError",
    "Scenario",
    "Session",
    "State",
    "Strategy",
    "customer_types",
    "escalation_levels",
    "escalation_strategies",
    "level_thresholds",
    "play",
    "safety_never",
    "safety_protocol",
    "scenario",
    "scenarios",
    "scripted_path",
    "signal_label",
    "signals_from_review",
    "start",
    "strategies",
    "strategy",
    "transition_rules",
]
