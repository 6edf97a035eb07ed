"""Train the coach's learned model on the labelled corpus (needs scikit-learn; offline only).

``python -m course.coach.train`` fits the clause model on ``tests/data/coach/train.yaml`` and
writes ``course/data/coach/classifier.json``; the same corpus always gives the same file.

Each reply is cut into clauses, each described by :func:`~course.coach.classifier.clause_features`
(n-grams, words, the neighbours' edges). A clause is forbidden when the labelled span of an act
overlaps it (replies labelled before spans existed use the frames' hits of the labelled act; a
forbidden reply where neither locates the act is left out). The decision threshold is chosen by
five-fold cross-validation over replies (model alone, precision at least ``MIN_PRECISION``),
never on the dev or test parts. ``VETO`` (below it the model sets a frame's hit aside) was chosen
on the dev part.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.coach.acts import detect
from course.coach.classifier import clause_features
from course.coach.eval import load_corpus
from course.coach.text import CJK, Doc, parse

__all__ = ["examples", "fit", "fit_structure", "main", "seed_replies"]

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT / "tests" / "data" / "coach" / "train.yaml"
OUT = ROOT / "course" / "data" / "coach" / "classifier.json"
STRUCTURE_OUT = ROOT / "course" / "data" / "coach" / "structure.json"
STRUCTURE_C = 1.0
NGRAM = (1, 3)
C = 16.0  # chosen by training without T5, then without T6, and scoring the part left out
MIN_PRECISION = 0.93
VETO = 0.25
MIN_DF = 3  # a feature must occur in this many clauses
ACT_MIN_WEIGHT = 0.05  # smaller weights of the act model are not shipped
CLASS_WEIGHT: str | None = "balanced"


def _overlap(doc: Doc, span: tuple[int, int], clause: tuple[int, int]) -> int:
    a, b = max(span[0], clause[0]), min(span[1], clause[1])
    return len(CJK.findall(doc.text[a:b])) if b > a else 0


Example = tuple[dict[str, int], str | None, str]


def examples(replies: list[dict[str, Any]]) -> list[Example]:
    """(clause features, act or None, reply id) for every usable clause of the corpus."""
    out: list[Example] = []
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
            out.append((clause_features(doc, c, NGRAM[1]), located.get(c), e["id"]))
    return out


@dataclass
class _Fitted:
    """A fitted clause model and how it turns feature dicts into its rows."""

    vectorizer: Any
    keep: Any
    tfidf: Any
    model: Any

    @property
    def vocab(self) -> list[str]:
        return [str(g) for g in self.vectorizer.get_feature_names_out()[self.keep]]

    def rows(self, feats: list[dict[str, int]]):
        """Sublinear tf-idf rows, l2-normalised, exactly as the classifier scores a clause."""
        import numpy as np

        x = self.vectorizer.transform(feats)[:, self.keep].astype(float)
        x.data = 1.0 + np.log(x.data)
        return self.tfidf.transform(x)


def _fit_binary(feats: list[dict[str, int]], y: list[int]) -> _Fitted:
    """The forbidden/clean model on features seen in at least ``MIN_DF`` clauses."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    dv = DictVectorizer(sort=True)
    counts = dv.fit_transform(feats)
    keep = np.flatnonzero(np.asarray((counts > 0).sum(axis=0)).ravel() >= MIN_DF)
    x = counts[:, keep].astype(float)
    x.data = 1.0 + np.log(x.data)
    tfidf = TfidfTransformer().fit(x)
    model = LogisticRegression(C=C, class_weight=CLASS_WEIGHT, max_iter=5000, solver="liblinear")
    fitted = _Fitted(dv, keep, tfidf, model)
    model.fit(fitted.rows(feats), y)
    return fitted


def _threshold(exs: list[Example]) -> float:
    """The model's threshold: best reply-level F1 of the model alone, by 5-fold CV over replies,
    among thresholds whose precision is at least ``MIN_PRECISION``.

    The model alone, because on its own training part the frames find nearly everything (they
    were written from it), which would hide how the model does on wordings the frames miss.
    """
    import numpy as np
    from sklearn.model_selection import GroupKFold

    ids = [i for _, _, i in exs]
    feats = [f for f, _, _ in exs]
    y = np.array([a is not None for _, a, _ in exs], dtype=int)
    prob = np.zeros(len(exs))
    for tr, te in GroupKFold(n_splits=5).split(feats, y, ids):
        fitted = _fit_binary([feats[i] for i in tr], list(y[tr]))
        prob[te] = fitted.model.predict_proba(fitted.rows([feats[i] for i in te]))[:, 1]
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


