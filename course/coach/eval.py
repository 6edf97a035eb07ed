"""Quality of the reply coach against a labelled corpus (``tests/data/coach/``, see its README).

Run ``python -m course.coach.eval tests/data/coach/dev.yaml`` for the figures and the errors.

Figures: forbidden language found per reply (precision and recall: a reply with a labelled act
counts as found when the coach reports any forbidden act), agreement on which acts, the
three-layer order (on replies that are not gaming: a salad has no real core to order), concrete
next step, about this complaint, score ordering good > medium > bad over all pairs, and whether
every gaming reply stays below the pass line.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.coach.analysis import pass_score, review

__all__ = ["CorpusMetrics", "evaluate", "load_corpus"]

_ORDER = {"good": 2, "medium": 1, "bad": 0}


@dataclass(frozen=True)
class CorpusMetrics:
    """The coach's figures on one corpus, with the errors behind them."""

    n: int
    forbidden_precision: float
    forbidden_recall: float
    act_agreement: float  # share of labelled acts the coach names as well
    sandwich_accuracy: float
    next_step_accuracy: float
    relevance_accuracy: float
    ordering: float  # share of (better, worse) pairs where the better reply scores higher
    salads_below_pass: float
    mean_score: dict[str, float]
    per_act: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # tp, fp, fn
    errors: tuple[str, ...] = ()

    def __str__(self) -> str:
        means = "，".join(f"{k} {v:.1f}" for k, v in self.mean_score.items())
        return (
            f"语料 {self.n} 条：禁语查准率 {self.forbidden_precision:.3f}，查全率 "
            f"{self.forbidden_recall:.3f}，类别一致 {self.act_agreement:.3f}；三层结构准确率 "
            f"{self.sandwich_accuracy:.3f}；具体下一步 {self.next_step_accuracy:.3f}；切题 "
            f"{self.relevance_accuracy:.3f}；得分排序正确 {self.ordering:.1%}；凑字数低于及格线 "
            f"{self.salads_below_pass:.1%}；平均分 {means}"
        )


def load_corpus(*paths: str | Path) -> list[dict[str, Any]]:
    """The ``replies`` of one or more labelled corpus files, in order."""
    import yaml

    out: list[dict[str, Any]] = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            out.extend(yaml.safe_load(fh)["replies"])
    return out


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(replies: list[dict[str, Any]]) -> CorpusMetrics:
    """Review every reply and compare with its labels."""
    tp = fp = fn = 0
    acts_hit = acts_total = 0
    per_act: Counter[tuple[str, str]] = Counter()
    sw = [0, 0]
    nx = [0, 0]
    rel = [0, 0]
    salads = [0, 0]
    errors: list[str] = []
    scored: list[tuple[str, int]] = []
    line = pass_score()
    for e in replies:
        r = review(e["t"], scenario=e["s"])
        got = {f.rule for f in r.forbidden}
        want = set(e.get("acts", ()))
        short = e["t"][:60]
        if got and want:
            tp += 1
        elif got:
            fp += 1
            hits = "、".join(f"{f.rule}「{f.excerpt}」" for f in r.forbidden)
            errors.append(f"误报 {e['id']}：{hits}｜{short}")
        elif want:
            fn += 1
            errors.append(f"漏报 {e['id']}：{sorted(want)}｜{short}")
        acts_total += len(want)
        acts_hit += len(want & got)
        for a in want | got:
            per_act[(a, "tp" if a in want and a in got else "fn" if a in want else "fp")] += 1
        for tally, key, label, got_value in ((sw, "sw", "三层", r.sandwich),
                                             (nx, "next", "下一步", r.next_step),
                                             (rel, "rel", "切题", bool(r.addresses_core))):
            if key not in e or (key == "sw" and e.get("salad")):
                continue
            tally[1] += 1
            if got_value == e[key]:
                tally[0] += 1
            else:
                errors.append(f"{label} {e['id']}：标注 {e[key]} 得到 {got_value}｜{short}")
        if e.get("salad"):
            salads[1] += 1
            if r.score < line:
                salads[0] += 1
            else:
                errors.append(f"凑字数及格 {e['id']}：{r.score} 分｜{short}")
        scored.append((e["q"], r.score))
    pairs = good_pairs = 0
    for qa, a in scored:
        for qb, b in scored:
            if _ORDER[qa] > _ORDER[qb]:
                pairs += 1
                good_pairs += a > b
    means: dict[str, float] = {}
    for q in ("good", "medium", "bad"):
        vals = [s for qq, s in scored if qq == q]
        means[q] = sum(vals) / len(vals) if vals else float("nan")
    acts = sorted({a for a, _ in per_act})
    return CorpusMetrics(
        n=len(replies),
        forbidden_precision=_ratio(tp, tp + fp),
        forbidden_recall=_ratio(tp, tp + fn),
        act_agreement=_ratio(acts_hit, acts_total),
        sandwich_accuracy=_ratio(*sw),
        next_step_accuracy=_ratio(*nx),
        relevance_accuracy=_ratio(*rel),
        ordering=_ratio(good_pairs, pairs),
        salads_below_pass=_ratio(*salads),
        mean_score=means,
        per_act={a: (per_act[(a, "tp")], per_act[(a, "fp")], per_act[(a, "fn")]) for a in acts},
        errors=tuple(errors),
    )


def main(argv: list[str]) -> int:
    """Print the figures (and with ``-v`` the errors) of the corpus files named."""
    verbose = "-v" in argv
    paths = [a for a in argv if a != "-v"]
    if not paths:
        print("用法：python -m course.coach.eval [-v] 语料文件.yaml …")
        return 2
    m = evaluate(load_corpus(*paths))
    print(m)
    print("各类禁语（命中/误报/漏报）：" + "；".join(
        f"{a} {t}/{f}/{n}" for a, (t, f, n) in m.per_act.items()))
    if verbose:
        print("\n".join(m.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
