"""Apply the pass rule to each learner."""

from __future__ import annotations

from dataclasses import dataclass

from course.certificates.records import Cohort, Learner
from course.certificates.rule import CertificateError, PassRule

__all__ = ["Outcome", "decide"]


@dataclass(frozen=True)
class Outcome:
    """Whether one learner passed, their overall share, and why not (Chinese)."""

    learner: Learner
    passed: bool
    percent: float
    reasons: tuple[str, ...]


def decide(cohort: Cohort, rule: PassRule) -> list[Outcome]:
    """One :class:`Outcome` per learner (a missing required assignment fails the rule)."""
    required = rule.required or cohort.assignments
    unknown = [a for a in required if a not in cohort.max_scores]
    if unknown:
        raise CertificateError(f"nbgrader_config.py 中 c.CourseCertificates.required 列出的作业 "
                               f"{'、'.join(unknown)} 不在成绩册中：成绩册里有 "
                               f"{'、'.join(cohort.assignments) or '（无）'}。")
    out = []
    for x in cohort.learners:
        reasons = []
        missing = [a for a in required if a not in x.scores]
        if missing:
            reasons.append(f"未提交必考作业 {'、'.join(missing)}")
        for a in required:
            m = cohort.max_scores[a]
            if a in x.scores and rule.min_each and m and x.scores[a] / m * 100 < rule.min_each - 1e-9:
                reasons.append(f"{a} 得分率 {x.scores[a] / m:.0%} 低于单项要求 {rule.min_each:g}%")
        total_max = sum(cohort.max_scores[a] for a in required)
        pct = sum(x.scores.get(a, 0.0) for a in required) / total_max * 100 if total_max else 0.0
        if pct < rule.pass_percent - 1e-9:
            reasons.append(f"总得分率 {pct:.1f}% 低于 {rule.pass_percent:g}%")
        if rule.day3_min is not None and cohort.board_used:
            mean = x.day3_mean
            if mean is None:
                reasons.append("没有第三天考站成绩")
            elif mean < rule.day3_min - 1e-9:
                reasons.append(f"第三天考站平均总分 {mean:.1f} 低于 {rule.day3_min:g}")
        out.append(Outcome(x, not reasons, pct, tuple(reasons)))
    return out
