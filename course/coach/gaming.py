"""Replies that game the coach: repetition, keyword salad and text about something else.

A clause is *salad* when it repeats a word (验表验表验表), repeats an earlier sentence, or strings
business words together without a single word that makes a sentence of them (水质检测取样水箱管道:
no 您, 的, 了, 是 …; the words are found with jieba's segmentation and the coach's lexicon). Acts
found inside salad clauses do not count, and a reply that is largely salad is gaming.

>>> from course.coach.text import parse
>>> check(parse("理解您的心情。验表验表验表，读数读数读数。谢谢！")).reasons
('重复堆砌同一个词：“验表”“读数”',)
>>> check(parse("我一笔一笔给您核，一个月一个月对给您看。")).gaming
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from course.coach.text import CJK, Doc, words

__all__ = ["Gaming", "check"]

_RUN = re.compile(r"([\u4e00-\u9fff]{2,8}?)\1+")
_FUNCTION = re.compile("[您你我咱他她这那的了吗呢吧啊呀是把给被让就都也还很不没请得着过会能要先再又和跟对从向]")
_STRIP = re.compile(r"[\s，、：,。！？；…“”‘’「」『』\"'（）()]")


@dataclass(frozen=True)
class Gaming:
    """Salad clauses (spans) and the reasons, in Chinese, why the reply looks like gaming."""

    salad: tuple[tuple[int, int], ...]
    reasons: tuple[str, ...]
    share: float  # share of the reply's Chinese characters that are salad

    @property
    def gaming(self) -> bool:
        """Whether the reply as a whole is gaming (it never passes a graded item)."""
        return bool(self.reasons)

    def covers(self, span: tuple[int, int]) -> bool:
        """Whether ``span`` lies in a salad clause."""
        return any(a <= span[0] and span[1] <= b for a, b in self.salad)


def _runs(text: str) -> list[tuple[str, int, int, int]]:
    """Repeated words: (word, copies, start, end); reduplicated measures (一笔一笔) are Chinese."""
    out = []
    for m in _RUN.finditer(text):
        unit = m[1]
        copies = len(m[0]) // len(unit)
        if unit[0] == "一" or len(set(unit)) == 1:
            continue
        out.append((unit, copies, m.start(), m.end()))
    return out


@cache
def _keyword() -> re.Pattern[str]:
    """Business words: the lexicon's actions, objects and problems and every scenario's cues."""
    from course.coach.acts import lexicon
    from course.coach.rules import scenarios

    lex = lexicon()
    parts = [lex[c] for c in ("CONCRETE_VERB", "CUST_OBJECT", "PROBLEM", "VERIFY_VERB")]
    parts += [s.core_pattern.pattern for s in scenarios().values()]
    return re.compile("|".join(f"(?:{p})" for p in parts))


def _keyword_string(clause: str) -> bool:
    """Business words strung together with no word that makes a sentence (您, 的, 了, 是 …)."""
    cjk = "".join(CJK.findall(clause))
    if len(cjk) < 6 or _FUNCTION.search(cjk):
        return False
    ws = [w for w, _ in words(cjk)]
    keywords = [w for w in ws if _keyword().fullmatch(w) or _keyword().search(w)]
    return len(keywords) >= 3 and sum(map(len, keywords)) >= 0.6 * len(cjk)


def check(doc: Doc) -> Gaming:
    """Find salad clauses and decide whether the reply is gaming."""
    text = doc.text
    salad: list[tuple[int, int]] = []
    repeated: list[str] = []
    for a, b in doc.clauses:
        clause = text[a:b]
        cjk = len(CJK.findall(clause))
        runs = _runs(clause)
        run_chars = sum(e - s for _, _, s, e in runs)
        if any(c >= 3 for _, c, _, _ in runs) or (runs and run_chars >= 0.6 * cjk):
            salad.append((a, b))
            repeated += [u for u, _, _, _ in runs]
        elif _keyword_string(clause):
            salad.append((a, b))
    run: list[tuple[int, int]] = []  # consecutive short clauses that are each one business word
    for a, b in [*doc.clauses, (len(text), len(text))]:
        cjk = "".join(CJK.findall(text[a:b]))
        if 0 < len(cjk) <= 6 and not _FUNCTION.search(cjk) and _keyword().search(cjk) and \
                sum(len(m[0]) for m in _keyword().finditer(cjk)) >= 0.6 * len(cjk):
            run.append((a, b))
            continue
        if len(run) >= 3:
            salad.extend(run)
        run = []
    seen: dict[str, int] = {}
    copies = 0
    for a, b in doc.sentences:
        key = _STRIP.sub("", text[a:b])
        if len(key) >= 4 and key in seen:
            salad.append((a, b))
            copies += 1
        seen.setdefault(key, a)
    total = len(CJK.findall(text)) or 1
    salad = sorted(set(salad))
    share = sum(len(CJK.findall(text[a:b])) for a, b in _merge(salad)) / total
    reasons: list[str] = []
    if repeated:
        shown = "".join(f"“{u}”" for u in dict.fromkeys(repeated))
        reasons.append(f"重复堆砌同一个词：{shown}")
    if copies:
        reasons.append(f"同一句话重复了 {copies + 1} 遍")
    noun_only = [s for s in salad if not any(u in text[s[0]:s[1]] for u in repeated)]
    if noun_only and share >= 0.2 and not repeated and not copies:
        reasons.append("只是把词语堆在一起，没有说成句子")
    if salad and share < 0.2 and not copies and len(salad) < 2:
        reasons.clear()  # one short odd clause in a real reply is not gaming
    return Gaming(salad=tuple(salad), reasons=tuple(reasons), share=round(share, 3))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out
