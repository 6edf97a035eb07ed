"""nbgrader checks for chapter 2 answers that the reply coach grades (messages teach, in Chinese).

Hidden tests load this module with :func:`course.grading.checks.fresh_module`, and it reviews
with a fresh copy of :mod:`course.coach`, so a submission that replaced ``review`` in its kernel
cannot change the grade. Nothing here prints.
"""

from __future__ import annotations

from typing import Any

from course.grading.checks import AnswerError, expect_text, fresh_module

__all__ = ["PARTS", "expect_choice_list", "expect_forbidden_phrase", "expect_reply_part", "expect_rewrite"]


def _review(text: str, scenario: str | None = None) -> Any:
    return fresh_module("course.coach").review(text, scenario=scenario)


def expect_forbidden_phrase(value: Any, name: str, reply: str) -> None:
    """The answer is copied from ``reply`` and covers a forbidden phrase the coach finds there."""
    text = expect_text(value, name, min_chars=2, max_chars=60).strip("“”\"'‘’。，,. ")
    if text not in reply:
        raise AnswerError(f"{name} 要从回复原文里一字不差地复制出来；“{text}”不在这段回复里。")
    spans = [f.span for f in _review(reply).forbidden]
    start = reply.index(text)
    end = start + len(text)
    if not any(a < end and start < b for a, b in spans):
        raise AnswerError(f"{name}：“{text}”这部分不是禁语。再读一遍，找出会激怒客户的那句话。")


def expect_choice_list(value: Any, name: str, n: int, options: str) -> list[str]:
    """The answer is a list of ``n`` option letters (repeats allowed); returns it upper-cased."""
    allowed = [o.upper() for o in options]
    example = [allowed[k % len(allowed)] for k in range(n)]
    if value is None:
        raise AnswerError(f"{name} 还没有作答：按题目顺序写 {n} 个字母，例如 {name} = {example!r}")
    if isinstance(value, str):
        value = [c for c in value if not c.isspace() and c not in ",，、"]
    if not isinstance(value, list | tuple):
        raise AnswerError(f"{name} 应该是字母列表，例如 {name} = {example!r}")
    got = [str(v).strip().upper() for v in value]
    if len(got) != n:
        raise AnswerError(f"{name} 应该正好有 {n} 个字母（每句一个），现在有 {len(got)} 个。")
    wrong = sorted(set(got) - set(allowed))
    if wrong:
        raise AnswerError(f"{name} 里有不存在的选项：{'、'.join(wrong)}；可选的是 {'、'.join(allowed)}。")
    return got


PARTS = {
    "clean": "没有禁语和语言地雷",
    "core": "回应了这条投诉的核心问题",
    "next": "有具体的下一步（谁、做什么、什么时候）",
}


def expect_reply_part(value: Any, name: str, *, scenario: str, part: str, original: str = "",
                      min_chars: int = 30) -> None:
    """One auto-graded point of a rewritten reply: ``part`` is ``clean``, ``core`` or ``next``.

    Every part first needs a real reply: 30–600 characters, not the original, not keyword salad,
    repetition or stock phrases (which fail all three parts).
    """
    if part not in PARTS:
        raise ValueError(f"part 只能是 {'、'.join(PARTS)}，收到的是 {part!r}")
    if original and isinstance(value, str) and value.split() == original.split():
        raise AnswerError(f"{name} 和原来的回复一样：请改写它。")
    text = expect_text(value, name, min_chars=min_chars, max_chars=600)
    r = _review(text, scenario=scenario)
    if r.gaming:
        raise AnswerError(f"{name} 不像一段真正的回复：{'；'.join(r.gaming)}。请用完整的话回应客户。")
    if part == "clean" and r.forbidden:
        phrases = "、".join(f"“{f.excerpt}”（{f.name}）" for f in r.forbidden)
        raise AnswerError(f"{name} 里还有禁语或语言地雷：{phrases}。可以先用 review() 自查。")
    if part == "core" and not r.addresses_core:
        scen = fresh_module("course.coach").get_scenario(scenario)
        raise AnswerError(f"{name} 没有回应客户的核心问题：{scen.core_issue}")
    if part == "next" and not r.next_step:
        raise AnswerError(f"{name} 还缺具体的下一步：说清谁、做什么、什么时候"
                          "（例如“我今天下午五点前给您回电话”）。")


def expect_rewrite(value: Any, name: str, ref: str, part: str, attempt: int = 0) -> None:
    """One point of an item-bank rewrite: judged for *this learner's* complaint and original reply."""
    v = fresh_module("course.itembank").variant(ref, attempt=attempt)
    expect_reply_part(value, name, scenario=v.params["situation"], part=part,
                      original=v.params["original"])
