"""Learning gain: each skill before and after the course, from a pre-test and a parallel post-test.

Mastery of a skill in one assignment is the share of its points a learner earned on the items
tagged with that skill (cell metadata ``course.skills``, see :func:`course.grading.report.skill_tags`).
Only learners who took both tests count. The gain is post − pre; the normalised gain (Hake's g)
is (post − pre) / (1 − pre) on the cohort means: how much of the room left for improvement was
used. With fewer than :data:`SMALL_COHORT` learners the report says the figures are only
indicative.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["POST", "PRE", "SMALL_COHORT", "GainReport", "SkillGain", "learning_gain"]

PRE, POST = "pretest", "posttest"
SMALL_COHORT = 10


@dataclass(frozen=True)
class SkillGain:
    """One skill across the cohort."""

    skill: str
    n: int
    pre: float
    post: float
    per_learner: dict[str, tuple[float, float]]

    @property
    def gain(self) -> float:
        return self.post - self.pre

    @property
    def normalised(self) -> float | None:
        return None if self.pre >= 1 else (self.post - self.pre) / (1 - self.pre)


@dataclass(frozen=True)
class GainReport:
    """Every skill's gain, and who took both tests."""

    pre: str
    post: str
    learners: tuple[str, ...]
    skills: tuple[SkillGain, ...]

    @property
    def caution(self) -> str:
        n = len(self.learners)
        if n == 0:
            return f"还没有学员同时完成 {self.pre} 和 {self.post}，暂时算不出进步幅度。"
        if n < SMALL_COHORT:
            return (f"只有 {n} 名学员同时完成了两次测验，人数少，进步幅度只能作参考，"
                    "不宜据此比较学员或下结论。")
        return ""

    def __str__(self) -> str:
        lines = [f"课前课后对比（{self.pre} → {self.post}，{len(self.learners)} 人）："]
        for s in self.skills:
            g = "—" if s.normalised is None else f"{s.normalised:.2f}"
            lines.append(f"  {s.skill}：课前 {s.pre:.0%} → 课后 {s.post:.0%}（提高 {s.gain * 100:+.0f} 个百分点，"
                         f"标准化增益 {g}）")
        if self.caution:
            lines.append(self.caution)
        return "\n".join(lines)


def _mastery(url: str, root: Path, assignment: str) -> dict[str, dict[str, float]]:
    """skill → learner → share of that skill's points earned in ``assignment``."""
    from nbgrader.api import Gradebook, MissingEntry

    from course.grading.skills import skill_tags

    tags = {k: v for k, v in skill_tags(root).items() if k[0] == assignment}
    earned: dict[str, dict[str, list[float]]] = {}
    with Gradebook(url) as gb:
        try:
            subs = gb.find_assignment(assignment).submissions
        except MissingEntry:
            return {}
        for sub in subs:
            for nb in sub.notebooks:
                for g in nb.grades:
                    for skill in tags.get((assignment, nb.name, g.name), ()):
                        pair = earned.setdefault(skill, {}).setdefault(sub.student.id, [0.0, 0.0])
                        pair[0] += float(g.score or 0)
                        pair[1] += float(g.max_score or 0)
    return {k: {s: (e / m if m else 0.0) for s, (e, m) in v.items()} for k, v in earned.items()}


def learning_gain(url: str, root: Path | str, pre: str = PRE, post: str = POST) -> GainReport:
    """Each skill's mastery in ``pre`` and ``post`` for the learners who took both."""
    root = Path(root)
    before, after = _mastery(url, root, pre), _mastery(url, root, post)
    learners: set[str] = set()
    skills = []
    for skill in sorted(set(before) & set(after)):
        both = sorted(set(before[skill]) & set(after[skill]))
        if not both:
            continue
        learners |= set(both)
        per = {s: (before[skill][s], after[skill][s]) for s in both}
        skills.append(SkillGain(skill, len(both), sum(p for p, _ in per.values()) / len(both),
                                sum(q for _, q in per.values()) / len(both), per))
    return GainReport(pre, post, tuple(sorted(learners)), tuple(skills))
