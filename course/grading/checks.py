"""Assertions for nbgrader test cells whose failure messages teach (type → range → value).

Visible tests check the form of an answer (a number in a sensible range, one of the offered
letters); hidden tests check the value without printing it. Messages are Chinese and never reveal
the expected answer. Nothing here writes to stdout or stderr (nbgrader scores a test cell that
writes to stderr as 0).

Answers go through :func:`course.fullwidth.normalize_answer` first (the normalisation the
self-checks use too), so a full-width ``"Ｂ"`` is the choice ``B`` everywhere. The values the
checks return (the normalised letter, set or list) display nothing when a cell ends with them,
so a format check never echoes the learner's answer back.

>>> expect_number(1040, "bill_a", minimum=0)
>>> expect_choice("Ｂ", "q3_choice", "ABCD")
'B'
"""

from __future__ import annotations

import importlib
import math
import sys
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import Any

from course.fullwidth import normalize_answer

__all__ = [
    "AnswerError",
    "expect_choice",
    "expect_choices",
    "expect_close",
    "expect_number",
    "expect_order",
    "expect_same",
    "expect_text",
    "fresh_module",
]


class AnswerError(AssertionError):
    """A learner's answer failed a check; the message is Chinese and says what to do."""


def _fail(message: str) -> None:
    raise AnswerError(message)


class _Quiet:
    """Mixin: a checked value that shows nothing when it ends a notebook cell."""

    def _ipython_display_(self) -> None:
        return None


class QuietStr(_Quiet, str):
    """A normalised text answer (displays nothing)."""


class QuietList(_Quiet, list):
    """A normalised ordered answer (displays nothing)."""


class QuietSet(_Quiet, set):
    """A normalised set of letters (displays nothing)."""


