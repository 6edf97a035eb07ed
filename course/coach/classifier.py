"""A learned second opinion on forbidden language: logistic regression over character n-grams.

Trained offline on the labelled corpus by :mod:`course.coach.train` (scikit-learn) and shipped
as plain weights in ``course/data/coach/classifier.json``; scoring here is pure Python (a few
dictionary look-ups per clause), so nothing is downloaded or loaded at run time besides that
file. The frames of :mod:`course.coach.acts` say *why*; this model catches wordings the frames do
not know yet, and names the n-grams that made it decide, so its findings explain themselves too.

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
from dataclasses import dataclass
from functools import cache
from importlib import resources

from course.coach.text import Doc

__all__ = ["MASK", "Classifier", "clause_text", "features", "load"]

MASK = "□"  # stands for a quoted passage: quoted words are mentioned, not said
_KEEP = re.compile(r"[\u4e00-\u9fff□？！]")


def features(clause: str, n_min: int = 1, n_max: int = 3) -> dict[str, int]:
    """Character n-gram counts of a clause (Chinese characters, the quote mark, ？ and ！)."""
    chars = "".join(_KEEP.findall(clause))
    out: dict[str, int] = {}
    for n in range(n_min, n_max + 1):
        for i in range(len(chars) - n + 1):
            g = chars[i:i + n]
            out[g] = out.get(g, 0) + 1
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
    """Weights of the forbidden/clean model and of the act model (one row per act)."""

    n_min: int
    n_max: int
    idf: dict[str, float]
    coef: dict[str, float]
    intercept: float
    threshold: float
    act_coef: dict[str, dict[str, float]]
    act_intercept: dict[str, float]

    def _vector(self, clause: str) -> dict[str, float]:
        counts = features(clause, self.n_min, self.n_max)
        vec = {g: (1.0 + math.log(c)) * self.idf[g] for g, c in counts.items() if g in self.idf}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    def probability(self, clause: str) -> float:
        """How likely the clause is forbidden language (0–1)."""
        vec = self._vector(clause)
        z = self.intercept + sum(v * self.coef.get(g, 0.0) for g, v in vec.items())
        return 1.0 / (1.0 + math.exp(-z))

    def evidence(self, clause: str, k: int = 3) -> tuple[str, ...]:
        """The n-grams (two characters or more) that pushed hardest towards "forbidden"."""
        vec = self._vector(clause)
        pushes = sorted(((v * self.coef.get(g, 0.0), g) for g, v in vec.items()
                         if len(g) >= 2 and MASK not in g), reverse=True)
        return tuple(g for p, g in pushes[:k] if p > 0)

    def act(self, clause: str) -> str:
        """The most likely forbidden act of a clause judged forbidden."""
        vec = self._vector(clause)
        scores = {a: self.act_intercept[a] + sum(v * w.get(g, 0.0) for g, v in vec.items())
                  for a, w in self.act_coef.items()}
        return max(scores, key=scores.__getitem__)


@cache
def load() -> Classifier:
    """The shipped model (``course/data/coach/classifier.json``)."""
    raw = resources.files("course").joinpath("data/coach/classifier.json").read_text("utf-8")
    d = json.loads(raw)
    return Classifier(n_min=d["ngram"][0], n_max=d["ngram"][1], idf=d["idf"], coef=d["coef"],
                      intercept=d["intercept"], threshold=d["threshold"],
                      act_coef=d["act_coef"], act_intercept=d["act_intercept"])
