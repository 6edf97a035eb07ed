"""Quality metrics of the reply coach against a labelled corpus (used by tests and the bench).

A corpus is a YAML file with ``replies``: mappings with ``id``, ``s`` (scenario id), ``q``
(``good``/``medium``/``bad``), ``sw`` (three-layer order holds), ``fb`` (forbidden rule ids,
empty when none) and ``t`` (the reply). See ``tests/data/coach_corpus.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

from course.coach.analysis import review

__all__ = ["CorpusMetrics", "evaluate", "load_corpus"]

_ORDER = {"good": 2, "medium": 1, "bad": 0}


@dataclass(frozen=True)
class CorpusMetrics:
    """Precision/recall of forbidden detection, three-layer accuracy and score ordering."""

    n: int
    forbidden_precision: float
    forbidden_recall: float
    rule_agreement: float  # share of labelled rule ids the coach also reports
    sandwich_accuracy: float
    ordering: float  # share of (better, worse) pairs where the better reply scores higher
    ordering_same_scenario: float
    mean_score: dict[str, float]
    errors: tuple[str, ...]

    def __str__(self) -> str:
        means = "，".join(f"{k} {v:.1f}" for k, v in self.mean_score.items())
        return (
            f"语料 {self.n} 条：禁语查准率 {self.forbidden_precision:.3f}，查全率 "
            f"{self.forbidden_recall:.3f}，规则一致 {self.rule_agreement:.3f}；三层结构准确率 "
            f"{self.sandwich_accuracy:.3f}；得分排序正确 {self.ordering:.1%}（同一场景内 "
            f"{self.ordering_same_scenario:.1%}）；平均分 {means}"
        )


def load_corpus(path: str | Path) -> list[dict[str, Any]]:
    """Read the ``replies`` of a labelled corpus file."""
    import yaml

    with open(path, encoding="utf-8") as fh:
        return list(yaml.safe_load(fh)["replies"])


def evaluate(replies: list[dict[str, Any]]) -> CorpusMetrics:
    """Review every reply and compare with its labels."""
    tp = fp = fn = 0
    rules_hit = rules_total = 0
    sw_ok = 0
    errors: list[str] = []
    scored: list[tuple[str, str, int]] = []
    for e in replies:
        r = review(e["t"], scenario=e["s"])
        got = {f.rule for f in r.forbidden}
        want = set(e["fb"])
        if got and want:
            tp += 1
        elif got and not want:
            fp += 1
            errors.append(f"误报 {e['id']}: {sorted(got)}")
        elif want and not got:
            fn += 1
            errors.append(f"漏报 {e['id']}: {sorted(want)}")
        rules_total += len(want)
        rules_hit += len(want & got)
        if r.sandwich == e["sw"]:
            sw_ok += 1
        else:
            errors.append(f"三层 {e['id']}: 标注 {e['sw']} 得到 {r.sandwich}")
        scored.append((e["q"], e["s"], r.score))
    pairs = good_pairs = same = same_good = 0
    for (qa, sa, a), (qb, sb, b) in product(scored, scored):
        if _ORDER[qa] > _ORDER[qb]:
            pairs += 1
            good_pairs += a > b
            if sa == sb:
                same += 1
                same_good += a > b
    means: dict[str, float] = {}
    for q in ("good", "medium", "bad"):
        vals = [s for qq, _, s in scored if qq == q]
        means[q] = sum(vals) / len(vals) if vals else float("nan")
    return CorpusMetrics(
        n=len(replies),
        forbidden_precision=tp / (tp + fp) if tp + fp else 1.0,
        forbidden_recall=tp / (tp + fn) if tp + fn else 1.0,
        rule_agreement=rules_hit / rules_total if rules_total else 1.0,
        sandwich_accuracy=sw_ok / len(replies) if replies else 1.0,
        ordering=good_pairs / pairs if pairs else 1.0,
        ordering_same_scenario=same_good / same if same else 1.0,
        mean_score=means,
        errors=tuple(errors),
    )