def _type_name(value: Any) -> str:
    from course.grading.answers import type_name

    return type_name(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def expect_number(
    value: Any, name: str, *, minimum: float | None = None, maximum: float | None = None
) -> None:
    """The answer is a finite number (not text, not None) within the given range."""
    if value is None or value is Ellipsis:
        _fail(f"{name} 还没有填写：把 None 换成你算出的数字，例如 {name} = 123.45")
    if isinstance(value, str):
        _fail(f"{name} 应该是数字，不要加引号或单位：写成 {name} = 123.45，而不是 \"123.45元\"")
    if not _is_number(value):
        _fail(f"{name} 应该是一个数字，现在是{_type_name(value)}。")
    if not math.isfinite(float(value)):
        _fail(f"{name} 应该是一个有限的数字。")
    if minimum is not None and value < minimum:
        _fail(f"{name} 不应小于 {minimum:g}：请检查是否填反或漏算。")
    if maximum is not None and value > maximum:
        _fail(f"{name} 不应大于 {maximum:g}：请检查单位和计算步骤。")


def expect_close(value: Any, expected: float, name: str, *, tol: float = 0.01, hint: str = "") -> None:
    """The answer equals ``expected`` within ``tol`` (the expected value is never printed)."""
    expect_number(value, name)
    if abs(float(value) - float(expected)) > tol:
        _fail(f"{name} 的数值不正确。{hint}".strip())


def expect_choice(value: Any, name: str, options: Iterable[str]) -> str:
    """The answer is one of the offered option letters; returns it normalised (upper case)."""
    allowed = [str(o).upper() for o in options]
    if value is None:
        _fail(f"{name} 还没有作答：填一个选项字母，例如 {name} = {allowed[0]}")
    if not isinstance(value, str):
        _fail(f"{name} 应该是一个选项字母，例如 {name} = {allowed[0]}；现在是{_type_name(value)}。")
    letter = normalize_answer(value).upper()
    if letter not in allowed:
        _fail(f"{name} 只能是 {'、'.join(allowed)} 之一，现在是“{value}”。")
    return QuietStr(letter)


def expect_choices(value: Any, name: str, options: Iterable[str]) -> set[str]:
    """The answer is a collection of option letters (multiple answers); returns them as a set."""
    allowed = [str(o).upper() for o in options]
    example = f"{{{allowed[0]}, {allowed[-1]}}}"
    if value is None:
        _fail(f"{name} 还没有作答：写成 {name} = {example} 这样的集合。")
    if isinstance(value, str):
        value = [c for c in normalize_answer(value) if not c.isspace() and c not in ",，、"]
    if not isinstance(value, set | list | tuple | frozenset):
        _fail(f"{name} 应该是选项字母的集合，例如 {name} = {example}；现在是{_type_name(value)}。")
    letters = {normalize_answer(str(v)).upper() for v in value}
    wrong = sorted(letters - set(allowed))
    if wrong:
        _fail(f"{name} 里有不存在的选项：{'、'.join(wrong)}；可选的是 {'、'.join(allowed)}。")
    return QuietSet(letters)


def expect_order(value: Any, name: str, items: Sequence[str]) -> list[str]:
    """The answer is a permutation of ``items`` (letters or numbers as text); returns it."""
    expected_set = sorted(str(i).upper() for i in items)
    example = "[" + ", ".join(str(i) for i in items) + "]"
    if value is None:
        _fail(f"{name} 还没有作答：按顺序写出全部 {len(items)} 项，例如 {name} = {example}")
    if isinstance(value, str):
        value = [c for c in normalize_answer(value) if not c.isspace() and c not in ",，、"]
    if not isinstance(value, list | tuple):
        _fail(f"{name} 应该是按顺序排列的列表，例如 {name} = {example}；现在是{_type_name(value)}。")
    got = [normalize_answer(str(v)).upper() for v in value]
    if sorted(got) != expected_set:
        _fail(f"{name} 必须把 {'、'.join(sorted(set(expected_set)))} 每项恰好写一次。")
    return QuietList(got)


def expect_text(value: Any, name: str, *, min_chars: int = 10, max_chars: int = 2000) -> str:
    """The answer is a Chinese text of reasonable length; returns it stripped."""
    if value is None:
        _fail(f"{name} 还没有作答：把 None 换成用引号括起来的一段话。")
    if not isinstance(value, str):
        _fail(f"{name} 应该是用引号括起来的一段文字；现在是{_type_name(value)}。")
    text = QuietStr(value.strip())
    if len(text) < min_chars:
        _fail(f"{name} 太短了：至少写 {min_chars} 个字。")
    if len(text) > max_chars:
        _fail(f"{name} 太长了：请控制在 {max_chars} 个字以内。")
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        _fail(f"{name} 应该用中文作答。")
    return text


def expect_same(value: Any, expected: Any, name: str, *, hint: str = "") -> None:
    """A normalised answer (letter, set of letters, ordered list) equals the key (not printed)."""
    if normalize_answer(value) != normalize_answer(expected):
        _fail(f"{name} 不正确。{hint}".strip())


#: Packages whose modules :func:`fresh_module` executes again from their files.
FRESH_PACKAGES = ("course.tariff", "course.local", "course.coach", "course.roleplay", "course.crisis",
                  "course.itembank", "course.grading.reply_checks")


def _fresh_scope(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in FRESH_PACKAGES)


def fresh_module(name: str) -> ModuleType:
    """A fresh copy of a course engine module, executed again from its files.

    The engine packages' modules are taken out of ``sys.modules`` while ``name`` is imported, so
    the copy and the engine modules it imports are new objects that a learner's monkeypatch in
    the same kernel has not touched; ``sys.modules`` is then put back as it was. The fresh
    copies are kept for the rest of the process (each engine file runs at most twice per
    kernel), and parsed data (``course._data``) is shared. ``course grade`` does not depend on
    this: it runs hidden tests in an interpreter the learner's code never ran in (see
    :mod:`course.grading.testrun`), where this returns the loaded module. It only keeps honest
    mistakes out of stock ``nbgrader autograde``; it is no defence against deliberate attacks
    there.
    """
    if name != "course" and not name.startswith("course."):
        raise ValueError("fresh_module only loads course modules")
    if CLEAN_INTERPRETER or not _fresh_scope(name):
        return importlib.import_module(name)
    if name in _FRESH:
        return _FRESH[name]
    saved = {k: m for k, m in sys.modules.items() if _fresh_scope(k)}
    bound = {k: getattr(sys.modules.get(k.rpartition(".")[0]), k.rpartition(".")[2], None)
             for k in saved}
    for key in saved:
        del sys.modules[key]
    sys.modules.update(_FRESH)
    try:
        return importlib.import_module(name)
    finally:
        for key in [k for k in sys.modules if _fresh_scope(k)]:
            _FRESH[key] = sys.modules.pop(key)
        sys.modules.update(saved)
        for key, value in bound.items():  # the import bound the fresh copies on their parents
            parent = sys.modules.get(key.rpartition(".")[0])
            if parent is not None and value is not None:
                setattr(parent, key.rpartition(".")[2], value)


_FRESH: dict[str, ModuleType] = {}


#: Set by the clean test interpreter of ``course grade`` (nothing else ran there).
CLEAN_INTERPRETER = False
