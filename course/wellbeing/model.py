"""The objects of staff well-being: breathing patterns, the pair debrief card, the after-care list.

Read from ``course/data/wellbeing/`` by :mod:`course.wellbeing.catalog`; shown as HTML by
:mod:`course.wellbeing.render` (each object's ``_repr_html_``), so a notebook cell that ends
with one of them shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["AftercareProtocol", "AftercareStage", "AftercareStep", "BreathPattern", "BreathPhase",
           "DebriefCard", "DebriefQuestion", "Source", "WellbeingError"]


class WellbeingError(ValueError):
    """A well-being data file or argument that is wrong (Chinese message naming file and field)."""


def _save(html: str, path: str | Path) -> Path:
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm"):
        raise WellbeingError(f"要保存成网页文件：文件名应当以 .html 结尾，现在是“{target.name}”。")
    try:
        target.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise WellbeingError(f"没能保存到“{target}”：{exc.strerror or exc}。换一个文件夹试试。") from None
    return target


@dataclass(frozen=True)
class BreathPhase:
    """One step of a breathing pattern: breathe in, hold or breathe out for ``seconds``."""

    kind: str  # inhale / hold / exhale
    label: str  # 吸气 / 屏住 / 呼气, shown in large text
    cue: str  # one line on how to do it
    seconds: int


@dataclass(frozen=True)
class BreathPattern:
    """A paced-breathing pattern: its phases, repeated ``rounds`` times."""

    id: str
    title: str
    rounds: int
    phases: tuple[BreathPhase, ...]

    @property
    def round_seconds(self) -> int:
        """Length of one round in seconds."""
        return sum(p.seconds for p in self.phases)

    @property
    def total_seconds(self) -> int:
        """Length of the whole exercise in seconds."""
        return self.rounds * self.round_seconds

    @property
    def rhythm(self) -> str:
        """One round in words: 吸气 4 秒、屏住 2 秒、呼气 6 秒."""
        return "、".join(f"{p.label} {p.seconds} 秒" for p in self.phases)

    def __str__(self) -> str:
        return f"{self.title}（{self.rhythm}；共 {self.rounds} 轮，约 {self.total_seconds} 秒）"


@dataclass(frozen=True)
class Source:
    """Where a fact comes from."""

    id: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class AftercareStep:
    """One box to tick: what to do, who does it, and the sources of any fact it states."""

    text: str
    who: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class AftercareStage:
    """A stage of the after-care protocol (报告与留证, 先休息, 心理疏导, 跟进)."""

    id: str
    title: str
    when: str
    steps: tuple[AftercareStep, ...]


@dataclass(frozen=True)
class AftercareProtocol:
    """What to do for a member of staff after a threat or abuse, stage by stage."""

    title: str
    scope: str
    basis: str
    utility: str  # the utility of the local profile, named on the printed card
    stages: tuple[AftercareStage, ...]
    sources: tuple[Source, ...]

    def stage(self, stage_id: str) -> AftercareStage:
        """The stage ``stage_id`` (report / rest / support / follow_up)."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        known = "、".join(s.id for s in self.stages)
        raise WellbeingError(f"事后关怀清单里没有“{stage_id}”这一段：只有 {known}。")

    def __str__(self) -> str:
        lines = [self.title, self.scope]
        for n, stage in enumerate(self.stages, 1):
            lines.append(f"{n}. {stage.title}（{stage.when}）")
            lines += [f"   □ {s.text}（{s.who}）" for s in stage.steps]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from course.wellbeing.render import aftercare_html

        return aftercare_html(self)

    def page(self) -> str:
        """A standalone HTML page of the checklist, to open in a browser and print."""
        from course.wellbeing.render import aftercare_html, page

        return page(self.title, aftercare_html(self))

    def save(self, path: str | Path) -> Path:
        """Write :meth:`page` to ``path`` (an ``.html`` file) and return where it went."""
        return _save(self.page(), path)


@dataclass(frozen=True)
class DebriefQuestion:
    """One question of the pair debrief, with a prompt to answer it."""

    title: str
    prompt: str


@dataclass(frozen=True)
class DebriefCard:
    """A printable card of questions two learners ask each other after a drill."""

    title: str
    how: str
    basis: str
    questions: tuple[DebriefQuestion, ...]
    listener: tuple[str, ...]
    timing: str
    rules: tuple[str, ...]

    def __str__(self) -> str:
        lines = [self.title, self.how]
        lines += [f"{n}. {q.title}：{q.prompt}" for n, q in enumerate(self.questions, 1)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from course.wellbeing.render import debrief_html

        return debrief_html(self)

    def page(self) -> str:
        """A standalone HTML page of the card, to open in a browser and print."""
        from course.wellbeing.render import debrief_html, page

        return page(self.title, debrief_html(self, lines=3))

    def save(self, path: str | Path) -> Path:
        """Write :meth:`page` to ``path`` (an ``.html`` file) and return where it went."""
        return _save(self.page(), path)
