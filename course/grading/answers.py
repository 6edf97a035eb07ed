"""Graded answers as plain data: how they leave a learner's kernel and reach the hidden tests.

``course grade`` never runs hidden tests where learner code ran. In the learner's kernel, each
test cell is replaced by a *snapshot* cell that calls :func:`emit`: it encodes the answer
variables the test reads (numbers, text, lists, tuples, sets, dicts of those) as JSON and
displays them under :data:`MIME`. The worker reads that output back with :func:`payload`
and checks it with :func:`validate`; the tests then run in a fresh interpreter on values
rebuilt by :func:`decode`. Anything else a learner leaves in a variable (a function, an object
with a home-made ``__eq__``, a NumPy array) becomes an :class:`UnsupportedAnswer`, which no
check accepts; a variable that does not exist becomes :data:`MISSING`.

Nothing a learner does in the kernel can change what :func:`decode` builds beyond choosing
their own answers: the payload is plain JSON, parsed outside the kernel, with limits on size
and depth.

>>> sorted(decode(encode({"B", "A"})))
['A', 'B']
>>> decode(encode([1, 2.5, "三", None, (True,)]))
[1, 2.5, '三', None, (True,)]
>>> decode(encode(lambda: 1))
UnsupportedAnswer('function')
"""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = [
    "MAX_DEPTH",
    "MAX_ITEMS",
    "MAX_PAYLOAD_CHARS",
    "MAX_TEXT_CHARS",
    "MIME",
    "MISSING",
    "AnswerDataError",
    "MissingAnswer",
    "UnsupportedAnswer",
    "decode",
    "emit",
    "encode",
    "payload",
    "snapshot_source",
    "type_name",
    "validate",
]

#: MIME type of the snapshot output (never shown to anyone; the worker removes it).
MIME = "application/vnd.water-course.answers+json"
MAX_PAYLOAD_CHARS = 2_000_000
MAX_TEXT_CHARS = 200_000
MAX_ITEMS = 20_000
MAX_DEPTH = 12

_TYPE_NAMES = {"function": "函数", "module": "模块", "ndarray": "NumPy 数组", "DataFrame": "表格",
               "Series": "数据列", "type": "类型", "ellipsis": "省略号 ...", "bytes": "字节串",
               "complex": "复数", "range": "range"}


class AnswerDataError(ValueError):
    """A snapshot payload is not valid answer data (the message is Chinese)."""


class UnsupportedAnswer:
    """A learner variable of a kind the grader does not take as an answer."""

    __slots__ = ("type",)

    def __init__(self, type_: str) -> None:
        self.type = type_

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return hash(("UnsupportedAnswer", self.type))

    def __repr__(self) -> str:
        return f"UnsupportedAnswer({self.type!r})"


class MissingAnswer:
    """A variable a test reads that did not exist in the learner's kernel."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = MissingAnswer()


def type_name(value: Any) -> str:
    """Chinese name of a value's kind, for messages (``数字``, ``文字`` …)."""
    if isinstance(value, UnsupportedAnswer):
        return _TYPE_NAMES.get(value.type, value.type)
    if isinstance(value, bool):
        return "真假值（True/False）"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, tuple):
        return "元组"
    if isinstance(value, set | frozenset):
        return "集合"
    if isinstance(value, dict):
        return "字典"
    if value is None:
        return "None（还没有作答）"
    name = type(value).__name__
    return _TYPE_NAMES.get(name, name)


# --------------------------------------------------------------------------- in the learner kernel


def encode(value: Any, _depth: int = 0) -> Any:
    """JSON-ready form of ``value``; subclasses of the plain types count as their base type."""
    if value is None or type(value) is bool:
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        number = int.__index__(value)
        return number if abs(number) < 10**300 else {"$": "unsupported", "type": "int"}
    if isinstance(value, float):
        x = float.__float__(value)
        return x if math.isfinite(x) else {"$": "float", "v": repr(x)}
    if isinstance(value, str):
        return str.__str__(value)
    if _depth >= MAX_DEPTH:
        return {"$": "unsupported", "type": "nested"}
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        if isinstance(value, set | frozenset):
            try:
                items = sorted(items, key=repr)
            except Exception:  # an odd item's repr: keep iteration order
                items = list(value)
        coded = [encode(v, _depth + 1) for v in items[:MAX_ITEMS + 1]]
        if isinstance(value, list):
            return coded
        kind = "tuple" if isinstance(value, tuple) else (
            "frozenset" if isinstance(value, frozenset) else "set")
        return {"$": kind, "v": coded}
    if isinstance(value, dict):
        pairs = list(dict.items(value))[:MAX_ITEMS + 1]
        return {"$": "dict", "v": [[encode(k, _depth + 1), encode(v, _depth + 1)] for k, v in pairs]}
    return {"$": "unsupported", "type": type(value).__name__[:40]}


