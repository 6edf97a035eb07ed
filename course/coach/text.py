"""The shape of a reply: normalised text, sentences, clauses, quotations and words.

Normalisation keeps every character at its place (one character in, one out), so a span found on
the normalised text marks the same passage of what the learner typed.

>>> doc = parse("您好，您家“不归我们管”的说法不对。我马上查")
>>> [doc.text[a:b] for a, b in doc.sentences]
['您好，您家“不归我们管”的说法不对。', '我马上查']
>>> doc.text[slice(*doc.quotes[0])]
'不归我们管'
>>> [w for w, _ in words("这事归物业管")]
['这事', '归', '物业', '管']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

__all__ = ["CJK", "Doc", "normalise", "parse", "words"]

CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = "。！？；…\n"
CLAUSE_END = "，、：,"
_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "《": "》"}
_CLOSERS = "”’」』\"》）)"
# one character in, one character out
_TABLE = {0x3000: " ", ord(","): "，", ord("?"): "？", ord("!"): "！", ord(";"): "；",
          ord(":"): "：", ord("~"): "…", ord("～"): "…"}
_TABLE.update({c: chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)})  # ０-９
_TABLE.update({c: chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_TABLE.update({c: chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FINAL_BA = re.compile(r"(?<=[\u4e00-\u9fff])(?<![一两几个手])把(?=[，。！？；]|$)")
_DOT = re.compile(r"(?<=[\u4e00-\u9fff])\.(?!\d)|\.(?=[\u4e00-\u9fff])")


def normalise(text: str) -> str:
    """Half-width letters and digits, Chinese punctuation, the commonest pinyin slip of a
    sentence-final particle (…身上把。 for 吧); same length as ``text``."""
    out = text.translate(_TABLE)
    return _FINAL_BA.sub("吧", _DOT.sub("。", out))


@dataclass(frozen=True)
class Doc:
    """A normalised reply cut into sentences and clauses (spans into ``text``)."""

    text: str
    sentences: tuple[tuple[int, int], ...]
    clauses: tuple[tuple[int, int], ...]
    quotes: tuple[tuple[int, int], ...]
    raw: str = ""  # the text as typed (normalising keeps every position)

    def said(self, a: int, b: int) -> str:
        """The passage ``a:b`` as the learner typed it."""
        return (self.raw or self.text)[a:b]

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence containing ``pos``."""
        for k, (a, b) in enumerate(self.sentences):
            if a <= pos < b:
                return k
        return len(self.sentences) - 1

    def clause_at(self, pos: int) -> tuple[int, int]:
        """The clause containing ``pos``."""
        for a, b in self.clauses:
            if a <= pos < b:
                return a, b
        return (0, len(self.text))

    def quoted(self, a: int, b: int) -> bool:
        """Whether ``[a, b)`` lies inside quotation marks."""
        return any(qa <= a and b <= qb for qa, qb in self.quotes)


def _is_space_break(text: str, i: int) -> bool:
    """A run of spaces between two Chinese characters separates clauses (typed without commas)."""
    if not text[i].isspace() or text[i] == "\n":
        return False
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    k = i
    while k < len(text) and text[k].isspace():
        k += 1
    return j > 0 and k < len(text) and bool(CJK.match(text[j - 1])) and bool(CJK.match(text[k]))


def parse(raw: str) -> Doc:
    """Normalise ``raw`` and cut it into sentences, clauses and quoted passages."""
    text = normalise(raw)
    n = len(text)
    sentences: list[tuple[int, int]] = []
    clauses: list[tuple[int, int]] = []
    quotes: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    s_start = c_start = 0
    i = 0
    while i < n:
        ch = text[i]
        if stack and ch == stack[-1][0]:
            quotes.append((stack[-1][1], i))
            stack.pop()
        elif ch in _QUOTES and not (_QUOTES[ch] == ch and stack and stack[-1][0] == ch):
            stack.append((_QUOTES[ch], i + 1))
        elif not stack and (ch in SENTENCE_END or ch in CLAUSE_END or _is_space_break(text, i)):
            j = i + 1
            while j < n and (text[j] in SENTENCE_END or text[j] in _CLOSERS or text[j] == " "):
                j += 1
            clauses.append((c_start, j))
            c_start = j
            if ch in SENTENCE_END:
                sentences.append((s_start, j))
                s_start = j
            i = j
            continue
        i += 1
    if c_start < n:
        clauses.append((c_start, n))
    if s_start < n:
        sentences.append((s_start, n))
    while stack:  # an unclosed quotation runs to the end
        quotes.append((stack.pop()[1], n))
    if quotes and sum(b - a for a, b in quotes) >= 0.8 * len(CJK.findall(text)):
        quotes = []  # the whole reply typed inside quotation marks is the reply itself
    keep = tuple((a, b) for a, b in clauses if CJK.search(text[a:b]))
    sents = tuple((a, b) for a, b in sentences if CJK.search(text[a:b]))
    return Doc(text=text, sentences=sents or ((0, n),), clauses=keep or ((0, n),),
               quotes=tuple(sorted(quotes)), raw=raw if len(raw) == n else "")


@cache
def _jieba():
    import rjieba  # jieba-rs: the jieba dictionary and HMM, compiled; loads in ~0.2 s

    for word in ("验表", "估抄", "核增", "缓缴", "违约金", "滞纳金", "二次供水", "户口本",
                 "抄表员", "第一档", "第二档", "第三档", "阶梯水价", "水表", "读数"):
        rjieba.add_word(word, None, None)
    rjieba.tag("今天下午五点前回电话")  # loads the HMM for unknown words now, not mid-review
    return rjieba


def words(text: str) -> list[tuple[str, str]]:
    """Words of ``text`` with their part of speech (jieba's tag set: n, v, a, d, r, x …)."""
    return [(w, t) for w, t in _jieba().tag(text) if w.strip()]
