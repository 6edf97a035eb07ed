"""Answers typed with a Chinese input method: code cells and answer values, normalised.

A learner who types with the Chinese input method switched on writes ``“B”``, ``[“B”，“D”]``,
``４０.８``, ``（1，2）`` or ``{"A"、"C"}``. :func:`normalize_code` turns such a cell into the
Python the learner meant: outside string literals, full-width characters become their ASCII
forms (NFKC), ``、`` becomes a comma, a ``。`` between digits a decimal point (and one at the
end of a line is dropped), and curly quotes delimit strings. Text *inside* a string is left
exactly as typed, so a Chinese reply keeps its Chinese punctuation.

:func:`normalize_answer` is the one normalisation of answer values shared by the format
checks, the self-checks and the hidden tests: text is NFKC-normalised and trimmed, so ``"Ｂ "``
and ``"B"`` are the same choice everywhere.

>>> normalize_code('choice_q7 = “B”')
'choice_q7 = "B"'
>>> normalize_code('order_q10 = [“B”，“D”，“A”，“C”]')
'order_q10 = ["B","D","A","C"]'
>>> normalize_code('bill_q1 = ４０.８')
'bill_q1 = 40.8'
>>> normalize_code('reply = "您好，我马上帮您查。"')
'reply = "您好，我马上帮您查。"'
>>> normalize_answer(" Ｂ ")
'B'
"""

from __future__ import annotations

import unicodedata
from typing import Any

__all__ = ["CHOICE_LETTERS", "normalize_answer", "normalize_code"]

#: Option letters a learner may write without quotes (``choice_q7 = B``).
CHOICE_LETTERS = "ABCDEFGHIJ"

_CLOSERS = {"“": "”“＂", "”": "”“＂", "＂": "＂“”", "‘": "’‘＇", "’": "’‘＇", "＇": "＇‘’",
            "「": "」", "『": "』"}
_EXTRA = {"、": ",", "【": "[", "】": "]", "〔": "(", "〕": ")", "《": "<", "》": ">",
          "—": "-", "～": "~", "·": "."}


def _outside(ch: str) -> str:
    if ord(ch) < 128:
        return ch
    if ch in _EXTRA:
        return _EXTRA[ch]
    folded = unicodedata.normalize("NFKC", ch)
    return folded if folded.isascii() else ch


def _ascii_string_end(text: str, start: int) -> int:
    """Index just past the ASCII-quoted string literal that starts at ``start``."""
    quote = text[start]
    triple = text.startswith(quote * 3, start)
    delim = quote * 3 if triple else quote
    i = start + len(delim)
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if not triple and ch == "\n":
            return i  # unterminated: leave the rest of the line alone
        if text.startswith(delim, i):
            return i + len(delim)
        i += 1
    return n


def _curly_end(text: str, start: int) -> int:
    """Index of the quote closing the curly-quoted text at ``start`` (-1 if none on the line).

    ``“…“…”…”`` nests: inner quotation marks stay part of the text.
    """
    opener = text[start]
    closers = _CLOSERS[opener]
    depth = 1
    j = start + 1
    while j < len(text) and text[j] != "\n":
        ch = text[j]
        if opener == "“" and ch == "“":
            depth += 1
        elif ch in closers:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def normalize_code(source: str) -> str:
    """The cell ``source`` with IME punctuation outside strings turned into Python's."""
    if source.isascii():
        return source
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "#":
            end = source.find("\n", i)
            end = n if end < 0 else end
            out.append(source[i:end])
            i = end
            continue
        if ch in "'\"":
            end = _ascii_string_end(source, i)
            out.append(source[i:end])
            i = end
            continue
        if ch in _CLOSERS:
            j = _curly_end(source, i)
            if j >= 0:
                body = source[i + 1:j]
                out.append('"' + body.replace("\\", "\\\\").replace('"', '\\"') + '"')
                i = j + 1
                continue
            out.append(ch)
            i += 1
            continue
        if ch == "。":
            before = out[-1][-1:] if out and out[-1] else ""
            after = source[i + 1:i + 2]
            if before.isdigit() and unicodedata.normalize("NFKC", after).isdigit():
                out.append(".")
            elif source[i + 1:].split("\n", 1)[0].strip() == "":
                pass  # a full stop typed at the end of a line
            else:
                out.append(".")
            i += 1
            continue
        out.append(_outside(ch))
        i += 1
    return "".join(out)


def normalize_answer(value: Any) -> Any:
    """An answer as the checks compare it: text NFKC-normalised and trimmed, recursively."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    if isinstance(value, list):
        return [normalize_answer(v) for v in value]
    if isinstance(value, tuple):
        return tuple(normalize_answer(v) for v in value)
    if isinstance(value, set | frozenset):
        return type(value)(normalize_answer(v) for v in value)
    return value
