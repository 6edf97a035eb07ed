"""Model dialogues: good and bad versions of the customer FAQs and the hard cases, every staff
turn annotated with what it does (the three layers, the techniques, the 22 strategies, the
process steps) or which mistake it makes (禁语, the twenty wrong ways).

Inside: :mod:`~course.dialogues.model` (the dialogue), :mod:`~course.dialogues.catalog` (loading
and checking ``course/data/dialogues/``, numbers filled from the local profile and its tariff),
:mod:`~course.dialogues.coaching` (the reply coach on every staff turn) and
:mod:`~course.dialogues.render` (HTML and plain text).

>>> from course import dialogues
>>> d = dialogues.load("faq_price_hike")
>>> d.group, 8 <= len(d.good.turns) <= 12
('faq', True)
"""

from course.dialogues.catalog import dialogue_ids, load
from course.dialogues.coaching import check_with_coach, passes
from course.dialogues.model import CoachCheck, Dialogue, DialogueError, Tag, Turn, Version
from course.dialogues.render import DialogueView, StrategyCards, strategy_cards
from course.dialogues.show import show_dialogue

__all__ = [
    "CoachCheck",
    "Dialogue",
    "DialogueError",
    "DialogueView",
    "StrategyCards",
    "Tag",
    "Turn",
    "Version",
    "check_with_coach",
    "dialogue_ids",
    "load",
    "passes",
    "show_dialogue",
    "strategy_cards",
]
