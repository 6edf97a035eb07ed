"""Learned judgements of a reply's shape: a concrete next step, and the three layers in order.

The frames of :mod:`course.coach.acts` find the moves (共情, 行动, 时间 …); two small logistic
models, trained by :mod:`course.coach.train` on the corpus's reply labels, then weigh what the
frames found together with the words around it:

- **next step**: the frames' own verdict, which step moves were found, and the character n-grams
  of the clauses that hold them ("会尽快安排人员处理" is not a step; "明天上午十点师傅上门" is);
- **three layers**: the frames' verdicts on the opening, core and close, and the n-grams of the
  first and last clause (warm openings and closes in any wording or dialect).

Both stay explainable: the step decision points at the clauses it read, and when the layers fail
the part of the reply (opening or close) that weighed least is the one named.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from course.coach.acts import Hit
from course.coach.classifier import features
from course.coach.text import Doc

__all__ = ["STEP_ACTS", "Linear", "Structure", "layer_features", "load", "step_features"]

STEP_ACTS = ("action", "guide", "follow_up", "time", "promise", "handover", "contact", "verify")


def step_features(doc: Doc, hits: list[Hit], frames_say: bool) -> dict[str, int]:
    """What the next-step model sees: the frames' verdict, the step moves, their clauses."""
    out = {"FRAME": int(frames_say)}
    for h in hits:
        if h.act in STEP_ACTS:
            out["H" + h.act] = 1
            a, b = doc.clause_at(h.span[0])
            for g in features(doc.text[a:b], 1, 3):
                out["A" + g] = 1
    return out


def layer_features(doc: Doc, opens: bool, has_core: bool, closes: bool) -> dict[str, int]:
    """What the three-layer model sees: the frames' verdicts, the first and the last clause."""
    out = {"OP": int(opens), "CO": int(has_core), "CL": int(closes),
           "SW": int(opens and has_core and closes), f"N{min(len(doc.clauses), 6)}": 1}
    (a, b), (c, d) = doc.clauses[0], doc.clauses[-1]
    for g in features(doc.text[a:b], 1, 2):
        out["O" + g] = 1
    for g in features(doc.text[c:d], 1, 2):
        out["L" + g] = 1
    return out


@dataclass(frozen=True)
class Linear:
    """A logistic model over binary features."""

    coef: dict[str, float]
    intercept: float

    def score(self, feats: dict[str, int], prefix: str = "") -> float:
        """The linear score (``prefix``: only the features starting with it, no intercept)."""
        if prefix:
            return sum(self.coef.get(g, 0.0) * v for g, v in feats.items() if g.startswith(prefix))
        return self.intercept + sum(self.coef.get(g, 0.0) * v for g, v in feats.items())

    def probability(self, feats: dict[str, int]) -> float:
        """How likely the label is true (0–1)."""
        return 1.0 / (1.0 + math.exp(-self.score(feats)))


@dataclass(frozen=True)
class Structure:
    """The next-step and three-layer models."""

    step: Linear
    layers: Linear

    def next_step(self, doc: Doc, hits: list[Hit], frames_say: bool) -> bool:
        """Whether the reply gives a concrete next step."""
        return self.step.probability(step_features(doc, hits, frames_say)) >= 0.5

    def three_layers(self, doc: Doc, opens: bool, has_core: bool,
                     closes: bool) -> tuple[bool, bool]:
        """(opens with positive emotion, closes with positive emotion), as the model weighs them.

        A reply without a core has no layers to order; when the model finds the order broken
        but the frames saw both ends, the end that weighed least is the one that fails.
        """
        if not has_core:
            return opens, closes
        feats = layer_features(doc, opens, has_core, closes)
        if self.layers.probability(feats) >= 0.5:
            return True, True
        if opens and closes:
            opening = self.layers.score(feats, "O") + self.layers.coef.get("OP", 0.0)
            close = self.layers.score(feats, "L") + self.layers.coef.get("CL", 0.0)
            return (False, True) if opening <= close else (True, False)
        return opens, closes


@cache
def load() -> Structure:
    """The shipped models (``course/data/coach/structure.json``)."""
    raw = resources.files("course").joinpath("data/coach/structure.json").read_text("utf-8")
    d = json.loads(raw)
    return Structure(step=Linear(d["step"]["coef"], d["step"]["intercept"]),
                     layers=Linear(d["layers"]["coef"], d["layers"]["intercept"]))