def emit(namespace: dict[str, Any], names: list[str], token: str) -> None:
    """Display the variables ``names`` of ``namespace`` as one snapshot output."""
    from IPython.display import display

    values = {}
    for name in names:
        if name in namespace:
            try:
                values[name] = encode(namespace[name])
            except Exception:  # a hostile object: it is no answer
                values[name] = {"$": "unsupported", "type": "object"}
        else:
            values[name] = {"$": "missing"}
    display({MIME: {"token": token, "answers": values}}, raw=True)


def snapshot_source(names: list[str], token: str) -> str:
    """The source of the snapshot cell that stands in for a test cell in the learner's kernel."""
    return ("__import__('course.grading.answers', fromlist=['emit']).emit("
            f"globals(), {sorted(names)!r}, {token!r})")


# --------------------------------------------------------------------------- outside the kernel


def payload(outputs: list[dict[str, Any]], token: str) -> dict[str, Any] | None:
    """The answers of a snapshot cell's outputs, or ``None`` when it produced no valid snapshot."""
    found = None
    for out in outputs:
        data = out.get("data") if isinstance(out, dict) else None
        if not isinstance(data, dict) or MIME not in data:
            continue
        body = data[MIME]
        if isinstance(body, str):
            if len(body) > MAX_PAYLOAD_CHARS:
                return None
            try:
                body = json.loads(body)
            except ValueError:
                return None
        if isinstance(body, dict) and body.get("token") == token:
            found = body.get("answers")
    return found if isinstance(found, dict) else None


def validate(answers: Any) -> dict[str, Any]:
    """Check a snapshot's answers (names → encoded values); raises :class:`AnswerDataError`."""
    if not isinstance(answers, dict):
        raise AnswerDataError("答案数据不是名称到取值的对应表。")
    text = json.dumps(answers, ensure_ascii=False)
    if len(text) > MAX_PAYLOAD_CHARS:
        raise AnswerDataError(f"答案数据过大（{len(text)} 个字符，上限 {MAX_PAYLOAD_CHARS}）。")
    for name, value in answers.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise AnswerDataError("答案数据里有不合法的变量名。")
        decode(value)
    return answers


def decode(value: Any, _depth: int = 0, _count: list[int] | None = None) -> Any:
    """Rebuild a value from :func:`encode`'s form; raises :class:`AnswerDataError` when malformed."""
    count = _count if _count is not None else [0]
    count[0] += 1
    if count[0] > MAX_ITEMS or _depth > MAX_DEPTH + 1:
        raise AnswerDataError("答案数据的元素太多或嵌套太深。")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AnswerDataError("答案数据里有不合法的数字。")
        return value
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            raise AnswerDataError("答案里的文字太长。")
        return value
    if isinstance(value, list):
        return [decode(v, _depth + 1, count) for v in value]
    if isinstance(value, dict) and isinstance(value.get("$"), str):
        kind = value["$"]
        if kind == "missing":
            return MISSING
        if kind == "unsupported":
            return UnsupportedAnswer(str(value.get("type", "object"))[:40])
        if kind == "float":
            text = value.get("v")
            if text not in ("nan", "inf", "-inf"):
                raise AnswerDataError("答案数据里有不合法的数字。")
            return float(text)
        items = value.get("v")
        if not isinstance(items, list):
            raise AnswerDataError("答案数据格式不对。")
        if kind == "tuple":
            return tuple(decode(v, _depth + 1, count) for v in items)
        if kind in ("set", "frozenset"):
            members = [decode(v, _depth + 1, count) for v in items]
            try:
                return set(members) if kind == "set" else frozenset(members)
            except TypeError:
                raise AnswerDataError("集合里有不能放进集合的元素。") from None
        if kind == "dict":
            out = {}
            for pair in items:
                if not isinstance(pair, list) or len(pair) != 2:
                    raise AnswerDataError("答案数据格式不对。")
                key = decode(pair[0], _depth + 1, count)
                try:
                    out[key] = decode(pair[1], _depth + 1, count)
                except TypeError:
                    raise AnswerDataError("字典里有不能作键的元素。") from None
            return out
    raise AnswerDataError("答案数据格式不对。")