def seed_replies() -> list[dict[str, Any]]:
    """Each forbidden act's own example (the seeds' 禁语, alone and after a greeting) and its
    suggested rewrite (clean), so the model never sets aside the canonical wording of an act."""
    from course.coach.acts import acts

    out: list[dict[str, Any]] = []
    for act in acts().values():
        if act.kind != "forbidden" or not act.example:
            continue
        said = act.example.rstrip("。！？")
        for k, text in enumerate((f"{said}。", f"您好，{said}。")):
            out.append({"id": f"seed_{act.id}_{k}", "t": text, "acts": [act.id]})  # frames locate it
        if act.suggestion:
            out.append({"id": f"seed_{act.id}_ok", "t": act.suggestion.split("：", 1)[-1].strip("“”"),
                        "acts": []})
    return out


def fit(replies: list[dict[str, Any]]) -> dict[str, Any]:
    """The model file's content for a corpus (with :func:`seed_replies` added)."""
    from sklearn.linear_model import LogisticRegression

    exs = examples(replies + seed_replies())
    feats = [f for f, _, _ in exs]
    y = [int(a is not None) for _, a, _ in exs]
    fitted = _fit_binary(feats, y)
    vocab = fitted.vocab
    idf = {g: round(float(v), 6) for g, v in zip(vocab, fitted.tfidf.idf_, strict=True)}
    coef = {g: round(float(w), 6) for g, w in zip(vocab, fitted.model.coef_[0], strict=True)
            if abs(w) >= 1e-4}
    pos = [(f, a) for f, a, _ in exs if a is not None]
    act_model = LogisticRegression(C=C, max_iter=5000)
    act_model.fit(fitted.rows([f for f, _ in pos]), [a for _, a in pos])
    act_coef = {
        str(a): {g: round(float(w), 5) for g, w in zip(vocab, row, strict=True) if abs(w) >= ACT_MIN_WEIGHT}
        for a, row in zip(act_model.classes_, act_model.coef_, strict=True)
    }
    act_intercept = {str(a): round(float(b), 6)
                     for a, b in zip(act_model.classes_, act_model.intercept_, strict=True)}
    return {
        "about": "course.coach.classifier: logistic regression over a clause in context "
                 "(character n-grams, jieba words and word pairs, the neighbouring clauses' "
                 "edges), trained by course.coach.train on tests/data/coach/train.yaml",
        "clauses": len(exs), "forbidden_clauses": len(pos), "ngram": list(NGRAM),
        "threshold": _threshold(exs), "veto": VETO,
        "intercept": round(float(fitted.model.intercept_[0]), 6), "idf": idf, "coef": coef,
        "act_intercept": act_intercept, "act_coef": act_coef,
    }


def fit_structure(replies: list[dict[str, Any]]) -> dict[str, Any]:
    """The next-step and three-layer models' file content, on the features the frames and the
    shipped clause model give (train the clause model first)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from course.coach.analysis import _facts, _frames_next_step
    from course.coach.rules import rules
    from course.coach.structure import layer_features, step_features

    rs = rules()
    data: dict[str, tuple[list[dict[str, int]], list[int]]] = {"step": ([], []), "layers": ([], [])}
    for e in replies:
        if e.get("salad"):
            continue
        f = _facts(e["t"], rs, None, learned_structure=False)
        if "next" in e:
            data["step"][0].append(step_features(f.doc, list(f.hits),
                                                 _frames_next_step(f.doc, list(f.hits))))
            data["step"][1].append(int(e["next"]))
        if "sw" in e:
            data["layers"][0].append(layer_features(f.doc, f.opens_positive, f.has_core,
                                                    f.closes_positive))
            data["layers"][1].append(int(e["sw"]))
    out: dict[str, Any] = {
        "about": "course.coach.structure: logistic models of a concrete next step and of the "
                 "three layers, trained by course.coach.train on tests/data/coach/train.yaml"}
    for name, (feats, y) in data.items():
        dv = DictVectorizer(sort=True)
        x = dv.fit_transform(feats)
        model = LogisticRegression(C=STRUCTURE_C, max_iter=5000).fit(x, y)
        out[name] = {
            "replies": len(y), "intercept": round(float(model.intercept_[0]), 6),
            "coef": {str(g): round(float(w), 6) for g, w in
                     zip(dv.get_feature_names_out(), model.coef_[0], strict=True)
                     if abs(w) >= 1e-4}}
    return out


def _write(path: Path, content: dict[str, Any]) -> None:
    path.write_text(json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                    + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    """Train on the training part (or the files named) and write the model files."""
    from course.coach import classifier, structure

    paths = argv or [str(TRAIN)]
    replies = load_corpus(*paths)
    content = fit(replies)
    _write(OUT, content)
    print(f"已写入 {OUT}：{content['clauses']} 个小句（其中禁语 {content['forbidden_clauses']} 个），"
          f"阈值 {content['threshold']}")
    classifier.load.cache_clear()
    structure.load.cache_clear()
    shape = fit_structure(replies)
    _write(STRUCTURE_OUT, shape)
    print(f"已写入 {STRUCTURE_OUT}：下一步模型 {shape['step']['replies']} 条，"
          f"三层结构模型 {shape['layers']['replies']} 条")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
