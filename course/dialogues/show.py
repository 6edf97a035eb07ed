"""What a lesson calls to show one model dialogue."""

from __future__ import annotations

from course.dialogues.catalog import load
from course.dialogues.coaching import check_with_coach
from course.dialogues.render import DialogueView

__all__ = ["show_dialogue"]


def show_dialogue(dialogue_id: str, *, coach: bool = True) -> DialogueView:
    """A dialogue for a lesson: good and bad side by side, with the reply coach's verdict on each
    staff turn (``coach=False`` leaves it out)."""
    d = load(dialogue_id)
    return DialogueView(d, check_with_coach(d) if coach else ())
