"""The reply coach's verdict on every staff turn of a model dialogue.

A good turn *passes* when the coach finds no forbidden language, the three layers hold, the score
reaches the pass line and (with the dialogue's coach situation) the reply is about its core issue
— the standard of the ResponseDrafter and the coach-graded rewrite items. A bad turn is *flagged*
when the coach raises one of the named mistakes (``dialogues/_mistakes.yaml``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from course.dialogues.catalog import mistake_rules
from course.dialogues.model import CoachCheck, Dialogue

if TYPE_CHECKING:
    from course.coach import Review

__all__ = ["check_with_coach", "passes"]


def passes(review: Review) -> bool:
    """Whether a reply meets the coach's standard for a model answer."""
    return (not review.forbidden and review.sandwich and review.passed
            and review.addresses_core is not False)


def check_with_coach(dialogue: Dialogue) -> tuple[CoachCheck, ...]:
    """Review every staff turn of both versions (bad turns without named mistakes are skipped)."""
    from course.coach import review

    out = []
    for version in dialogue.versions:
        for n, turn in enumerate(version.turns, 1):
            if not turn.is_staff or (version.kind == "bad" and not turn.mistakes):
                continue
            r = review(turn.text, dialogue.scenario)
            wanted = frozenset().union(*(mistake_rules(m.id) for m in turn.mistakes))
            raised = {f.rule: f.name for f in r.findings if f.level != "good"}
            hits = tuple(sorted(set(raised) & wanted))
            out.append(CoachCheck(version=version.kind, number=n, turn=turn, score=r.score,
                                  passed=passes(r), flagged_rules=hits,
                                  flagged_names=tuple(dict.fromkeys(raised[h] for h in hits))))
    return tuple(out)
