"""Train the coach's learned model on the labelled corpus (needs scikit-learn; offline only).

``python -m course.coach.train`` fits the clause model on ``tests/data/coach/train.yaml`` and
writes ``course/data/coach/classifier.json``; the same corpus always gives the same file.

Each reply is cut into clauses. A clause is forbidden when the labelled span of an act overlaps it
(replies labelled before spans existed use the frames' hits of the labelled act; a forbidden reply
where neither locates the act is left out). The decision threshold is chosen by five-fold
cross-validation over replies, together with the frames, never on the dev or test parts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from course.coach.acts import detect
from course.coach.classifier import clause_text, features
from course.coach.eval import load_corpus
from course.coach.text import CJK, Doc, parse

__all__ = ["examples", "fit", "main"]

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT / "tests" / "data" / "coach" / "train.yaml"
OUT = ROOT / "course" / "data" / "coach" / "classifier.json"
NGRAM = (1, 3)
C = 2.0
MIN_PRECISION = 0.9
CLASS_WEIGHT: str | None = "balanced"


def _overlap(doc: Doc, span: tuple[int, int], clause: tuple[int, int]) -> int:
    a, b = max(span[0], clause[0]), min(span[1], clause[1])
    return len(CJK.findall(doc.text[a:b])) if b > a else 0


def examples(replies: list[dict[str, Any]]) -> list[tuple[str, str | None, str]]:
    """(clause text, act or None, reply id) for every usable clause of the corpus."""
    out: list[tuple[str, str | None, str]] = []
    for e in replies:
        doc = parse(e["t"])
        acts = list(e.get("acts") or ())
        located: dict[tuple[int, int], str] = {}
        if acts:
            spans = e.get("spans") or {}
            for act in acts:
                found = []
                if act in spans and spans[act] in doc.text:
                    start = doc.text.index(spans[act])
                    found = [(start, start + len(spans[act]))]
                else:
                    found = [h.span for h in detect(doc, use_model=False) if h.act == act]
                for sp in found:
                    for c in doc.clauses:
                        if _overlap(doc, sp, c) >= 2 or (sp[0] >= c[0] and sp[1] <= c[1]):
                            located.setdefault(c, act)
            if not located:
                continue
        for c in doc.clauses:
            out.append((clause_text(doc, c), located.get(c), e["id"]))
    return out


def _analyzer(n_min: int, n_max: int):
    def grams(text: str) -> list[str]:
        return [g for g, c in features(text, n_min, n_max).items() for _ in range(c)]
    return grams


def _fit_binary(texts: list[str], y: list[int]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=_analyzer(*NGRAM), sublinear_tf=True, min_df=2)
    x = vec.fit_transform(texts)
    model = LogisticRegression(C=C, class_weight=CLASS_WEIGHT, max_iter=5000, solver="liblinear")
    model.fit(x, y)
    return vec, model


def _threshold(exs: list[tuple[str, str | None, str]]) -> float:
    """The model's threshold: best reply-level F1 of the model alone, by 5-fold CV over replies,
    among thresholds whose precision is at least ``MIN_PRECISION``.

    The model alone, because on its own training part the frames find nearly everything (they
    were written from it), which would hide how the model does on wordings the frames miss.
    """
    import numpy as np
    from sklearn.model_selection import GroupKFold

    ids = [i for _, _, i in exs]
    texts = [t for t, _, _ in exs]
    y = np.array([a is not None for _, a, _ in exs], dtype=int)
    prob = np.zeros(len(exs))
    for tr, te in GroupKFold(n_splits=5).split(texts, y, ids):
        vec, model = _fit_binary([texts[i] for i in tr], list(y[tr]))
        prob[te] = model.predict_proba(vec.transform([texts[i] for i in te]))[:, 1]
    best: dict[str, float] = {}
    truth: dict[str, bool] = {}
    for i, p, a in zip(ids, prob, y, strict=True):
        best[i] = max(best.get(i, 0.0), float(p))
        truth[i] = truth.get(i, False) or bool(a)
    chosen, chosen_f1 = 0.99, -1.0
    for t in [x / 100 for x in range(30, 100)]:
        tp = sum(1 for i in best if truth[i] and best[i] >= t)
        fp = sum(1 for i in best if not truth[i] and best[i] >= t)
        fn = sum(1 for i in best if truth[i] and best[i] < t)
        precision = tp / (tp + fp) if tp + fp else 1.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if precision >= MIN_PRECISION and f1 > chosen_f1:
            chosen, chosen_f1 = t, f1
    return chosen


def fit(replies: list[dict[str, Any]]) -> dict[str, Any]:
    """The model file's content for a corpus."""
    from sklearn.linear_model import LogisticRegression

    exs = examples(replies)
    texts = [t for t, _, _ in exs]
    y = [int(a is not None) for _, a, _ in exs]
    vec, model = _fit_binary(texts, y)
    vocab = vec.get_feature_names_out()
    idf = {g: round(float(v), 6) for g, v in zip(vocab, vec.idf_, strict=True)}
    coef = {g: round(float(w), 6) for g, w in zip(vocab, model.coef_[0], strict=True)
            if abs(w) >= 1e-4}
    pos = [(t, a) for t, a, _ in exs if a is not None]
    act_model = LogisticRegression(C=C, max_iter=5000)
    act_model.fit(vec.transform([t for t, _ in pos]), [a for _, a in pos])
    act_coef = {
        str(a): {g: round(float(w), 5) for g, w in zip(vocab, row, strict=True) if abs(w) >= 0.02}
        for a, row in zip(act_model.classes_, act_model.coef_, strict=True)
    }
    act_intercept = {str(a): round(float(b), 6)
                     for a, b in zip(act_model.classes_, act_model.intercept_, strict=True)}
    return {
        "about": "course.coach.classifier: logistic regression over character n-grams of a "
                 "clause, trained by course.coach.train on tests/data/coach/train.yaml",
        "clauses": len(exs), "forbidden_clauses": len(pos), "ngram": list(NGRAM),
        "threshold": _threshold(exs),
        "intercept": round(float(model.intercept_[0]), 6), "idf": idf, "coef": coef,
        "act_intercept": act_intercept, "act_coef": act_coef,
    }


def main(argv: list[str]) -> int:
    """Train on the training part (or the files named) and write the model file."""
    paths = argv or [str(TRAIN)]
    content = fit(load_corpus(*paths))
    OUT.write_text(json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                   + "\n", encoding="utf-8")
    print(f"已写入 {OUT}：{content['clauses']} 个小句（其中禁语 {content['forbidden_clauses']} 个），"
          f"阈值 {content['threshold']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
