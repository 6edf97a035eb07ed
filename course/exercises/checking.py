"""Checking a learner's sorting: per-item verdicts with the explanation, a score, what to do next."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from course.exercises.catalog import load, normalize
from course.exercises.model import (
    BLANK,
    INVALID,
    RIGHT,
    WRONG,
    Exercise,
    ExerciseError,
    ItemResult,
    Result,
)

__all__ = ["check"]


def _number(key: Any) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    if isinstance(key, str):
        text = unicodedata.normalize("NFKC", key).strip().removeprefix("第").removesuffix("条")
        return int(text) if text.isdigit() else None
    return None


def _collect(exercise: Exercise, answers: Any) -> tuple[dict[int, Any], list[str]]:
    """The answers by item number, and Chinese notes about those that cannot be used."""
    if answers is None:
        return {}, []
    if isinstance(answers, Mapping):
        pairs = list(answers.items())
    elif isinstance(answers, Sequence) and not isinstance(answers, str):
        pairs = list(enumerate(answers, 1))
    else:
        raise ExerciseError("答案要写成 {1: \"类别\", 2: \"类别\"} 这样：条目的序号对应你选的类别。")
    out: dict[int, Any] = {}
    problems: list[str] = []
    n = len(exercise.items)
    for key, value in pairs:
        number = _number(key)
        if number is None or not 1 <= number <= n:
            problems.append(f"没有“{key}”这一条：序号只能是 1 到 {n}。")
            continue
        out[number] = value
    return out, problems


def _summary(exercise: Exercise, results: list[ItemResult]) -> str:
    total = len(results)
    right = sum(r.status == RIGHT for r in results)
    blank = sum(r.status == BLANK for r in results)
    invalid = sum(r.status == INVALID for r in results)
    wrong = [r for r in results if r.status == WRONG]
    if blank == total:
        return f"还没有作答：给每一条选一个类别（共 {total} 条），再检查。"
    parts = []
    if right == total:
        return f"全部正确（{total}/{total}）！你已经能分清这几类，可以继续往下学。"
    parts.append(f"答对 {right}/{total} 条。")
    if wrong:
        mixups = Counter((r.answer, r.given) for r in wrong).most_common(1)[0]
        (answer, given), times = mixups
        parts.append(f"最容易混的是把“{answer}”当成了“{given}”（{times} 次）——"
                     f"回头对照“{answer}”的要点，再看看答错的 {len(wrong)} 条的讲解。")
    if invalid:
        parts.append(f"有 {invalid} 条写的类别不在选项里，只能选：{'、'.join(exercise.categories)}。")
    if blank:
        parts.append(f"还有 {blank} 条没有作答。")
    parts.append("改好后再检查一次。" if right * 10 >= total * 6
                 else "建议先把上面的讲解和示例重读一遍，再改答错的条目，然后再检查一次。")
    return "".join(parts)


def check(exercise: str | Exercise, answers: Mapping[Any, Any] | Sequence[Any] | None) -> Result:
    """Check ``answers`` (item number, 1-based as shown → category text) for an exercise.

    Full-width or half-width characters, spaces and quotes around a category do not matter.
    A category that is not one of the exercise's marks that item, with a Chinese message.
    """
    ex = load(exercise) if isinstance(exercise, str) else exercise
    by_key = {normalize(c): c for c in ex.categories}
    given, problems = _collect(ex, answers)
    results: list[ItemResult] = []
    for item in ex.items:
        raw = given.get(item.number)
        key = normalize(raw) if isinstance(raw, str) else ""
        if raw is None or (isinstance(raw, str) and not key):
            status, shown = BLANK, ""
            message = "还没有选类别。"
        elif key not in by_key:
            status, shown = INVALID, str(raw).strip()
            message = f"“{shown}”不是这个练习的类别，只能选：{'、'.join(ex.categories)}。"
        elif by_key[key] == item.answer:
            status, shown = RIGHT, item.answer
            message = f"对，属于“{item.answer}”。"
        else:
            status, shown = WRONG, by_key[key]
            message = f"你选了“{shown}”，应当是“{item.answer}”。"
        results.append(ItemResult(number=item.number, text=item.text, given=shown,
                                  answer=item.answer, why=item.why, status=status,
                                  message=message))
    return Result(exercise_id=ex.id, title=ex.title, items=tuple(results),
                  problems=tuple(problems), summary=_summary(ex, results))
