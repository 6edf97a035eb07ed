"""Practice mode: check a typed answer against a practice variant, and give the next one.

Practice variants start at attempt :data:`FIRST` so they never coincide with the graded variant
(attempt 0) of the same item: practising shows how to solve the question, not the graded answer.
Typed answers are read as a learner with a Chinese input method types them (full-width digits,
letters and punctuation; ``{A，C}``; ``[B、D、A、C]``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from course.itembank.bank import ItemBankError
from course.itembank.variants import Variant, variant

__all__ = ["FIRST", "PracticeResult", "check_practice", "practice_variant"]

FIRST = 1000
_LETTERS = re.compile(r"[A-H]")


@dataclass(frozen=True)
class PracticeResult:
    """The verdict on one typed answer, in Chinese."""

    correct: bool
    message: str
    valid: bool = True


def practice_variant(ref: str, attempt: int, learner: str | None = None) -> Variant:
    """The ``attempt``-th practice variant of ``ref`` (0-based) for the current learner."""
    return variant(ref, learner, FIRST + max(0, int(attempt)))


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().upper()
    return text.replace("。", ".").replace("，", ",").replace("、", ",")


def check_practice(v: Variant, typed: str, right: object = None) -> PracticeResult:
    """Check ``typed`` against practice variant ``v``.

    ``right`` is the right option id (choice), ids (multi) or ids in order (order); numeric items
    carry their own answer.
    """
    text = _plain(typed)
    if not text:
        return PracticeResult(False, "还没有填答案：在框里写上你的答案，再点“检查”。", valid=False)
    if v.kind == "rewrite":
        raise ItemBankError(f"题目 {v.ref} 是改写题：请在回复教练（ResponseDrafter）里练习改写。")
    if v.kind == "drill":
        right = v.right
    if v.answer is not None:
        cleaned = re.sub(r"(元/立方米|元/方|元每立方米|元|立方米|方|M3|M³)$", "", text).strip()
        try:
            value = float(cleaned)
        except ValueError:
            return PracticeResult(False, f"“{typed}”不是一个数：只写数字，例如 73.2（不写单位）。",
                                  valid=False)
        if abs(value - v.answer) <= 0.01:
            unit = {"bill": "元", "rollover": "立方米"}.get(
                v.kind, "元/立方米" if v.params.get("ask") == "marginal" else "立方米")
            return PracticeResult(True, f"答对了！正是 {v.answer:g} {unit}。点“换一题”再练一道。")
        return PracticeResult(False, f"还不对。{v.hint or '再算一遍，检查每一档的水量。'}")
    letters = _LETTERS.findall(text)
    shown = [letter for letter, _, _ in v.options]
    if not letters or any(x not in shown for x in letters):
        return PracticeResult(False, f"只能写选项里的字母（{'、'.join(shown)}）。", valid=False)
    if v.kind in ("choice", "drill"):
        if len(letters) != 1:
            return PracticeResult(False, "这是单选题，只写一个字母。", valid=False)
        ok = letters[0] == v.letter_of(str(right))
    elif v.kind == "multi":
        ok = set(letters) == {v.letter_of(r) for r in (right or ())}
    elif v.kind == "order":
        if sorted(letters) != sorted(shown):
            return PracticeResult(False, f"排序题要把 {'、'.join(shown)} 每个字母各写一次。",
                                  valid=False)
        ok = letters == [v.letter_of(r) for r in (right or ())]
    else:  # pragma: no cover - the bank has no other kinds
        raise ItemBankError(f"题目 {v.ref} 不能用来练习。")
    if ok:
        return PracticeResult(True, "答对了！点“换一题”再练一道。")
    return PracticeResult(False, f"还不对。{v.hint or '再读一遍题目和每个选项。'}")
