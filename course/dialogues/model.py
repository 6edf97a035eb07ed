"""Model dialogues: a good and a bad version of one conversation, each staff turn annotated.

The dialogue as a lesson shows it (HTML, the full script as text) is
:class:`course.dialogues.render.DialogueView`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GROUPS", "TAG_KINDS", "VERSIONS", "CoachCheck", "Dialogue", "DialogueError", "Tag", "Turn", "Version"]

GROUPS = {"faq": "客户常见问题", "case": "疑难案例"}
VERSIONS = {"good": "好的示范", "bad": "常见的错误"}
TAG_KINDS = {"layer": "三层结构", "technique": "方法", "strategy": "策略", "step": "流程",
             "mistake": "错误"}


class DialogueError(ValueError):
    """A dialogue file or argument that cannot be used (the message is Chinese, names the field)."""


@dataclass(frozen=True)
class Tag:
    """One annotation on a staff turn: what kind (layer, technique, strategy, step, mistake),
    the id as written in the data, and the name the course teaches it under."""

    kind: str
    id: str
    name: str

    def __str__(self) -> str:
        return f"{TAG_KINDS[self.kind]}·{self.name}"


@dataclass(frozen=True)
class Turn:
    """One turn: who speaks (``customer`` or ``staff``), what is said, and for staff turns the
    annotation: tags, a note, an optional stage direction (``action``), and for a bad turn that
    the coach fails to flag, ``coach_misses``."""

    speaker: str
    text: str
    action: str = ""
    tags: tuple[Tag, ...] = ()
    note: str = ""
    coach_misses: bool = False

    @property
    def is_staff(self) -> bool:
        return self.speaker == "staff"

    @property
    def mistakes(self) -> tuple[Tag, ...]:
        return tuple(t for t in self.tags if t.kind == "mistake")


@dataclass(frozen=True)
class Version:
    """The good or the bad version of a dialogue."""

    kind: str
    turns: tuple[Turn, ...]
    outcome: str = ""

    @property
    def title(self) -> str:
        return VERSIONS[self.kind]

    @property
    def staff_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.is_staff)


@dataclass(frozen=True)
class Dialogue:
    """A model dialogue of the course (see :func:`course.dialogues.load`)."""

    id: str
    title: str
    group: str
    number: int
    source: str
    setting: str
    channel: str
    customer: str
    staff: str
    good: Version
    bad: Version
    scenario: str | None = None  # the reply coach's situation (course.coach.list_scenarios())
    roleplay: str | None = None  # the role-play scenario with the same facts, if any

    @property
    def versions(self) -> tuple[Version, Version]:
        return (self.good, self.bad)

    @property
    def heading(self) -> str:
        kind = "常见问题" if self.group == "faq" else "案例"
        return f"{kind} {self.number}：{self.title}"

    def __str__(self) -> str:
        return f"示范对话 {self.id}：{self.heading}（好的 {len(self.good.turns)} 句，错的 {len(self.bad.turns)} 句）"


@dataclass(frozen=True)
class CoachCheck:
    """The reply coach on one staff turn (``number`` counts all turns of the version, from 1):
    for a good turn, whether it passes; for a bad one, which named mistakes the coach raised."""

    version: str
    number: int
    turn: Turn
    score: int
    passed: bool
    flagged_rules: tuple[str, ...]
    flagged_names: tuple[str, ...] = ()  # the coach's Chinese names for them

    @property
    def flagged(self) -> bool:
        return bool(self.flagged_rules)

    @property
    def as_expected(self) -> bool:
        """Good turns pass; bad turns are flagged, unless the data says the coach misses them."""
        if self.version == "good":
            return self.passed
        return self.flagged != self.turn.coach_misses

    def __str__(self) -> str:
        if self.version == "good":
            return f"第 {self.number} 句：{'通过' if self.passed else '未通过'}（{self.score} 分）"
        if not self.flagged:
            return f"第 {self.number} 句：没有查出所标的错误"
        return f"第 {self.number} 句：查出了{'、'.join(self.flagged_names)}"
