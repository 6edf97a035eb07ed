"""What assignments call: show the learner's variant; the answers the hidden tests expect."""

from __future__ import annotations

import re

from course.itembank.bank import ItemBankError
from course.itembank.variants import Variant, variant

__all__ = ["answer", "best", "describe", "hint", "letter", "letters", "model_reply", "sequence", "show"]


def show(ref: str, attempt: int = 0) -> Variant:
    """The current learner's variant of ``ref``, to display as a notebook cell's result."""
    return variant(ref, attempt=attempt)


def answer(ref: str, learner: str | None = None, attempt: int = 0) -> float:
    """The expected number for a ``bill`` or ``rollover`` item's variant."""
    v = variant(ref, learner, attempt)
    if v.answer is None:
        raise ItemBankError(f"题目 {ref} 是选择或排序题，请用 letter() / letters() / sequence()。")
    return v.answer


def hint(ref: str, learner: str | None = None, attempt: int = 0) -> str:
    """The item's hint, filled with the learner's numbers."""
    return variant(ref, learner, attempt).hint


def letter(ref: str, correct: str, learner: str | None = None) -> str:
    """The letter this learner sees option ``correct`` under (choice items)."""
    return variant(ref, learner).letter_of(correct)


def letters(ref: str, correct: list[str] | set[str] | tuple[str, ...],
            learner: str | None = None) -> set[str]:
    """The set of letters of the options ``correct`` (multiple-choice items)."""
    v = variant(ref, learner)
    return {v.letter_of(c) for c in correct}


def sequence(ref: str, order: list[str] | tuple[str, ...], learner: str | None = None) -> list[str]:
    """The letters, in the right order, of the steps ``order`` (ordering items)."""
    v = variant(ref, learner)
    return [v.letter_of(s) for s in order]


def best(ref: str, learner: str | None = None, attempt: int = 0) -> str:
    """The letter of the best decision of a ``drill`` item's variant."""
    v = variant(ref, learner, attempt)
    if not v.right:
        raise ItemBankError(f"题目 {ref} 不是危机演练决策题。")
    return v.letter_of(v.right)


def model_reply(ref: str, learner: str | None = None, attempt: int = 0) -> str:
    """A model rewrite of a ``rewrite`` item's variant (the good moves of the same role-play)."""
    v = variant(ref, learner, attempt)
    if v.kind != "rewrite":
        raise ItemBankError(f"题目 {ref} 不是改写题。")
    return str(v.params["model"])


def describe(ref: str, width: int = 30) -> str:
    """``ref`` for a trainer: its skill and the start of its question (a sample variant)."""
    from course.itembank.bank import get_item

    try:
        item = get_item(ref)
        text = re.sub(r"\*\*|\s+", "", variant(ref, "示例学员").text)
    except (ItemBankError, OSError, KeyError, ValueError):
        return ref
    text = text if len(text) <= width else text[:width] + "…"
    return f"【{item.skill}】{text}" if item.skill else text
