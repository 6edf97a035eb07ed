"""A learned second opinion on forbidden language: logistic regression over a clause in context.

A clause is described by its character n-grams, its words (jieba, via ``rjieba``) and word pairs,
and the edges of its neighbours: the last characters of the clause before (a negation or "我们不会
说" that frames the clause) and the first characters of the clause after (the speaker taking the
case in the next breath). Quoted passages are masked: they are mentioned, not said.

Trained offline on the labelled corpus by :mod:`course.coach.train` (scikit-learn) and shipped
as plain weights in ``course/data/coach/classifier.json``; scoring here is pure Python (a few
dictionary look-ups per clause), so nothing is downloaded or loaded at run time besides that
file. The frames of :mod:`course.coach.acts` say *why*; this model catches wordings the frames do
not know yet, vetoes a frame's hit on a clause it judges clearly harmless, and names the words
that made it decide, so its findings explain themselves too.

>>> m = load()
>>> m.probability("您这么说有什么根据") > m.threshold
True
>>> m.probability("我马上帮您查一下读数") < m.threshold
True
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise

from course.coach.text import Doc, parse, words

__all__ = ["MASK", "Classifier", "clause_features", "clause_text", "features", "load"]

MASK = "□"  # stands for a quoted passage: quoted words are mentioned, not said
_KEEP = re.compile(r"[\u4e00-\u9fff□？！]")
_DROP = re.compile(r"[^\u4e00-\u9fff□？！]+")


def features(clause: str, n_min: int = 1, n_max: int = 3) -> dict[str, int]:
    """Character n-gram counts of a clause (Chinese characters, the quote mark, ？ and ！)."""
    chars = _DROP.sub("", clause)
    return dict(Counter(chars[i:i + n] for n in range(n_min, n_max + 1)
                        for i in range(len(chars) - n + 1)))


_EDGE = 6  # characters of each neighbouring clause that are looked at


def clause_features(doc: Doc, span: tuple[int, int], n_max: int = 3) -> dict[str, int]:
    """What the model sees of the clause ``span`` of ``doc``: its character n-grams, its words
    (``W…``) and word pairs (``B…_…``), the end of the clause before (``P…``) and the start of the
    clause after (``N…``)."""
    text = clause_text(doc, span)
    out = features(text, 1, n_max)
    ws = [w for w, _ in words(text) if _KEEP.search(w)]
    for w in ws:
        out["W" + w] = out.get("W" + w, 0) + 1
    for a, b in pairwise(ws):
        out[f"B{a}_{b}"] = 1
    k = doc.clauses.index(span) if span in doc.clauses else -1
    if k > 0:
        for g, n in features(clause_text(doc, doc.clauses[k - 1])[-_EDGE:], 1, 2).items():
            out["P" + g] = n
    if 0 <= k < len(doc.clauses) - 1:
        for g, n in features(clause_text(doc, doc.clauses[k + 1])[:_EDGE], 1, 2).items():
            out["N" + g] = n
    return out


def clause_text(doc: Doc, span: tuple[int, int]) -> str:
    """A clause with every quoted passage replaced by one mask character."""
    a, b = span
    out: list[str] = []
    k = a
    for qa, qb in doc.quotes:
        if qb <= a or qa >= b:
            continue
        out.append(doc.text[k:max(k, qa)])
        out.append(MASK)
        k = max(k, min(b, qb))
    out.append(doc.text[k:b])
    return "".join(out)


@dataclass(frozen=True)
class Classifier:
    """Weights of the forbidden/clean model and of the act model (one row per act).

    Each method takes a parsed reply and a clause span, or a single clause as a string.
    ``threshold``: from this probability on, a clause no frame flagged is forbidden;
    ``veto``: below it, a frame's hit on the clause is set aside as harmless.
    """

    n_max: int
    idf: dict[str, float]
    coef: dict[str, float]
    intercept: float
    threshold: float
    veto: float
    act_coef: dict[str, dict[str, float]]
    act_intercept: dict[str, float]
    _seen: dict = field(default_factory=dict, compare=False, repr=False)  # recent clauses

    def forget(self) -> None:
        """Empty the memory of recently scored clauses."""
        self._seen.clear()

    def _vector(self, doc: Doc | str, span: tuple[int, int] | None) -> dict[str, float]:
        if isinstance(doc, str):
            doc = parse(doc)
            span = (0, len(doc.text))
        span = span or (0, len(doc.text))
        key = (doc.text, doc.quotes, span)
        if key in self._seen:
            return self._seen[key]
        counts = clause_features(doc, span, self.n_max)
        vec = {g: (1.0 + math.log(c)) * self.idf[g] for g, c in counts.items() if g in self.idf}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        if len(self._seen) > 2048:
            self._seen.clear()
        self._seen[key] = out = {g: v / norm for g, v in vec.items()}
        return out

    def probability(self, doc: Doc | str, span: tuple[int, int] | None = None) -> float:
        """How likely the clause is forbidden language (0–1)."""
        if isinstance(doc, str):
            doc = parse(doc)
            span = (0, len(doc.text))
        span = span or (0, len(doc.text))
        key = ("p", doc.text, doc.quotes, span)
        if key in self._seen:
            return self._seen[key]
        # the same sum as over _vector(), without building it: most clauses need only this
        idf, coef = self.idf, self.coef
        dot = square = 0.0
        for g, c in clause_features(doc, span, self.n_max).items():
            w = idf.get(g)
            if w is None:
                continue
            t = w if c == 1 else (1.0 + math.log(c)) * w
            square += t * t
            dot += t * coef.get(g, 0.0)
        z = self.intercept + dot / (math.sqrt(square) or 1.0)
        if len(self._seen) > 2048:
            self._seen.clear()
        self._seen[key] = out = 1.0 / (1.0 + math.exp(-z))
        return out

    def evidence(self, doc: Doc | str, span: tuple[int, int] | None = None,
                 k: int = 3) -> tuple[str, ...]:
        """The words and n-grams of the clause itself (two characters or more) that pushed
        hardest towards "forbidden"."""
        vec = self._vector(doc, span)
        pushes: dict[str, float] = {}
        for g, v in vec.items():
            gram = g[1:] if g[0] == "W" else g if g[0] not in "BPN" else ""
            if len(gram) >= 2 and MASK not in gram:
                pushes[gram] = max(pushes.get(gram, 0.0), v * self.coef.get(g, 0.0))
        best = sorted(((p, g) for g, p in pushes.items()), reverse=True)
        chosen: list[str] = []
        for p, g in best:
            if p > 0 and not any(g in c for c in chosen):
                chosen.append(g)
        return tuple(chosen[:k])

    def act(self, doc: Doc | str, span: tuple[int, int] | None = None) -> str:
        """The most likely forbidden act of a clause judged forbidden."""
        vec = self._vector(doc, span)
        scores = {a: self.act_intercept[a] + sum(v * w.get(g, 0.0) for g, v in vec.items())
                  for a, w in self.act_coef.items()}
        return max(scores, key=scores.__getitem__)


@cache
def load() -> Classifier:
    """The shipped model (``course/data/coach/classifier.json``)."""
    raw = resources.files("course").joinpath("data/coach/classifier.json").read_text("utf-8")
    d = json.loads(raw)
    return Classifier(n_max=d["ngram"][1], idf=d["idf"], coef=d["coef"],
                      intercept=d["intercept"], threshold=d["threshold"], veto=d["veto"],
                      act_coef=d["act_coef"], act_intercept=d["act_intercept"])
